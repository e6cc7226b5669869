"""What the per-document budget costs (math_lm/data/budget.py, math_lm/data/watchdog.py), and the memory of
a worker on the biggest document the default budget lets through.

1. Cost per document, side by side in one run: OpenWebMath extraction and filtering of real pages (the
   two scipy-doc pages of the tests, repeated), and AlgebraicStack filtering of the sample source files,
   in this process (``InlineRunner``, what the pipeline did before) against the watchdog worker
   (``DocumentWorker``: pickling to a forked worker and back), in alternating blocks of 20 documents so that
   a shared machine's load weighs on both alike; the nesting check (``html_depth_exceeds``) alone.
2. Peak resident memory (``VmHWM`` of the worker, read from /proc) of a fresh worker after a trivial job
   (what it inherits) and after each biggest allowed document: an arXiv paper of ``max_source_bytes`` of
   LaTeX; an HTML page of ``max_source_bytes`` whose text is just under ``max_text_chars``; the MinHash
   signature of a text of ``max_text_chars``.

    python benchmarks/document_budget.py [--pages 200] [--skip-memory]
"""

from __future__ import annotations

import argparse
import os
import time
from pathlib import Path

from math_lm.data.algebraic_stack import AlgebraicStackSubset
from math_lm.data.arxiv import _paper_job
from math_lm.data.budget import MiB, DocumentBudget, html_depth_exceeds
from math_lm.data.datatrove_steps import MathWordTokenizer, RerunSafeMinhashSignature, math_minhash_config
from math_lm.data.documents import UnitResult
from math_lm.data.open_web_math import OpenWebMathSubset
from math_lm.data.watchdog import DocumentWorker, InlineRunner

PAGES = Path(__file__).resolve().parents[1] / "tests" / "math_lm" / "data" / "fixtures" / "scipy_doc"
SOURCES = Path(__file__).resolve().parents[1] / "data" / "sample_raw" / "algebraic-stack"


def _peak_rss(pid: int) -> int:
    with open(f"/proc/{pid}/status", encoding="ascii") as status:
        for line in status:
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) * 1024
    raise RuntimeError("no VmHWM in /proc status")


def _nothing() -> UnitResult:
    return UnitResult()


def _minhash_job(text: str) -> UnitResult:
    from math_lm.data.dedup import MinHashLSHDeduplicator

    config = math_minhash_config(MinHashLSHDeduplicator(128, 16, 0.7, 5))
    step = RerunSafeMinhashSignature("/tmp/unused-signatures", config=config, language=MathWordTokenizer())
    step.get_signature(step.get_shingles(text))
    return UnitResult()


def _interleaved_timings(job, items: list, label: str, unit: str, block: int = 20) -> None:
    """The items in blocks of ``block``, each block run in this process and then in the worker (each mode
    back to back within a block, as in a run; blocks alternating so that a shared machine's changing load
    weighs on both alike); prints the mean time per item of each and their ratio."""
    runners = {"in this process (before)": InlineRunner(), "watchdog worker (now)": DocumentWorker(120)}
    for runner in runners.values():
        job(runner, items[0])  # warm-up: models loaded, the worker forked
    spent = {name: 0.0 for name in runners}
    for start in range(0, len(items), block):
        for name, runner in runners.items():
            started = time.perf_counter()
            for item in items[start : start + block]:
                job(runner, item)
            spent[name] += time.perf_counter() - started
    for runner in runners.values():
        runner.close()
    for name, seconds in spent.items():
        print(f"{label + ', ' + name:46}{1000 * seconds / len(items):>10.3f} ms/{unit}")
    before, now = spent.values()
    print(f"watchdog cost: {1000 * (now - before) / len(items):+.3f} ms per {unit} ({100 * (now / before - 1):+.1f}%)")


