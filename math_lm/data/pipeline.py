"""The driver shared by every subset: datatrove pipelines from work units to deduplicated, split shards.

A subset supplies :class:`Subset`: how to turn input paths into picklable units of work, how to process one
unit into documents and drops, and which deduplicators to apply. :func:`prepare_subset` turns that into
datatrove stages (see :mod:`math_lm.data.datatrove_steps`) and runs them on one of datatrove's executors:

* ``local``: ``LocalPipelineExecutor``, ``workers`` processes on this machine (what the tests use);
* ``slurm``: ``SlurmPipelineExecutor``, one job array per stage chained by dependencies; the command returns
  once the jobs are submitted and ``stats.json`` appears when the last one finishes;
* ``ray``: ``RayPipelineExecutor`` on the Ray cluster at ``address`` (a local one when it is ``None``).

Intermediate files live in ``OUTPUT_DIR/.prepare-work/`` (one folder of datatrove logs per stage, the
extracted documents, MinHash signatures). Running the same command again after a failure resumes: datatrove
skips the tasks it marked complete. A different subset configuration, input list or task count starts
afresh. The finished output appears atomically (see :mod:`math_lm.data.shards`); local and Ray runs then
remove the work folder, Slurm runs keep its logs.
"""

from __future__ import annotations

import json
import logging
import shutil
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol, Sequence

from datatrove.executor import LocalPipelineExecutor, SlurmPipelineExecutor
from datatrove.pipeline.dedup.minhash import MinhashDedupBuckets
from datatrove.pipeline.writers import JsonlWriter

from math_lm.data.datatrove_steps import (
    DOCUMENTS_DIR,
    MINHASH_DIR,
    MINHASH_REMOVE_DIR,
    FirstCopyMinhashCluster,
    MathWordTokenizer,
    RerunSafeMinhashSignature,
    SplitShardWriter,
    SubsetExtractor,
    WorkUnitReader,
    DOCUMENTS_FILENAME,
    math_minhash_config,
)
from math_lm.data.budget import DocumentBudget
from math_lm.data.dedup import MinHashLSHDeduplicator
from math_lm.data.documents import UnitResult, check_inputs_exist
from math_lm.data.shards import STATS_FILE, check_output_free
from math_lm.data.watchdog import DocumentRunner
from megatron.io import write_text_atomically

logger = logging.getLogger(__name__)

WORK_DIR_NAME = ".prepare-work"
EXECUTORS = ("local", "slurm", "ray")
_SETTINGS_FILE = "settings.json"
_FINAL_STAGE = "write"


class Deduplicator(Protocol):
    """Anything with a drop ``reason`` and an ``is_duplicate(document)`` that remembers what it kept."""

    reason: str

    def is_duplicate(self, document: Any) -> bool: ...


class Subset(Protocol):
    """One Proof-Pile-2 subset preprocessor."""

    name: str

    def work_units(self, inputs: Sequence[Path]) -> list[Any]:
        """Picklable units of work for the given (existing) input paths, in a deterministic order."""
        ...

    budget: DocumentBudget

    def process(self, unit: Any, runner: DocumentRunner | None = None) -> UnitResult:
        """Process one unit; bad input becomes drops, never exceptions. Each document's extraction goes
        through ``runner`` (the pipeline's :class:`~math_lm.data.watchdog.DocumentWorker`, enforcing the
        time and memory of ``budget``); ``None`` runs it in this process."""
        ...

    def deduplicators(self) -> list[Deduplicator]:
        """Fresh deduplicators, applied in order to every document (first copy in input order wins).

        A :class:`~math_lm.data.dedup.MinHashLSHDeduplicator` becomes datatrove's MinHash stages with its
        bands and rows; the others run in the final single task.
        """
        ...


@dataclass(frozen=True)
class SlurmOptions:
    """``SlurmPipelineExecutor`` settings: partition, time limit, CPUs and memory per task, the environment."""

    partition: str
    time: str = "24:00:00"
    cpus_per_task: int = 1
    mem_per_cpu_gb: int = 2
    env_command: str | None = None  # shell lines run before each task; default: this venv and the repository
    with_srun: bool = True


