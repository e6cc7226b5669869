"""Web-page extraction: quality against OpenWebMath's own extractor and others, and speed.

Quality (the default): on the benchmark page set (benchmarks/web_pages.py: real pages of eight templates
from Debian documentation packages, fetched into .bench_pages/ from the manifest benchmarks/web_pages.tsv,
ground truth from the HTML source by an independent parser), per template and overall:

  project      math_lm.data.html_math.extract_page
  owm          OpenWebMath's extractor (PyPI openwebmath-text-extract, with Resiliparse 0.14.x and
               trafilatura in their own virtual environment, .bench_venvs/owm, made on first use)
  resiliparse  extract_plain_text(html, main_content=True)
  trafilatura  trafilatura.extract(html), defaults
  lynx         lynx -dump -nolist

formula recall in the right mode (inline or display), list-item and paragraph recall, the share of pages
with a known navigation line of their template, numpydoc "name : type" pairs glued into one word, and pages
per CPU-second of one core (per-page CPU time in one process, pages decoded before timing; lynx: CPU time of
its child process per page, start-up included). Then language ID in both directions on short English API
pages and French and German manuals (OpenWebMath's fastText rule and the project's, :mod:`math_lm.data.language_id`).

    python benchmarks/web_extract.py                  # fetch pages if needed, report (--plot FILE.png)
    python benchmarks/web_extract.py --write-manifest # choose the pages again (after a package update)

Targets: formula recall >= 99 % in the right mode; list items >= 98 %; boilerplate on <= 5 % of pages on
every template; project speed >= 0.7x plain Resiliparse on one core.

Speed with 1 and 2 workers on a directory of pages, then the OpenWebMath filters and the MinHash dedup
comparison (``--pages DIR``, the earlier report):

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
import json
import multiprocessing
import os
import re
import resource
import shutil
import subprocess
import sys
import time
from collections import Counter, defaultdict
from pathlib import Path
from typing import Callable


from resiliparse.extract.html2text import extract_plain_text

from benchmarks.web_pages import (
    BOILERPLATE_LINES,
    Truth,
    fetch_pages,
    ground_truth,
    output_formulas,
    prose_words,
    read_manifest,
    write_manifest,
)
from math_lm.data.html_math import extract_page
from math_lm.data.language_id import english_probability, is_english
from math_lm.data.math_score import score_page
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


# ------------------------------------------------------------------------------------------ quality report

OWM_VENV = Path(".bench_venvs/owm")
OWM_REQUIREMENTS = ["openwebmath-text-extract==0.1.3", "resiliparse>=0.14,<0.15", "trafilatura==2.3.1", "lxml_html_clean"]
FOREIGN_RUNNER = Path(__file__).with_name("web_extract_foreign.py")
COMPARED = ("project", "owm", "resiliparse", "trafilatura", "lynx")


def ensure_owm_venv() -> Path:
    """The benchmark's own virtual environment for OpenWebMath's extractor and trafilatura (made once)."""
    python = OWM_VENV / "bin" / "python"
    if not python.exists():
        subprocess.run([sys.executable, "-m", "venv", str(OWM_VENV)], check=True)
        subprocess.run([str(python), "-m", "pip", "install", "-q", *OWM_REQUIREMENTS], check=True)
    return python


def run_foreign(name: str, paths: list[Path]) -> tuple[list[str], list[float]]:
    request = json.dumps({"extractor": name, "paths": [str(path) for path in paths]})
    done = subprocess.run([str(ensure_owm_venv()), str(FOREIGN_RUNNER)], input=request, capture_output=True,
                          text=True, check=False)  # fmt: skip
    if done.returncode != 0:
        raise SystemExit(f"{FOREIGN_RUNNER.name} {name} failed (rc {done.returncode}): {done.stderr[-2000:]}")
    if done.stderr:
        print(done.stderr.strip(), file=sys.stderr)
    reply = json.loads(done.stdout)
    return reply["texts"], reply["cpu_seconds"]


def run_lynx(paths: list[Path]) -> tuple[list[str], list[float]]:
    if shutil.which("lynx") is None:
        raise SystemExit("lynx is not installed (apt-get install lynx)")
    texts, seconds = [], []
    for path in paths:
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        done = subprocess.run(["lynx", "-dump", "-nolist", "-force_html", "-width=1000", "-assume_charset=utf-8",
                               "-display_charset=utf-8", str(path)], capture_output=True, check=False)  # fmt: skip
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        seconds.append(after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime)
        texts.append(done.stdout.decode("utf-8", errors="replace"))
    return texts, seconds


def run_in_process(htmls: list[str], repeats: int) -> tuple[dict[str, list[str]], dict[str, list[float]]]:
    """Project and plain Resiliparse, page by page, interleaved; each page's best CPU time of ``repeats``."""
    texts: dict[str, list[str]] = {name: [] for name in EXTRACTORS}
    seconds: dict[str, list[float]] = {name: [] for name in EXTRACTORS}
    for html in htmls:
        best = {name: float("inf") for name in EXTRACTORS}
        text = {}
        for _ in range(repeats):
            for name, extract in EXTRACTORS.items():
                started = time.process_time()
                text[name] = extract(html)
                best[name] = min(best[name], time.process_time() - started)
        for name in EXTRACTORS:
            texts[name].append(text[name])
            seconds[name].append(best[name])
    return texts, seconds


