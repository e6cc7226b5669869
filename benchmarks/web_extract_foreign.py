"""Run OpenWebMath's extractor or trafilatura on pages, inside the benchmark's own virtual environment.

benchmarks/web_extract.py starts this file with ``.bench_venvs/owm/bin/python`` (OpenWebMath's extractor
pins Resiliparse 0.14.x; the project uses 2.x), so it imports nothing of the project. Standard input: a JSON
object {"extractor": "owm" | "trafilatura", "paths": [...]}; standard output: a JSON object {"texts":
[...], "cpu_seconds": [...]}, one entry per path, the CPU time of the extraction call alone (the page is read
and decoded before the clock starts).

OpenWebMath's extractor takes a configuration that its pipeline samples at random per page
(``text_extract/configs/randomized_all.yaml``); here every page gets the most likely choice of each option.
"""
from __future__ import annotations

import json
import sys
import time

OWM_CONFIG = {
    "markdown_headings": True,
    "markdown_code": True,
    "boilerplate_config": {"ratio_threshold": 0.18, "absolute_threshold": 10, "end_threshold": 15, "enable": True},
    "remove_buttons": True,
    "remove_image_figures": True,
    "remove_link_clusters": True,
    "table_config": {"min_rows": 2, "min_cols": 3, "format": "plain"},
    "remove_chinese": True,
    "remove_edit_buttons": True,
    "extract_latex": True,
}


def _owm(html: str) -> str:
    from text_extract.extract import extract_text

    result = extract_text(html, OWM_CONFIG)
    return result[0] if result else ""


def _trafilatura(html: str) -> str:
    import trafilatura

    return trafilatura.extract(html) or ""


def main() -> int:
    request = json.load(sys.stdin)
    extract = {"owm": _owm, "trafilatura": _trafilatura}[request["extractor"]]
    extract("<html><body><p>warm up</p></body></html>")  # imports and lazy setup before any timing
    texts, seconds = [], []
    for path in request["paths"]:
        with open(path, "rb") as handle:
            html = handle.read().decode("utf-8", errors="replace")
        started = time.process_time()
        try:
            text = extract(html)
        except Exception as error:  # an extractor's failure on one page is its empty output, counted as such
            text = ""
            print(f"{request['extractor']} failed on {path}: {type(error).__name__}: {error}", file=sys.stderr)
        seconds.append(time.process_time() - started)
        texts.append(text)
    json.dump({"texts": texts, "cpu_seconds": seconds}, sys.stdout)
    return 0


if __name__ == "__main__":
    sys.exit(main())
