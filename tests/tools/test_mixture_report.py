"""tools/mixture_report.py: the table, the repeat warning, the plot, and errors naming the key and path."""
from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from tests.math_lm.test_mixture import write_config, write_sized_corpus

REPO_ROOT = Path(__file__).resolve().parents[2]
TOOL = REPO_ROOT / "tools" / "mixture_report.py"


def run_tool(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, str(TOOL), *args], capture_output=True, text=True, timeout=120, cwd=REPO_ROOT)


@pytest.mark.slow
def test_report_table_warning_plot_and_json(tmp_path):
    prefixes = [
        write_sized_corpus(tmp_path / "arxiv", "train_text_document", [10] * 10),
        write_sized_corpus(tmp_path / "open-web-math", "train_text_document", [40] * 25),
        write_sized_corpus(tmp_path / "algebraic-stack", "train_text_document", [20, 30]),
    ]
    config = write_config(tmp_path / "run.yml", train_data_paths=prefixes, train_data_weights=[1, 2, 1])
    result = run_tool(str(config), "--max-epochs", "3", "--plot", str(tmp_path / "mix.png"), "--json", str(tmp_path / "mix.json"))
    assert result.returncode == 0, result.stderr
    rows = {line.split()[0]: line.split() for line in result.stdout.splitlines() if "/train_text_document" in line}
    # name, key, weight, share, documents, tokens available, tokens drawn, epochs
    assert rows["arxiv/train_text_document"][2:] == ["1", "25.00%", "10", "100", "250", "2.500"]
    assert rows["open-web-math/train_text_document"][2:] == ["2", "50.00%", "25", "1.00K", "500", "0.500"]
    assert rows["algebraic-stack/train_text_document"][2:] == ["1", "25.00%", "2", "50", "250", "5.000"]
    warnings = [line for line in result.stderr.splitlines() if line.startswith("warning:")]
    assert len(warnings) == 1 and "train_data_paths[2]" in warnings[0] and "more than 3 epochs" in warnings[0]
    assert (tmp_path / "mix.png").read_bytes()[:4] == b"\x89PNG"
    assert json.loads((tmp_path / "mix.json").read_text())["sources"][0]["tokens_available"] == 100


@pytest.mark.slow
def test_report_missing_path_is_an_error_naming_key_and_path_unless_allowed(tmp_path):
    present = write_sized_corpus(tmp_path, "a_text_document", [10] * 10)
    missing = str(tmp_path / "absent_text_document")
    config = write_config(tmp_path / "run.yml", train_data_paths=[present, missing])
    result = run_tool(str(config))
    assert result.returncode == 1
    assert "train_data_paths[1]" in result.stderr and f"{missing}.idx" in result.stderr
    allowed = run_tool(str(config), "--allow-missing")
    assert allowed.returncode == 0, allowed.stderr
    assert "unknown" in allowed.stdout and "train_data_paths[1]" in allowed.stderr
