"""The installable package: every console script names a function that exists, and its tools/ twin
is a thin import of the same command."""
import importlib
import tomllib
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
SCRIPTS = tomllib.loads((REPO / "pyproject.toml").read_text())["project"]["scripts"]


@pytest.mark.parametrize("name", sorted(SCRIPTS))
def test_console_script_targets_exist(name):
    module, _, function = SCRIPTS[name].partition(":")
    assert callable(getattr(importlib.import_module(module), function)), SCRIPTS[name]


def test_tools_are_thin_and_never_edit_sys_path():
    for path in [*REPO.glob("tools/*.py"), *REPO.glob("tools/ckpts/*.py"), *REPO.glob("benchmarks/*.py")]:
        assert "sys.path.insert" not in path.read_text(), path
    for package in ("megatron", "math_lm"):
        for path in (REPO / package).rglob("*.py"):
            assert "sys.path.insert" not in path.read_text(), path
