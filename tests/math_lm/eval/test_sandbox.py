"""The program sandbox against ordinary and hostile programs."""

import json
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest

from math_lm.eval.sandbox import Mounts, extract_program, isolation, run_command, run_program

REPO = Path(__file__).resolve().parents[3]
pytestmark = pytest.mark.skipif(isolation.bubblewrap() is None, reason="bubblewrap cannot isolate here (apt-get install bubblewrap)")

# Generous: a loaded machine can spend seconds just starting the sandboxed interpreter; tests that
# check the wall-clock limit set their own.
LIMITS = {"timeout_s": 30.0, "memory_mb": 512}


def test_answer_is_the_last_printed_line():
    result = run_program("print('working')\nprint(6 * 7)\nprint()\n", **LIMITS)
    assert result.ok and result.answer == "42" and result.exit_code == 0
    assert result.stdout.splitlines()[:2] == ["working", "42"]


def test_answer_is_what_solution_returns():
    code = "def solution():\n    apples = 5\n    eaten = 2\n    return apples - eaten\n"
    assert run_program(code, **LIMITS).answer == "3"
    returns_none = "def solution():\n    print('7')\n\nprint('ignored')\n"
    assert run_program(returns_none, **LIMITS).answer == "7"


def test_sympy_answers_come_back_as_latex():
    code = "import sympy\n\ndef solution():\n    return sympy.Rational(3, 4) + sympy.sqrt(2)\n"
    result = run_program(code, timeout_s=10, memory_mb=1024)
    assert result.ok, result.stderr
    assert result.answer in ("\\sqrt{2} + \\frac{3}{4}", "\\frac{3}{4} + \\sqrt{2}")


def test_exception_is_an_error_with_its_traceback():
    result = run_program("x = 1\nprint('before')\nx / 0\n", **LIMITS)
    assert result.status == "error" and result.answer is None
    assert result.error.startswith("ZeroDivisionError")
    assert "ZeroDivisionError" in result.stderr
    assert run_program("import sys\nsys.exit(3)\n", **LIMITS).status == "error"
    assert run_program("print(5)\nraise SystemExit(0)\n", **LIMITS).answer == "5"


def test_infinite_loop_times_out_quickly():
    started = time.monotonic()
    result = run_program("while True:\n    pass\n", timeout_s=1.0, memory_mb=256)
    assert result.status == "timeout" and result.answer is None
    assert time.monotonic() - started < 60  # the loop never ends by itself; the bound is for loaded machines


def test_memory_bomb_fails_as_memory():
    assert run_program("x = bytearray(10**11)\n", **LIMITS).status == "memory"
    growing = "chunks = []\nwhile True:\n    chunks.append(' ' * 10**7)\n"
    assert run_program(growing, **LIMITS).status == "memory"


def test_shell_and_subprocess_are_refused(tmp_path):
    marker = tmp_path / "shell-ran"
    result = run_program(f"import os\nos.system('touch {marker}')\n", **LIMITS)
    assert result.status == "error" and "os.system" in result.error
    result = run_program(f"import subprocess\nsubprocess.run(['touch', '{marker}'])\n", **LIMITS)
    assert result.status == "error"
    assert not marker.exists()


def test_fork_bomb_is_bounded():
    """Each bomb is refused at once: one that ran to its time limit would end as "timeout"."""
    for bomb in (
        "import os\nwhile True:\n    os.fork()\n",
        "import multiprocessing\nwhile True:\n    multiprocessing.Process(target=print).start()\n",
        "import _posixsubprocess\n_posixsubprocess.fork_exec()\n",
    ):
        result = run_program(bomb, **LIMITS)
        assert result.status == "error" and "not allowed" in result.error, result.error
    threads = "import threading, time\nwhile True:\n    threading.Thread(target=time.sleep, args=(9,)).start()\n"
    assert run_program(threads, **LIMITS).error == "RuntimeError: can't start new thread"


def test_network_is_unreachable():
    for code in (
        "import socket\nsocket.create_connection(('127.0.0.1', 9), timeout=1)\n",
        "import socket\nsocket.socket(socket.AF_INET, socket.SOCK_DGRAM).sendto(b'x', ('10.0.0.1', 53))\n",
        "import urllib.request\nurllib.request.urlopen('http://example.com', timeout=1)\n",
    ):
        result = run_program(code, **LIMITS)
        assert result.status == "error" and result.answer is None


def test_writes_stay_inside_a_temporary_directory_that_is_removed(tmp_path):
    outside = tmp_path / "escaped.txt"
    result = run_program(f"open({str(outside)!r}, 'w').write('x')\n", **LIMITS)
    assert result.status == "error" and not outside.exists()
    assert run_program(f"import os\nos.remove({str(tmp_path)!r})\n", **LIMITS).status == "error"
    assert tmp_path.exists()
    code = "import os\nopen('notes.txt', 'w').write('kept')\nos.mkdir('sub')\nprint(sorted(os.listdir()))\n"
    assert run_program(code, **LIMITS).answer == "['notes.txt', 'sub']"
    assert run_program("import os\nprint(os.listdir())\n", **LIMITS).answer == "[]"  # each run starts empty


