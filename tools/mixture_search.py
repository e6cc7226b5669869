"""Choose the Proof-Pile-2 mixture the way LLEMMA did; see math_lm/mixture_cli.py (`python tools/mixture_search.py --help`)."""
from math_lm.mixture_cli import run_search

if __name__ == "__main__":
    run_search()
