"""Web-page extraction speed: the project's math-preserving extractor against Resiliparse's plain
main-content extraction, on the same real pages, with 1 and 2 workers; then what the OpenWebMath filters
keep of those pages; then MinHash dedup documents/s of ours against datatrove's stages with their
defaults (benchmarks/web_dedup.py's report, with 1 and 2 workers).

    apt-get download python-scipy-doc && dpkg -x python-scipy-doc_*.deb /tmp/scipy-doc
    python benchmarks/web_extract.py --pages /tmp/scipy-doc/usr/share/doc/python-scipy-doc/html

Pages: the ``.html`` files under ``--pages`` whose HTML carries math (MathJax delimiters or scripts,
MathML, KaTeX), sorted by path, ``--limit`` of them taken at even steps; decoded once, before timing.

  resiliparse  ``extract_plain_text(html, main_content=True)``: parse + main-content text, no math
  project      ``math_lm.data.html_math.extract_page(html)``: the same, plus formulas lifted out of the tree
               and put back as LaTeX, documentation-site boilerplate selectors and text tidying

workers=1 runs in this process; workers=2 in a fork pool started (and warmed up) before timing. Each rate
is the best of ``--repeats`` timed runs, the two extractors interleaved, each run extracting every page
``--passes`` times. Rates are given by wall clock and by CPU time (pages per CPU-second of the processes
that extract, timed around each page), which other load on a shared machine inflates less than wall
time. Goal: project >= 0.7x resiliparse at each worker count.

The filter report runs ``OpenWebMathSubset.process`` (decoding, extraction, fastText language ID, math
score) on each selected file and counts what is kept and why pages are dropped, and in the kept text the
site boilerplate left (``¶``, "On this page", short previous/next navigation lines) and formulas.

The dedup report (``--dedup-docs`` documents of the synthetic math corpus with planted copies; 0 skips
it) is :func:`benchmarks.web_dedup.dedup_report`: see that module for the methods compared.
"""
from __future__ import annotations

import argparse
import multiprocessing
import os
import re
import sys
import time
from collections import Counter
from pathlib import Path
from typing import Callable


from resiliparse.extract.html2text import extract_plain_text

from benchmarks.web_dedup import dedup_report
from math_lm.data.html_math import extract_page
from math_lm.data.open_web_math import OpenWebMathSubset

_MATH_MARKUP_RE = re.compile(rb"\\\(|\\\[|<math|math/tex|class=\"katex|mjx-container|\\begin\{")
# a navigation line: "previous"/"next" and a short title, no sentence punctuation ("Next, we..." is prose)
_PREV_NEXT_LINE_RE = re.compile(r"(?im)^[ \t]*(?:previous|next)\b[^.,:;\n]{0,60}$")
_FORMULA_RE = re.compile(r"\$\$.+?\$\$|\$[^$\n]+?\$", re.DOTALL)
_PAGES: list[str] = []  # set before the pool forks, so workers get the pages without pickling them


def resiliparse_plain(html: str) -> str:
    return extract_plain_text(html, main_content=True)


def project_extractor(html: str) -> str:
    return extract_page(html).text


EXTRACTORS: dict[str, Callable[[str], str]] = {"resiliparse": resiliparse_plain, "project": project_extractor}


