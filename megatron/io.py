"""Files and directories that appear complete or not at all.

Every writer in the project that must never leave a half-written output goes through here:
a temporary name beside the target (carrying the writer's pid, so that a later run removes what
a killed one left: `megatron.interrupts.remove_stale_temporaries`), then one `os.replace`.
"""
from __future__ import annotations

import contextlib
import os
import shutil
import tempfile
from pathlib import Path
from typing import IO, Iterator

from megatron.interrupts import pid_tag, remove_stale_temporaries


def temporary_name(path: Path) -> Path:
    """The hidden temporary beside `path` that this process writes before renaming it to `path`."""
    return path.with_name(f".{path.name}.{pid_tag()}")


@contextlib.contextmanager
def atomic_file(path: str | os.PathLike, mode: str = "w", fsync: bool = True) -> Iterator[IO]:
    """Open a temporary beside `path` for writing; on success it is flushed, synced (with `fsync`)
    and renamed to `path`; on any exception it is removed and `path` is untouched."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = temporary_name(path)
    try:
        with open(temporary, mode, **({} if "b" in mode else {"encoding": "utf-8"})) as handle:
            yield handle
            handle.flush()
            if fsync:
                os.fsync(handle.fileno())
        os.replace(temporary, path)
    finally:
        temporary.unlink(missing_ok=True)


def write_text_atomically(path: str | os.PathLike, text: str, fsync: bool = True) -> None:
    with atomic_file(path, "w", fsync) as handle:
        handle.write(text)


def write_bytes_atomically(path: str | os.PathLike, data: bytes, fsync: bool = True) -> None:
    with atomic_file(path, "wb", fsync) as handle:
        handle.write(data)


def fsync_directory(directory: str | os.PathLike) -> None:
    """Make the entries of `directory` (renames, new files) durable."""
    descriptor = os.open(directory, os.O_RDONLY)
    try:
        os.fsync(descriptor)
    finally:
        os.close(descriptor)


def fsync_tree(directory: str | os.PathLike) -> None:
    """Sync every file under `directory`, then the directory itself."""
    directory = Path(directory)
    for path in sorted(directory.rglob("*")):
        if path.is_file():
            with open(path, "rb") as handle:
                os.fsync(handle.fileno())
    fsync_directory(directory)


def replace_directory(staging: Path, final: Path, retired: Path | None = None) -> None:
    """Rename the complete directory `staging` to `final`; an existing `final` is first moved aside
    (to `retired`, default a temporary beside it) and removed only once the new one is in place."""
    if final.exists():
        if retired is None:
            holder = Path(tempfile.mkdtemp(prefix=f".{final.name}.{pid_tag()}-old-", dir=final.parent))
            retired = holder / final.name
        os.replace(final, retired)
        os.replace(staging, final)
        shutil.rmtree(retired if retired.parent == final.parent else retired.parent, ignore_errors=True)
    else:
        os.replace(staging, final)


@contextlib.contextmanager
def atomic_directory(path: str | os.PathLike, overwrite: bool = False) -> Iterator[Path]:
    """Yield a fresh temporary directory beside `path`; on success it becomes `path`.

    An existing `path` raises FileExistsError unless `overwrite`; then it is replaced only after the
    new output is complete. On any exception the temporary directory is removed and `path` is
    untouched. (Call `stale_temporaries(path)` first to clear what killed writers left.)"""
    path = Path(path).absolute()
    if path.exists() and not overwrite:
        raise FileExistsError(f"output {path} already exists; pass --overwrite to replace it")
    path.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{path.name}.{pid_tag()}-", dir=path.parent))
    try:
        yield staging
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    replace_directory(staging, path)


def stale_temporaries(path: str | os.PathLike) -> list[Path]:
    """Remove the temporaries (files or directories) that killed writers of `path` left beside it."""
    path = Path(path).absolute()
    return remove_stale_temporaries(path.parent, f".{path.name}.")
