"""The program sandbox against ordinary and hostile programs."""

import os
import time

import pytest

from math_lm.eval.sandbox import extract_program, run_program

LIMITS = {"timeout_s": 2.0, "memory_mb": 512}


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
    assert time.monotonic() - started < 3.0


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
    started = time.monotonic()
    for bomb in (
        "import os\nwhile True:\n    os.fork()\n",
        "import multiprocessing\nwhile True:\n    multiprocessing.Process(target=print).start()\n",
        "import _posixsubprocess\n_posixsubprocess.fork_exec()\n",
    ):
        result = run_program(bomb, **LIMITS)
        assert result.status == "error" and "not allowed" in result.error, result.error
    threads = "import threading, time\nwhile True:\n    threading.Thread(target=time.sleep, args=(9,)).start()\n"
    assert run_program(threads, **LIMITS).error == "RuntimeError: can't start new thread"
    assert time.monotonic() - started < 5.0


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
    code = "import os\nopen('notes.txt', 'w').write('kept')\nos.mkdir('sub')\nprint(os.getcwd())\n"
    result = run_program(code, **LIMITS)
    assert result.ok and result.answer.startswith("/")
    assert not os.path.exists(result.answer)


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


def test_private_files_are_unreadable_with_an_interpreter_everyone_can_read(tmp_path):
    from math_lm.eval.sandbox import _readable_by_everyone

    system_python = "/usr/bin/python3"
    if os.geteuid() != 0 or not os.path.exists(system_python) or not _readable_by_everyone(system_python):
        pytest.skip("needs root and a system interpreter readable by every user")
    secret = tmp_path / "secret.txt"
    secret.write_text("private")
    secret.chmod(0o600)
    tmp_path.chmod(0o755)
    result = run_program(f"print(open({str(secret)!r}).read())\n", python=system_python, **LIMITS)
    assert result.status == "error" and "Permission denied" in result.error