def test_caller_environment_and_stdin_are_not_passed(monkeypatch):
    monkeypatch.setenv("LLEMMA_SECRET_TOKEN", "do-not-leak")
    result = run_program("import os\nprint(sorted(os.environ))\n", **LIMITS)
    assert result.ok and "LLEMMA_SECRET_TOKEN" not in result.stdout
    assert run_program("input()\n", **LIMITS).error.startswith("EOFError")


def test_runs_unprivileged():
    result = run_program("import os\nprint(os.getuid())\n", **LIMITS)
    expected = 65534 if os.geteuid() == 0 else os.getuid()
    assert result.answer == str(expected)
    raise_limit = "import resource\nresource.setrlimit(resource.RLIMIT_AS, (-1, -1))\n"
    assert run_program(raise_limit, **LIMITS).status == "error"
    assert run_program("import os\nos.kill(os.getppid(), 9)\n", **LIMITS).status == "error"


def test_output_is_capped_but_keeps_the_last_line():
    result = run_program("for i in range(200000):\n    print(i)\n", max_output_bytes=4096, **LIMITS)
    assert result.ok and result.output_truncated and result.answer == "199999"
    assert len(result.stdout) < 5000


def test_bad_limits_are_rejected():
    with pytest.raises(ValueError, match="timeout_s"):
        run_program("print(1)", timeout_s=0)


def test_extract_program():
    generation = "Let's write a program.\n```python\ndef solution():\n    return 2 + 3\n```\nThe answer is 5.\n```python\nprint(9)\n```"
    assert extract_program(generation) == "def solution():\n    return 2 + 3\n"
    assert extract_program("def solution():\n    return 1\n") == "def solution():\n    return 1\n"
    assert run_program(extract_program(generation), **LIMITS).answer == "5"


# --- file-system isolation, capabilities, limits enforced from outside ---


def _error_of(code: str) -> str:
    result = run_program(code, **LIMITS)
    assert result.status == "error", (code, result)
    return result.error


def test_system_files_homes_and_the_checkout_are_invisible():
    assert _error_of("print(open('/etc/shadow').read())\n").startswith("FileNotFoundError")
    assert _error_of("print(open('/root/.bashrc').read())\n").startswith("FileNotFoundError")
    assert _error_of(f"print(open({__file__!r}).read())\n").startswith("FileNotFoundError")
    mounted = isolation.python_mounts(sys.executable).readonly
    # A directory exists inside only where the interpreter or its packages live below it (a checkout
    # under /tmp or /root puts its venv there), and then it lists nothing but the way to them.
    for directory in ("/root", str(REPO), "/home", "/tmp"):
        result = run_program(f"import os\nprint(sorted(os.listdir({directory!r})))\n", **LIMITS)
        if result.ok:
            for name in eval(result.answer):
                assert any(path.startswith(f"{directory}/{name}/") for path in mounted), (directory, name)
        else:
            assert result.error.startswith("FileNotFoundError")
    for directory in ("/proc", "/sys", "/etc"):
        assert _error_of(f"import os\nos.listdir({directory!r})\n").startswith("FileNotFoundError"), directory


def test_only_the_interpreter_its_packages_and_two_devices_are_visible():
    mounts = isolation.python_mounts(sys.executable)
    allowed = [*mounts.readonly, "/sandbox/program.py", isolation.child_module_path(sys.executable), "/dev/null",
               "/dev/urandom"]
    code = (
        f"import os, json\nallowed = {allowed!r}\nstrays, seen = [], set()\n"
        "for top, dirs, names in os.walk('/'):\n"
        "    for path in (os.path.join(top, name) for name in names):\n"
        "        seen.add(os.path.basename(os.path.dirname(path)))\n"
        "        if not any(path == root or path.startswith(root + '/') for root in allowed):\n"
        "            strays.append(path)\n"
        "print(json.dumps([strays[:20], sorted({'sympy', 'numpy', 'torch', 'transformers'} & seen)]))\n"
    )
    result = run_program(code, timeout_s=30, memory_mb=1024)
    assert result.ok, result.stderr
    strays, packages = json.loads(result.answer)
    assert strays == []
    assert packages == ["numpy", "sympy"]  # the allowed site-packages, not the rest of the venv
    assert run_program("import os\nprint(sorted(os.listdir('/dev')))\n", **LIMITS).answer == "['null', 'urandom']"
    assert run_program("import os\nprint(len(os.urandom(8)))\n", **LIMITS).answer == "8"
    assert _error_of("import torch\n").startswith("ModuleNotFoundError")


