"""What every converter shares: the error type, atomic output directories, progress, memory report."""
from __future__ import annotations

import contextlib
import os
import resource
import shutil
import sys
import tempfile
from pathlib import Path
from typing import Iterable, Iterator, TypeVar

import torch
from tqdm import tqdm

from megatron.interrupts import pid_tag, remove_stale_temporaries
from megatron.model.config import dtype_from_name

T = TypeVar("T")


class ConversionError(ValueError):
    """A checkpoint that cannot be converted; the message names the file, key or tensor."""


def parse_dtype(name: str | None) -> torch.dtype | None:
    """"bf16" / "fp32" / "bfloat16" / ... -> torch dtype; None keeps each tensor's stored dtype."""
    if name is None:
        return None
    try:
        return dtype_from_name(name)
    except ValueError as error:
        raise ConversionError(f"--dtype: {error}") from error


def cast(tensor: torch.Tensor, dtype: torch.dtype | None) -> torch.Tensor:
    return tensor if dtype is None or tensor.dtype == dtype else tensor.to(dtype)


@contextlib.contextmanager
def output_directory(path: str | Path, overwrite: bool) -> Iterator[Path]:
    """Yield a fresh temporary directory beside `path`; on success it becomes `path`.

    An existing `path` is refused unless `overwrite`; then it is replaced only after the new
    output is complete. On any exception the temporary directory is removed and `path` is untouched.
    """
    path = Path(path).absolute()
    if path.exists() and not overwrite:
        raise ConversionError(f"output {path} already exists; pass --overwrite to replace it")
    path.parent.mkdir(parents=True, exist_ok=True)
    for stale in remove_stale_temporaries(path.parent, f".{path.name}."):
        report(f"removed {stale}, left by a conversion that was killed")
    staging = Path(tempfile.mkdtemp(prefix=f".{path.name}.{pid_tag()}-", dir=path.parent))
    try:
        yield staging
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    if path.exists():
        retired = Path(tempfile.mkdtemp(prefix=f".{path.name}.{pid_tag()}-old-", dir=path.parent))
        os.replace(path, retired / path.name)
        os.replace(staging, path)
        shutil.rmtree(retired, ignore_errors=True)
    else:
        os.replace(staging, path)


def tensor_progress(items: Iterable[T], total: int, description: str) -> Iterator[T]:
    """A tqdm bar that advances once per tensor (on stderr, so stdout keeps the summary)."""
    return iter(tqdm(items, total=total, desc=description, unit="tensor", file=sys.stderr, dynamic_ncols=True))


def peak_rss_mib() -> float:
    """This process's peak resident set size so far, in MiB (Linux reports ru_maxrss in KiB)."""
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return peak / (1024 * 1024) if sys.platform == "darwin" else peak / 1024


def report(message: str) -> None:
    """A line of the converter's summary, with the peak memory so far."""
    print(f"{message} (peak RSS {peak_rss_mib():,.0f} MiB)", flush=True)