@dataclass(frozen=True)
class RayOptions:
    """``RayPipelineExecutor`` settings: the cluster address (``None``: start a local Ray) and task resources."""

    address: str | None = None
    cpus_per_task: int = 1
    mem_per_cpu_gb: float = 2


def _repository_root() -> Path:
    return Path(__file__).resolve().parents[2]


def _default_env_command() -> str:
    """Activate this interpreter's virtual environment (if any) and put the repository on ``PYTHONPATH``."""
    lines = []
    if sys.prefix != sys.base_prefix:
        lines.append(f"source {Path(sys.prefix) / 'bin' / 'activate'}")
    lines.append(f"export PYTHONPATH={_repository_root()}${{PYTHONPATH:+:$PYTHONPATH}}")
    return "\n".join(lines)


def _minhash_deduplicator(subset: Subset) -> MinHashLSHDeduplicator | None:
    return next((d for d in subset.deduplicators() if isinstance(d, MinHashLSHDeduplicator)), None)


def _stages(subset: Subset, inputs: list[str], output_dir: Path, work_dir: Path, tasks: int, shard_bytes: int):
    """``(name, pipeline, task count)`` for each stage, in dependency order."""
    minhash = _minhash_deduplicator(subset)
    extract: list[Any] = [
        WorkUnitReader(subset, inputs),
        SubsetExtractor(subset, str(work_dir)),
        JsonlWriter(str(work_dir / DOCUMENTS_DIR), output_filename=DOCUMENTS_FILENAME),
    ]
    stages = [("extract", extract, tasks)]
    if minhash is not None:
        config = math_minhash_config(minhash)
        signatures, buckets = work_dir / MINHASH_DIR / "signatures", work_dir / MINHASH_DIR / "buckets"
        extract.append(RerunSafeMinhashSignature(str(signatures), config=config, language=MathWordTokenizer()))
        stages.append(("minhash-buckets", [MinhashDedupBuckets(str(signatures), str(buckets), config=config)],
                       config.num_buckets))  # fmt: skip
        cluster = FirstCopyMinhashCluster(str(buckets), str(work_dir / MINHASH_REMOVE_DIR), config=config,
                                          signatures_folder=str(signatures), threshold=minhash.threshold)  # fmt: skip
        stages.append(("minhash-clusters", [cluster], 1))
    writer = SplitShardWriter(subset, inputs, str(work_dir), str(output_dir), tasks, shard_bytes, minhash is not None)
    stages.append((_FINAL_STAGE, [writer], 1))
    return stages


def _prepare_work_dir(work_dir: Path, settings: dict[str, Any]) -> None:
    """Keep a work folder left by an unfinished run with the same settings (to resume it); clear any other."""
    settings_path = work_dir / _SETTINGS_FILE
    if work_dir.exists():
        try:
            same = json.loads(settings_path.read_text(encoding="utf-8")) == settings
        except (OSError, ValueError):
            same = False
        finished = (work_dir / "logs" / _FINAL_STAGE / "completions").exists()  # its output was since removed
        if same and not finished:
            logger.info("resuming the unfinished run in %s", work_dir)
            return
        logger.info("clearing %s, left by a run with other settings", work_dir)
        shutil.rmtree(work_dir)
    write_text_atomically(settings_path, json.dumps(settings, indent=2) + "\n")