def formula_hits(truth: Truth, text: str) -> int:
    """Formulas of ``truth`` found in ``text`` in the right mode: by normalised TeX where the source gives it,
    else (MathML without TeX) by count among the output formulas of that mode left unmatched."""
    found = Counter(output_formulas(text))
    hits = 0
    without_tex: Counter[bool] = Counter()
    for latex, display in truth.formulas:
        if latex is None:
            without_tex[display] += 1
        elif found[(latex, display)] > 0:
            found[(latex, display)] -= 1
            hits += 1
    for display, count in without_tex.items():
        hits += min(count, sum(n for (_, mode), n in found.items() if mode == display))
    return hits


def _found(items: list[list[str]], text: str) -> int:
    haystack = " " + " ".join(prose_words(text)) + " "
    return sum((" " + " ".join(item) + " ") in haystack for item in items)


def page_scores(template: str, truth: Truth, text: str) -> dict[str, int]:
    patterns = [re.compile(pattern, re.MULTILINE) for pattern in BOILERPLATE_LINES[template]]
    glued = sum(f"{name}{type_name.split()[0]}" in text for name, type_name in truth.name_type_pairs if type_name.split())
    return {
        "formulas": len(truth.formulas), "formulas_found": formula_hits(truth, text),
        "items": len(truth.list_items), "items_found": _found(truth.list_items, text),
        "paragraphs": len(truth.paragraphs), "paragraphs_found": _found(truth.paragraphs, text),
        "pages": 1, "boilerplate_pages": int(any(pattern.search(text) for pattern in patterns)),
        "pairs": len(truth.name_type_pairs), "glued": glued,
    }  # fmt: skip


def _share(found: int, total: int) -> str:
    return f"{100 * found / total:.1f}%" if total else "-"