def per_page_cost(pages: int) -> None:
    subset = OpenWebMathSubset()
    data = [path.read_bytes() for path in sorted(PAGES.glob("*.html"))] * (pages // 2)
    print(f"{len(data)} scipy-doc pages ({sum(map(len, data)) // len(data)} bytes each on average), one process")
    started = time.perf_counter()
    for page in data:
        html_depth_exceeds(page, page.decode("utf-8"), DocumentBudget().max_html_depth)
    print(f"{'nesting check alone':46}{1000 * (time.perf_counter() - started) / len(data):>10.3f} ms/page")

    def extract(runner, page: bytes) -> None:
        runner.run(subset.page_result, page, None, None, "html", "p", source="p", nbytes=len(page))

    _interleaved_timings(extract, data, "extract + filter", "page")


def per_source_file_cost(files: int) -> None:
    subset = AlgebraicStackSubset()
    units = [u for u in subset.work_units([SOURCES]) if not u[0].endswith((".jsonl", ".jsonl.zst", ".parquet"))]
    units = (units * (files // len(units) + 1))[:files]
    print(f"\n{len(units)} AlgebraicStack source files (data/sample_raw), one process")
    _interleaved_timings(lambda runner, unit: subset.process(unit, runner), units, "filter", "file")


def _biggest_paper(budget: DocumentBudget) -> dict[str, bytes]:
    preamble = "\\documentclass{article}\\newcommand{\\R}{\\mathbb{R}}\\def\\eps{\\varepsilon}\\begin{document}\n"
    paragraph = (
        "\\section{Estimates}\nFor every $x \\in \\R$ and $\\eps > 0$ we have "
        "$\\|f(x)\\| \\le C \\eps^{-1} \\int_0^1 |g(t)|\\,dt$, % a comment\nwhich proves the claim.\n\n"
    )
    body = paragraph * ((budget.max_source_bytes - len(preamble) - 20) // len(paragraph))
    return {"main.tex": (preamble + body + "\\end{document}\n").encode()}


def _biggest_page(budget: DocumentBudget) -> bytes:
    text = "We solve $x^2 - 5x + 6 = 0$ and find the roots two and three. "
    block = f'<div class="section"><p class="para">{text}</p></div>\n'.encode()
    count = min(budget.max_source_bytes // len(block), (budget.max_text_chars - 1000) // (len(text) + 2))
    filler = b'<span class="x"></span>' * ((budget.max_source_bytes - count * len(block) - 100) // 23)
    return b"<html><body>" + block * count + filler + b"</body></html>"


def worker_memory() -> None:
    budget = DocumentBudget()
    subset = OpenWebMathSubset()
    paper, page = _biggest_paper(budget), _biggest_page(budget)
    text = ("Let $x^2 + 1 = 0$; then x is i or -i. " * (budget.max_text_chars // 38))[: budget.max_text_chars]
    cases = [
        ("nothing (inherited)", _nothing, ()),
        (f"arXiv paper, {len(paper['main.tex']) / MiB:.1f} MiB of LaTeX", _paper_job,
         (paper, None, "big.tex", None, "tex", budget)),
        (f"HTML page, {len(page) / MiB:.1f} MiB", subset.page_result, (page, None, None, "html", "big.html")),
        (f"MinHash of {len(text):,} characters", _minhash_job, (text,)),
    ]  # fmt: skip
    own = _peak_rss(os.getpid()) / MiB
    print(f"\npeak resident memory of a fresh worker (VmHWM), default budget; this process: {own:.0f} MiB")
    for name, job, args in cases:
        with DocumentWorker(budget.max_seconds, budget.max_worker_memory_bytes) as worker:
            started = time.perf_counter()
            result = worker.run(job, *args, source=name, nbytes=0)
            seconds = time.perf_counter() - started
            assert worker.pid is not None, f"{name}: {result.drops}"
            kept = f"{len(result.documents)} kept" if not result.drops else f"dropped: {result.drops[0].reason}"
            print(f"  {name:38} {_peak_rss(worker.pid) / MiB:8.0f} MiB  {seconds:6.1f} s  ({kept})")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--pages", type=int, default=200)
    parser.add_argument("--skip-memory", action="store_true")
    args = parser.parse_args()
    per_page_cost(args.pages)
    per_source_file_cost(args.pages * 2)
    if not args.skip_memory:
        worker_memory()


if __name__ == "__main__":
    main()
