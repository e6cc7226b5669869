"""Without bubblewrap the sandbox refuses to run, unless weak isolation is asked for (runs everywhere)."""

import os

import pytest

from math_lm.eval.sandbox import SandboxUnavailable, isolation, run_program

LIMITS = {"timeout_s": 2.0, "memory_mb": 512}


def test_refuses_without_isolation_unless_weak_isolation_is_asked_for(monkeypatch, tmp_path):
    monkeypatch.setenv("PATH", str(tmp_path))  # no bwrap on the PATH
    monkeypatch.delenv(isolation.WEAK_ISOLATION_VARIABLE, raising=False)
    with pytest.raises(SandboxUnavailable, match="apt-get install bubblewrap"):
        run_program("print(1)", **LIMITS)
    assert run_program("print(1)", allow_weak_isolation=True, **LIMITS).answer == "1"
    monkeypatch.setenv(isolation.WEAK_ISOLATION_VARIABLE, "1")
    assert run_program("import os\nprint(os.getuid())\n", **LIMITS).answer == str(65534 if os.geteuid() == 0 else os.getuid())
