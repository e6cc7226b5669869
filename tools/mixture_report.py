"""Report a run's training mixture; see math_lm/mixture_cli.py (`python tools/mixture_report.py --help`)."""
from math_lm.mixture_cli import run_report

if __name__ == "__main__":
    run_report()
