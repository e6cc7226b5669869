"""N-gram overlap between a test set and a training corpus (the LLEMMA paper's 30-gram analysis):
`scan` finds the hits (workers over the corpus), `report` summarises and plots them, `cli` is the
`ngram_overlap.py` command."""
from math_lm.eval.overlap.report import format_summary, load_correctness, plot_summary, run_analysis, summarize
from math_lm.eval.overlap.scan import (
    DEFAULT_N,
    CorpusSpec,
    OverlapError,
    OverlapResult,
    build_index,
    find_overlap,
    ngram_hashes,
    normalize_words,
)

__all__ = [
    "DEFAULT_N", "CorpusSpec", "OverlapError", "OverlapResult", "build_index", "find_overlap", "format_summary",
    "load_correctness", "ngram_hashes", "normalize_words", "plot_summary", "run_analysis", "summarize",
]