def select_pages(root: Path, limit: int) -> list[Path]:
    """``limit`` math-carrying HTML files under ``root``, at even steps through the sorted list."""
    candidates = [path for path in sorted(root.rglob("*.html")) if _MATH_MARKUP_RE.search(path.read_bytes())]
    if not candidates:
        raise SystemExit(f"no HTML pages with math markup under {root}")
    step = max(1, len(candidates) // limit)
    return candidates[::step][:limit]


def _extract_one(task: tuple[str, int]) -> float:
    """Extract one page; the CPU seconds it took in the process that did it."""
    name, index = task
    started = time.process_time()
    EXTRACTORS[name](_PAGES[index])
    return time.process_time() - started


def _timed_run(name: str, passes: int, pool) -> tuple[float, float]:
    """(wall seconds, CPU seconds summed over the extracting processes) to extract every page ``passes`` times."""
    tasks = [(name, index) for index in range(len(_PAGES))] * passes
    started = time.perf_counter()
    if pool is None:
        cpu = sum(_extract_one(task) for task in tasks)
    else:
        cpu = sum(pool.map(_extract_one, tasks, chunksize=max(1, len(tasks) // 64)))
    return time.perf_counter() - started, cpu


def extraction_rates(passes: int, repeats: int, workers: int) -> dict[str, tuple[float, float]]:
    """Best (wall, CPU) pages/s of each extractor over ``repeats`` interleaved runs with ``workers``
    processes; the CPU rate is pages per CPU-second of the extracting processes."""
    pool = multiprocessing.get_context("fork").Pool(workers) if workers > 1 else None
    try:
        if pool is not None:  # warm up: workers started and imports done before any timing
            pool.map(_extract_one, [(name, 0) for name in EXTRACTORS for _ in range(workers * 2)])
        best = {name: [float("inf"), float("inf")] for name in EXTRACTORS}
        for _ in range(repeats):
            for name in EXTRACTORS:
                wall, cpu = _timed_run(name, passes, pool)
                best[name] = [min(best[name][0], wall), min(best[name][1], cpu)]
    finally:
        if pool is not None:
            pool.close()
            pool.join()
    pages = passes * len(_PAGES)
    return {name: (pages / wall, pages / max(cpu, 1e-9)) for name, (wall, cpu) in best.items()}


def filter_report(paths: list[Path]) -> None:
    """Keep/drop counts of the OpenWebMath filters on the pages, and what the kept text still holds."""
    subset = OpenWebMathSubset()
    drops: Counter[str] = Counter()
    kept_texts: list[str] = []
    for path in paths:
        result = subset.process(str(path))
        drops.update(drop.reason for drop in result.drops)
        kept_texts.extend(document.text for document in result.documents)
    total = len(paths)
    print(f"\nOpenWebMath filters on the same {total} pages (before deduplication):")
    print(f"  kept {len(kept_texts)} ({100 * len(kept_texts) / total:.1f}%)")
    for reason, count in drops.most_common():
        print(f"  dropped {reason}: {count} ({100 * count / total:.1f}%)")
    if kept_texts:
        formulas = [len(_FORMULA_RE.findall(text)) for text in kept_texts]
        print(f"  kept pages with '¶': {sum('¶' in t for t in kept_texts)}, with 'On this page': "
              f"{sum('On this page' in t for t in kept_texts)}, with a previous/next navigation line: "
              f"{sum(bool(_PREV_NEXT_LINE_RE.search(t)) for t in kept_texts)}")
        raw_delimiters = sum(("\\(" in text) or ("\\[" in text) for text in kept_texts)
        print(f"  kept pages with raw \\( or \\[ left: {raw_delimiters}; "
              f"formulas per kept page: mean {sum(formulas) / len(formulas):.1f}, "
              f"pages with none {sum(f == 0 for f in formulas)}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--pages", type=Path, required=True, help="directory of real HTML pages (e.g. scipy-doc)")
    parser.add_argument("--limit", type=int, default=200, help="pages to use (default 200)")
    parser.add_argument("--passes", type=int, default=1, help="extractions of every page per timed run")
    parser.add_argument("--repeats", type=int, default=15, help="timed runs per measurement; the best is kept")
    parser.add_argument("--dedup-docs", type=int, default=4000,
                        help="documents in the MinHash dedup comparison (default 4000; 0 skips it)")  # fmt: skip
    args = parser.parse_args(argv)

    paths = select_pages(args.pages, args.limit)
    _PAGES.extend(path.read_bytes().decode("utf-8", errors="replace") for path in paths)
    megabytes = sum(len(page.encode()) for page in _PAGES) / 1e6
    print(f"pages: {len(_PAGES)} with math markup from {args.pages} ({megabytes:.1f} MB of HTML)")
    print(f"machine: {os.cpu_count()} CPUs, load average {os.getloadavg()[0]:.2f} at start")
    print(f"{'workers':>7}  {'clock':>5}  {'resiliparse pages/s':>19}  {'project pages/s':>15}  {'project/resiliparse':>19}")
    for workers in (1, 2):
        rates = extraction_rates(args.passes, args.repeats, workers)
        for clock, column in (("wall", 0), ("CPU", 1)):
            plain, project = rates["resiliparse"][column], rates["project"][column]
            goal = "meets" if project / plain >= 0.7 else "MISSES"
            print(f"{workers:>7}  {clock:>5}  {plain:>19.1f}  {project:>15.1f}  {project / plain:>18.2f}x  "
                  f"({goal} the 0.7x goal)")
    print(f"load average {os.getloadavg()[0]:.2f} at the end (other work on the machine skews the rates)")
    filter_report(paths)
    if args.dedup_docs > 0:
        print(f"\nMinHash dedup, 1 and 2 workers (load average {os.getloadavg()[0]:.2f} at start):")
        dedup_report(args.dedup_docs, [1, 2])
        print(f"load average {os.getloadavg()[0]:.2f} at the end")
    return 0


if __name__ == "__main__":
    sys.exit(main())
