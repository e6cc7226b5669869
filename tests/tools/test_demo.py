"""tools/demo.py --help prints what the demo does and runs nothing."""
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]


def test_help_prints_help_and_runs_nothing(tmp_path):
    completed = subprocess.run([sys.executable, str(REPO / "tools/demo.py"), "--help"], cwd=tmp_path,
                               capture_output=True, text=True, timeout=60)
    assert completed.returncode == 0, completed.stderr
    assert completed.stdout.startswith("usage: demo.py") and "end-to-end demo" in completed.stdout
    assert "===" not in completed.stdout  # no step banner: nothing ran


def test_unknown_arguments_are_refused():
    completed = subprocess.run([sys.executable, str(REPO / "tools/demo.py"), "--output", "x"],
                               capture_output=True, text=True, timeout=60)
    assert completed.returncode == 2 and "unrecognized arguments" in completed.stderr
