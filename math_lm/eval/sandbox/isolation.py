"""What a sandboxed process may see, and the bubblewrap command line that shows it only that.

The file system inside is bubblewrap's empty root (a tmpfs, remounted read-only) with, read-only:
the files a program needs (`Mounts.readonly`: an interpreter, its standard library, the allowed
site-packages, the shared libraries they load, or a prover's binary and library), the sandbox
child, the program and its input files (at `INSIDE_INPUTS`); read-write: its own empty working
directory, a size-limited tmpfs (the disk quota: the child mounts it again with an inode limit too,
see `child.py`); and the devices `/dev/null` and `/dev/urandom`. No /proc, /sys, /etc, /home, /root, /tmp, no checkout.
Namespaces: new mount, PID, IPC, UTS, network (loopback only) and cgroup namespaces; as an
unprivileged caller also a user namespace.

bubblewrap does the mounting (Debian's `bubblewrap`): it is the tool built for unprivileged
sandboxes, so we only decide what to show. Which shared libraries a binary loads is asked of
`ldd`, once per binary set (cached).
"""

from __future__ import annotations

import functools
import glob
import json
import os
import shutil
import subprocess
import sys
from dataclasses import dataclass

WEAK_ISOLATION_VARIABLE = "LLEMMA_SANDBOX_ALLOW_WEAK_ISOLATION"
INSIDE_ROOT = "/sandbox"
INSIDE_WORKDIR = "/sandbox/work"
INSIDE_INPUTS = "/sandbox/inputs"
CHILD_MODULE = "llemma_sandbox_child"
"""The name the child module has inside: `python -I -m llemma_sandbox_child`. It is mounted into
the interpreter's own site-packages directory there, the one place `-I` imports from that the
sandbox may show (the checkout holding `math_lm` is exactly what it hides)."""
CHILD_SOURCE = os.path.join(os.path.dirname(os.path.abspath(__file__)), "child.py")
DEFAULT_PACKAGES = ("sympy", "mpmath", "numpy")
"""Site-packages a sandboxed Python program may import (with what they load)."""

_INSTALL_HINT = (
    "install bubblewrap (`apt-get install bubblewrap`) and, for a user other than root, allow "
    "unprivileged user namespaces (`sysctl kernel.unprivileged_userns_clone=1`)"
)


class SandboxUnavailable(RuntimeError):
    """No file-system isolation can be set up here, and weaker isolation was not asked for."""


@dataclass(frozen=True)
class Mounts:
    """Host paths shown read-only inside, each at the same path (`readonly`), or at another
    (`readonly_at`: inside path -> host path), and host directories hidden under an empty tmpfs."""

    readonly: tuple[str, ...] = ()
    readonly_at: tuple[tuple[str, str], ...] = ()
    hidden: tuple[str, ...] = ()

    def __add__(self, other: Mounts) -> Mounts:
        return Mounts(self.readonly + other.readonly, self.readonly_at + other.readonly_at, self.hidden + other.hidden)


def weak_isolation_requested(explicit: bool | None) -> bool:
    if explicit is not None:
        return explicit
    return os.environ.get(WEAK_ISOLATION_VARIABLE, "") not in ("", "0")


def bubblewrap() -> str | None:
    """The bubblewrap binary, if it is installed and can make a sandbox for this user here."""
    path = shutil.which("bwrap")
    return path if path and _bubblewrap_works(path, os.geteuid()) else None


@functools.lru_cache(maxsize=None)
def _bubblewrap_works(path: str, euid: int) -> bool:
    probe = [path, *namespace_flags(euid), "--ro-bind", "/", "/", "true"]
    try:
        return subprocess.run(probe, capture_output=True, timeout=30).returncode == 0
    except (OSError, subprocess.SubprocessError):
        return False


def require_isolation(allow_weak: bool | None) -> str | None:
    """The bubblewrap path to use; None when weak isolation is explicitly allowed and none exists."""
    path = bubblewrap()
    if path:
        return path
    if weak_isolation_requested(allow_weak):
        return None
    found = shutil.which("bwrap")
    why = f"{found} cannot create namespaces for uid {os.geteuid()}" if found else "bwrap is not installed"
    raise SandboxUnavailable(
        f"sandbox: no file-system isolation possible ({why}); {_INSTALL_HINT}. To run with weaker isolation "
        f"(limits, nobody, audit hook, but the machine's files readable), pass allow_weak_isolation=True "
        f"or set {WEAK_ISOLATION_VARIABLE}=1."
    )


def namespace_flags(euid: int) -> list[str]:
    flags = ["--unshare-ipc", "--unshare-pid", "--unshare-net", "--unshare-uts", "--unshare-cgroup-try",
             "--die-with-parent", "--cap-drop", "ALL"]
    # The child mounts its quota tmpfs (CAP_SYS_ADMIN) before it drops every capability.
    flags += ["--cap-add", "CAP_SYS_ADMIN"]
    if euid == 0:
        # No user namespace: the child becomes nobody itself (a real uid, so RLIMIT_NPROC binds),
        # which needs these two capabilities for a moment; setresuid then clears them.
        return [*flags, "--cap-add", "CAP_SETUID", "--cap-add", "CAP_SETGID"]
    return ["--unshare-user", *flags]