def _python_in_sandbox(script: str, **limits) -> subprocess.CompletedProcess:
    """Run `python -c script` as a plain command (no audit hook) inside the sandbox."""
    result = run_command([sys.executable, "-I", "-c", script], mounts=Mounts(), timeout_s=limits.get("timeout_s", 5))
    assert result.sandbox_error is None, result.sandbox_error
    return result


def test_no_capabilities_and_no_way_back_to_root():
    script = (
        "import ctypes, os\nlibc = ctypes.CDLL(None)\n"
        "header = (ctypes.c_uint32 * 2)(0x20080522, 0); data = (ctypes.c_uint32 * 6)()\n"
        "assert libc.capget(header, data) == 0\nprint(list(data), os.getuid(), os.geteuid())\n"
        "try:\n    os.setuid(0)\nexcept PermissionError:\n    print('setuid refused')\n"
    )
    result = _python_in_sandbox(script)
    expected_uid = 65534 if os.geteuid() == 0 else os.getuid()
    assert result.stdout.split("\n")[:2] == [f"[0, 0, 0, 0, 0, 0] {expected_uid} {expected_uid}", "setuid refused"]


def test_network_namespace_has_no_route_even_without_the_audit_hook():
    script = (
        "import socket\n"
        "for address in [('1.1.1.1', 80), ('10.0.0.1', 53)]:\n"
        "    try:\n        socket.create_connection(address, timeout=2)\n        print('connected')\n"
        "    except OSError as error:\n        print(type(error).__name__)\n"
    )
    result = _python_in_sandbox(script)
    assert "connected" not in result.stdout and result.stdout.count("OSError") == 2, result.stdout


def test_fork_fails_even_without_the_audit_hook():
    script = "import os\ntry:\n    os.fork()\n    print('forked')\nexcept OSError as error:\n    print(type(error).__name__)\n"
    assert _python_in_sandbox(script).stdout.strip() == "BlockingIOError"


@pytest.mark.slow
def test_wall_clock_limit_holds_against_deep_recursion_and_ignored_signals():
    for code in (
        "import sys\nsys.setrecursionlimit(10**8)\ndef down(n):\n    return down(n + 1) + 1\ndown(0)\n",
        "import signal, time\nsignal.signal(signal.SIGTERM, signal.SIG_IGN)\ntime.sleep(600)\n",
    ):
        started = time.monotonic()
        result = run_program(code, timeout_s=2.0, memory_mb=1024)
        elapsed = time.monotonic() - started
        # Each would run for minutes unkilled; the margin over the 2 s limit is for loaded machines.
        assert result.status in ("timeout", "error", "memory") and elapsed < 60, (result.status, elapsed)
    assert run_program("import time\ntime.sleep(60)\n", timeout_s=1.0).status == "timeout"


_AS_UNPRIVILEGED_USER = r"""
import json, sys
from math_lm.eval.sandbox import run_program
codes = {"shadow": "print(open('/etc/shadow').read())", "passwd": "print(open('/etc/passwd').read())",
         "uid": "import os\nprint(os.getuid())", "listing": "import os\nprint(sorted(os.listdir('/')))",
         "answer": "def solution():\n    return 6 * 7\n"}
print(json.dumps({name: [r.status, r.answer, r.error] for name, code in codes.items()
                  for r in [run_program(code, timeout_s=5, memory_mb=512)]}))
"""


def test_the_child_runs_as_a_module_in_isolated_mode():
    code = "import sys\nprint(sys.flags.isolated, sys.modules['__main__'].__spec__.name)\n"
    assert run_program(code, **LIMITS).answer == "1 llemma_sandbox_child"


def test_works_for_an_unprivileged_user_through_user_namespaces():
    system_python = "/usr/bin/python3"
    if os.geteuid() != 0 or not shutil.which("setpriv") or not os.access(system_python, os.X_OK):
        pytest.skip("needs root (to become nobody), setpriv and a system python3 readable by nobody")
    probe = subprocess.run(["setpriv", "--reuid", "65534", "--regid", "65534", "--clear-groups", "test", "-r",
                            str(REPO / "math_lm" / "eval" / "sandbox" / "child.py")])
    if probe.returncode != 0:
        pytest.skip(f"nobody cannot read the checkout at {REPO}")
    completed = subprocess.run(
        ["setpriv", "--reuid", "65534", "--regid", "65534", "--clear-groups", "env", f"PYTHONPATH={REPO}",
         system_python, "-c", _AS_UNPRIVILEGED_USER],
        capture_output=True, text=True, timeout=120, cwd="/",
    )
    assert completed.returncode == 0, completed.stderr
    outcomes = json.loads(completed.stdout)
    assert outcomes["shadow"][0] == "error" and outcomes["shadow"][2].startswith("FileNotFoundError")
    assert outcomes["passwd"][2].startswith("FileNotFoundError")
    assert outcomes["uid"][1] == "65534" and outcomes["answer"][1] == "42"
    assert "root" not in outcomes["listing"][1] and "etc" not in outcomes["listing"][1]