def prepare_subset(
    subset: Subset,
    inputs: Sequence[Path],
    output_dir: Path,
    *,
    executor: str = "local",
    tasks: int = 1,
    workers: int = 1,
    shard_bytes: int = 256 * 1024 * 1024,
    slurm: SlurmOptions | None = None,
    ray: RayOptions | None = None,
) -> dict[str, Any] | None:
    """Prepare one subset from ``inputs`` into ``output_dir`` as datatrove pipelines.

    ``tasks`` is the number of extraction tasks (each takes a contiguous slice of the work units);
    ``workers`` how many run at once (``-1``: all, for Slurm and Ray). The output does not depend on either.
    Returns the statistics written to stats.json, or ``None`` for ``slurm`` (the jobs are only submitted).

    Raises ``FileNotFoundError`` for a missing input path and ``FileExistsError`` when ``output_dir``
    already holds prepared output; both are checked before any work is done.
    """
    if executor not in EXECUTORS:
        raise ValueError(f"executor must be one of {EXECUTORS}, got {executor!r}")
    if tasks < 1:
        raise ValueError(f"tasks must be at least 1, got {tasks}")
    if workers < 1 and not (workers == -1 and executor != "local"):
        raise ValueError(f"workers must be at least 1, got {workers}")
    if executor == "slurm" and slurm is None:
        raise ValueError("the slurm executor needs SlurmOptions (at least a partition)")
    input_paths = [Path(path).absolute() for path in inputs]
    check_inputs_exist(input_paths)
    output_dir = Path(output_dir).absolute()
    check_output_free(output_dir)
    work_dir = output_dir / WORK_DIR_NAME
    inputs_text = [str(path) for path in input_paths]
    _prepare_work_dir(work_dir, {"subset": repr(subset), "inputs": inputs_text, "tasks": tasks,
                                 "shard_bytes": shard_bytes})  # fmt: skip
    stages = _stages(subset, inputs_text, output_dir, work_dir, tasks, shard_bytes)

    previous = None
    for name, pipeline, stage_tasks in stages:
        logging_dir = str(work_dir / "logs" / name)
        if executor == "local":
            previous = LocalPipelineExecutor(
                pipeline, tasks=stage_tasks, workers=min(workers, stage_tasks), logging_dir=logging_dir,
                depends=previous, start_method="fork" if sys.platform != "win32" else "spawn",
            )  # fmt: skip
        elif executor == "slurm":
            assert slurm is not None
            previous = SlurmPipelineExecutor(
                pipeline, tasks=stage_tasks, time=slurm.time, partition=slurm.partition,
                cpus_per_task=slurm.cpus_per_task, mem_per_cpu_gb=slurm.mem_per_cpu_gb, workers=workers,
                job_name=f"{subset.name}-{name}", logging_dir=logging_dir, depends=previous,
                env_command=slurm.env_command or _default_env_command(), with_srun=slurm.with_srun,
            )  # fmt: skip
        else:
            from datatrove.executor import RayPipelineExecutor

            options = ray or RayOptions()
            previous = RayPipelineExecutor(
                pipeline, tasks=stage_tasks, workers=workers, logging_dir=logging_dir, depends=previous,
                cpus_per_task=options.cpus_per_task, mem_per_cpu_gb=options.mem_per_cpu_gb,
            )  # fmt: skip
    assert previous is not None
    if executor == "ray":
        _start_ray(ray or RayOptions())
    previous.run()
    if executor == "slurm":
        logger.info("submitted; %s appears when the last job (%s) finishes", output_dir / STATS_FILE, previous.job_id)
        return None
    stats_path = output_dir / STATS_FILE
    if not stats_path.exists():
        raise RuntimeError(f"the pipeline finished without writing {stats_path}; see the logs in {work_dir / 'logs'}")
    shutil.rmtree(work_dir, ignore_errors=True)
    stats = json.loads(stats_path.read_text(encoding="utf-8"))
    for split, entry in stats["splits"].items():
        if entry["documents"] == 0:
            logger.warning("%s: split %r is empty", subset.name, split)
    return stats


def _start_ray(options: RayOptions) -> None:
    """Connect to (or start) Ray with the repository importable by its workers."""
    import ray

    if not ray.is_initialized():
        runtime_env = {"env_vars": {"PYTHONPATH": str(_repository_root())}}
        ray.init(address=options.address, runtime_env=runtime_env, include_dashboard=False)


def run_subset(
    subset: Subset,
    inputs: Sequence[Path],
    output_dir: Path,
    workers: int = 1,
    shard_bytes: int = 256 * 1024 * 1024,
    tasks: int | None = None,
) -> dict[str, Any]:
    """Prepare one subset on this machine (the local executor); ``tasks`` defaults to ``workers``."""
    stats = prepare_subset(
        subset, inputs, output_dir, executor="local", tasks=tasks or workers, workers=workers, shard_bytes=shard_bytes
    )
    assert stats is not None
    return stats