def child_module_path(python: str) -> str:
    """Where the child module is mounted inside, for `python -I -m CHILD_MODULE`."""
    return os.path.join(_interpreter_layout(python)["purelib"], f"{CHILD_MODULE}.py")


def bubblewrap_argv(bwrap: str, mounts: Mounts, inputs: str | None, program: str | None, child_at: str,
                    disk_quota_bytes: int) -> list[str]:
    """bubblewrap's flags up to the command: the namespaces, the mounts (the child module at
    `child_at`, the host directory `inputs` at `INSIDE_INPUTS`), the working directory (a tmpfs of
    `disk_quota_bytes`)."""
    binds = [("--ro-bind", os.path.realpath(path), path) for path in dict.fromkeys(mounts.readonly)]
    binds += [("--ro-bind", os.path.realpath(host), inside) for inside, host in mounts.readonly_at]
    binds += [("--tmpfs", path) for path in mounts.hidden]
    binds.append(("--ro-bind", CHILD_SOURCE, child_at))
    if program is not None:
        binds.append(("--ro-bind", program, f"{INSIDE_ROOT}/program.py"))
    if inputs is not None:
        binds.append(("--ro-bind", inputs, INSIDE_INPUTS))
    binds += [("--dev-bind", "/dev/null", "/dev/null"), ("--dev-bind", "/dev/urandom", "/dev/urandom"),
              ("--size", str(int(disk_quota_bytes)), "--tmpfs", INSIDE_WORKDIR)]
    # bubblewrap makes missing parents of a mount point mode 0700: make them 0755 first, so that
    # nobody can reach what is mounted.
    parents = {os.path.dirname(bind[-1]) for bind in binds}
    for parent in list(parents):
        while parent not in ("/", ""):
            parents.add(parent)
            parent = os.path.dirname(parent)
    parents.discard("/")
    argv = [bwrap, *namespace_flags(os.geteuid())]
    for parent in sorted(parents, key=lambda path: (path.count("/"), path)):
        argv += ["--perms", "0755", "--dir", parent]
    for bind in binds:
        argv += list(bind)
    return argv + ["--remount-ro", "/", "--chdir", "/"]  # the child enters the workdir once it is nobody


@functools.lru_cache(maxsize=None)
def shared_libraries(binaries: tuple[str, ...]) -> tuple[str, ...]:
    """The shared libraries (and the loader) that `binaries` load, as `ldd` resolves them."""
    libraries: set[str] = set()
    for start in range(0, len(binaries), 200):
        chunk = binaries[start : start + 200]
        completed = subprocess.run(["ldd", *chunk], capture_output=True, text=True, timeout=120)
        for line in completed.stdout.splitlines():
            words = line.split()
            if "=>" in words and len(words) >= 3 and words[words.index("=>") + 1].startswith("/"):
                libraries.add(words[words.index("=>") + 1])
            elif words and words[0].startswith("/") and "(0x" in line:
                libraries.add(words[0])
    return tuple(sorted(path for path in libraries if os.path.exists(path)))


_PROBE = (
    "import json, sys, sysconfig; paths = sysconfig.get_paths(); "
    "print(json.dumps({'stdlib': paths['stdlib'], 'purelib': paths['purelib'], 'platlib': paths['platlib'], "
    "'prefix': sys.prefix, 'base_prefix': sys.base_prefix}))"
)


@functools.lru_cache(maxsize=None)
def _interpreter_layout(python: str) -> dict[str, str]:
    completed = subprocess.run([python, "-I", "-c", _PROBE], capture_output=True, text=True, timeout=60)
    if completed.returncode != 0:
        raise SandboxUnavailable(f"sandbox: cannot run {python}: {completed.stderr.strip()[-500:]}")
    return json.loads(completed.stdout)


@functools.lru_cache(maxsize=None)
def python_mounts(python: str, packages: tuple[str, ...] = DEFAULT_PACKAGES) -> Mounts:
    """What `python` needs to run a program that may import `packages` (and nothing else of its
    site-packages): the binary, pyvenv.cfg, the standard library, those packages, their libraries."""
    layout = _interpreter_layout(python)
    readonly = [python]
    pyvenv = os.path.join(os.path.dirname(os.path.dirname(python)), "pyvenv.cfg")
    if os.path.exists(pyvenv):
        readonly.append(pyvenv)
    readonly.append(layout["stdlib"])
    site_directories = list(dict.fromkeys([layout["purelib"], layout["platlib"]]))
    for site in site_directories:
        for package in packages:
            for candidate in (package, f"{package}.py", f"{package}.libs", f"{package}-stubs"):
                if os.path.exists(os.path.join(site, candidate)):
                    readonly.append(os.path.join(site, candidate))
    hidden = [site for site in glob.glob(os.path.join(layout["stdlib"], "site-packages"))
              if site not in site_directories]
    elf_files = [os.path.realpath(python), *glob.glob(os.path.join(layout["stdlib"], "lib-dynload", "*.so"))]
    for path in readonly[1:]:
        if os.path.isdir(path):
            elf_files += glob.glob(os.path.join(path, "**", "*.so*"), recursive=True)
    return Mounts(tuple(readonly) + shared_libraries(tuple(sorted(set(elf_files)))), hidden=tuple(hidden))


def sandbox_python() -> str:
    """The interpreter sandboxed programs run in: this one (its venv path, not the resolved binary)."""
    return sys.executable