def plot_quality(path: Path, totals: dict, names: list[str], rows: list[str], rates: dict[str, float]) -> None:
    """The quality table as bars: formula and list-item recall, boilerplate per template, speed."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    figure, axes = plt.subplots(2, 2, figsize=(14, 9))
    width = 0.8 / len(names)
    for axis, (title, found, total) in zip(
        axes.flat,
        (("formula recall, right mode (%)", "formulas_found", "formulas"), ("list-item recall (%)", "items_found", "items"),
         ("pages with boilerplate lines (%)", "boilerplate_pages", "pages")),
    ):  # fmt: skip
        shown = [row for row in rows if totals[names[0]][row][total]]
        for offset, name in enumerate(names):
            values = [100 * totals[name][row][found] / totals[name][row][total] for row in shown]
            axis.bar([index + offset * width for index in range(len(shown))], values, width, label=name)
        axis.set_xticks([index + 0.4 - width / 2 for index in range(len(shown))], shown, rotation=30, ha="right")
        axis.set_title(title)
    axes.flat[0].legend(fontsize=8)
    speed = axes.flat[3]
    speed.bar(names, [rates[name] for name in names], color=[f"C{index}" for index in range(len(names))])
    speed.set_title("pages per CPU-second, one core")
    figure.tight_layout()
    figure.savefig(path, dpi=90)
    print(f"plot written to {path}")


def quality_report(repeats: int, extractors: tuple[str, ...], plot: Path | None = None) -> None:
    entries = read_manifest()
    fetch_pages(entries)
    pages = [entry for entry in entries if entry.kind == "extract"]
    paths = [entry.file for entry in pages]
    htmls = [path.read_bytes().decode("utf-8", errors="replace") for path in paths]
    truths = [ground_truth(html) for html in htmls]
    templates = list(dict.fromkeys(entry.group for entry in pages))
    print(f"pages: {len(pages)} from {len({e.package for e in pages})} Debian packages, {len(templates)} templates; "
          f"{sum(len(t.formulas) for t in truths)} formulas, {sum(len(t.list_items) for t in truths)} list items, "
          f"{sum(len(t.paragraphs) for t in truths)} paragraphs, {sum(len(t.name_type_pairs) for t in truths)} "
          f"name : type pairs (ground truth from the HTML source)")  # fmt: skip
    print(f"machine: {os.cpu_count()} CPUs, load average {os.getloadavg()[0]:.2f} at start")
    texts, seconds = run_in_process(htmls, repeats)
    for name in extractors:
        if name in ("owm", "trafilatura"):
            texts[name], seconds[name] = run_foreign(name, paths)
        elif name == "lynx":
            texts[name], seconds[name] = run_lynx(paths)
    names = [name for name in COMPARED if name in texts]
    totals: dict[str, dict[str, Counter]] = {name: defaultdict(Counter) for name in names}
    for name in names:
        for entry, truth, text in zip(pages, truths, texts[name]):
            scores = page_scores(entry.group, truth, text)
            totals[name][entry.group].update(scores)
            totals[name]["overall"].update(scores)
    rows = [*templates, "overall"]
    header = f"{'template':<16}" + "".join(f"{name:>13}" for name in names)
    for title, found, total in (
        ("formula recall, right mode (target >= 99%)", "formulas_found", "formulas"),
        ("list-item recall (target >= 98%)", "items_found", "items"),
        ("paragraph recall", "paragraphs_found", "paragraphs"),
        ("pages with boilerplate lines (target <= 5% on every template)", "boilerplate_pages", "pages"),
        ("numpydoc name : type pairs glued into one word", "glued", "pairs"),
    ):
        print(f"\n{title}\n{header}")
        for row in rows:
            counts = [totals[name][row] for name in names]
            if not any(count[total] for count in counts):
                continue
            print(f"{row:<16}" + "".join(f"{_share(c[found], c[total]):>13}" for c in counts) + f"   (of {counts[0][total]})")
    print(f"\npages per CPU-second, one core\n{'':<16}" + "".join(f"{name:>13}" for name in names))
    rates = {name: len(pages) / max(sum(seconds[name]), 1e-9) for name in names}
    print(f"{'overall':<16}" + "".join(f"{rates[name]:>13.1f}" for name in names))
    ratio = rates["project"] / rates["resiliparse"]
    print(f"project / resiliparse: {ratio:.2f}x ({'meets' if ratio >= 0.7 else 'MISSES'} the 0.7x target); "
          f"load average {os.getloadavg()[0]:.2f} at the end")  # fmt: skip
    if plot is not None:
        plot_quality(plot, totals, names, rows, rates)
    language_id_report([entry for entry in entries if entry.kind == "lid"])


def language_id_report(entries) -> None:
    """English pages called non-English and other pages called English, by OpenWebMath's rule (fastText on
    the text without formulas, en >= 0.5) and by the project's (:func:`math_lm.data.language_id.is_english`)."""
    counts: dict[str, Counter] = defaultdict(Counter)
    for entry in entries:
        text = extract_page(entry.file.read_bytes().decode("utf-8", errors="replace")).text
        if score_page(text).words < 30:  # the length filter comes first
            continue
        counts[entry.group]["pages"] += 1
        english = entry.group == "en"
        counts[entry.group]["owm_wrong"] += (english_probability(text) >= 0.5) != english
        counts[entry.group]["project_wrong"] += is_english(text) != english
    print("\nlanguage ID (pages over 30 words; wrong = English called non-English, or non-English called English)")
    print(f"{'language':<10}{'pages':>7}{'fastText en>=0.5 wrong':>24}{'project wrong':>15}")
    for language, count in counts.items():
        print(f"{language:<10}{count['pages']:>7}{_share(count['owm_wrong'], count['pages']):>24}"
              f"{_share(count['project_wrong'], count['pages']):>15}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--pages", type=Path, help="directory of real HTML pages: the speed/filter/dedup report")
    parser.add_argument("--write-manifest", action="store_true", help="choose the quality page set again")
    parser.add_argument("--plot", type=Path, help="also draw the quality table to this PNG file")
    parser.add_argument("--extractors", nargs="*", default=["owm", "trafilatura", "lynx"],
                        help="compared besides project and resiliparse (default: owm trafilatura lynx)")
    parser.add_argument("--limit", type=int, default=200, help="pages to use (default 200)")
    parser.add_argument("--passes", type=int, default=1, help="extractions of every page per timed run")
    parser.add_argument("--repeats", type=int, default=15, help="timed runs per measurement; the best is kept")
    parser.add_argument("--dedup-docs", type=int, default=4000,
                        help="documents in the MinHash dedup comparison (default 4000; 0 skips it)")  # fmt: skip
    args = parser.parse_args(argv)

    if args.write_manifest:
        entries = write_manifest()
        print(f"wrote {len(entries)} pages to the manifest")
        return 0
    if args.pages is None:
        quality_report(max(1, min(args.repeats, 3)), tuple(args.extractors), args.plot)
        return 0
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
        from benchmarks.web_dedup import dedup_report  # only this report needs the synthetic corpus generator

        print(f"\nMinHash dedup, 1 and 2 workers (load average {os.getloadavg()[0]:.2f} at start):")
        dedup_report(args.dedup_docs, [1, 2])
        print(f"load average {os.getloadavg()[0]:.2f} at the end")
    return 0


if __name__ == "__main__":
    sys.exit(main())
