"""What every converter shares: the error type, atomic output directories, progress, memory report."""
from __future__ import annotations

import contextlib
import resource
import sys
from pathlib import Path
from typing import Iterable, Iterator, TypeVar

import torch
from tqdm import tqdm

from megatron.io import atomic_directory, stale_temporaries
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
    """`megatron.io.atomic_directory` for a converter's output, with its errors as ConversionError and
    the temporaries of killed conversions of the same output reported as they are removed."""
    try:
        for stale in stale_temporaries(path):
            report(f"removed {stale}, left by a conversion that was killed")
        with atomic_directory(path, overwrite) as staging:
            yield staging
    except FileExistsError as error:
        raise ConversionError(str(error)) from error


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
