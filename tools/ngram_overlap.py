"""N-gram overlap of a test set with a training corpus (the LLEMMA paper's 30-gram check); see
math_lm/eval/overlap/cli.py (`python tools/ngram_overlap.py --help`)."""
from math_lm.eval.overlap.cli import run

if __name__ == "__main__":
    run()
