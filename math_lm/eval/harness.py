"""Running the LLEMMA suite through lm-evaluation-harness: greedy and maj@k passes, outputs, table.

`evaluate(settings)` is what `python -m math_lm.eval` does:

1. build the harness model once (its `hf` backend, or `vllm` when installed);
2. a greedy pass: every task with one generation per problem at temperature 0;
3. with `maj > 1`, a sampling pass: `repeats: k` generations per problem at the task's
   temperature / top-p (`math_lm.eval.voting.sampling_settings`), voted by equivalence;
4. write `<task>_greedy.jsonl` / `<task>_majK.jsonl` (one line per problem: prompt, generations, extracted answers,
   vote, correct, and the same under the Minerva/SymPy metric), `results.json`, and `results.png`;
   return the summary, whose `format_table` is laid out as the paper's Table 1, math-verify and
   Minerva/SymPy columns side by side.

The tasks are the YAML definitions in `math_lm/eval/tasks`; both passes go through
`lm_eval.simple_evaluate` (its batching, request caching, logging and progress bars).
"""

from __future__ import annotations

import json
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any, Sequence

from math_lm.eval.tasks import TASKS_DIR
from math_lm.eval.voting import sampling_settings
from megatron.user_files import check_model_directory


@dataclass(frozen=True)
class TaskInfo:
    """A task of the suite: its harness name, its column title, and its maj@k settings key."""

    harness_name: str
    title: str
    sampling_key: str


TASKS: dict[str, TaskInfo] = {
    "gsm8k": TaskInfo("llemma_gsm8k", "GSM8k", "gsm8k"),
    "ocw": TaskInfo("llemma_ocw", "OCW", "ocw"),
    "mmlu_stem": TaskInfo("llemma_mmlu_stem", "MMLU-STEM", "mmlu_stem"),
    "sat": TaskInfo("llemma_sat", "SAT", "sat"),
    "math": TaskInfo("llemma_math", "MATH", "math"),
    "gsm8k_python": TaskInfo("llemma_gsm8k_python", "GSM8k+Python", "gsm8k"),
    "math_python": TaskInfo("llemma_math_python", "MATH+Python", "math"),
}
"""The suite in the column order of the paper's Table 1 (then the tool-use tasks of Table 3)."""


class EvalError(ValueError):
    """Bad settings for an evaluation run (unknown task, missing model directory, ...)."""


def resolve_tasks(names: Sequence[str]) -> list[str]:
    """Short task names (`math`, `llemma_math` or `all`) -> keys of `TASKS`, in table order."""
    wanted: set[str] = set()
    for name in names:
        name = name.strip()
        if not name:
            continue
        if name == "all":
            wanted.update(TASKS)
            continue
        key = name.removeprefix("llemma_")
        if key not in TASKS:
            raise EvalError(f"unknown task {name!r}; known: {', '.join(TASKS)} (or all)")
        wanted.add(key)
    if not wanted:
        raise EvalError("no tasks given")
    return [key for key in TASKS if key in wanted]


@dataclass(frozen=True)
class EvalSettings:
    """One evaluation run (the flags of `python -m math_lm.eval`)."""

    model: str
    tasks: tuple[str, ...]
    output: Path
    data_dir: Path | None = None
    limit: int | None = None
    maj: int = 1
    batch_size: int = 1
    backend: str = "hf"
    device: str | None = None
    dtype: str = "auto"
    max_gen_toks: int | None = None
    use_cache: str | None = None
    seed: int = 1234
    skip_greedy: bool = False

    def __post_init__(self) -> None:
        if self.maj < 1:
            raise EvalError(f"--maj must be at least 1, got {self.maj}")
        if self.skip_greedy and self.maj == 1:
            raise EvalError("--skip-greedy needs --maj K with K > 1 (nothing would run)")
        if self.limit is not None and self.limit < 1:
            raise EvalError(f"--limit must be at least 1, got {self.limit}")
        if self.batch_size < 1:
            raise EvalError(f"--batch-size must be at least 1, got {self.batch_size}")
        if self.max_gen_toks is not None and self.max_gen_toks < 1:
            raise EvalError(f"--max-gen-toks must be at least 1, got {self.max_gen_toks}")
        if self.backend == "hf" and not Path(self.model).is_dir():
            raise EvalError(f"--model {self.model}: not a directory (expected an HF model directory)")
        if self.data_dir is not None and not Path(self.data_dir).is_dir():
            raise EvalError(f"--data-dir {self.data_dir}: not a directory")
        resolve_tasks(self.tasks)

    @property
    def passes(self) -> list[str]:
        """The decoding passes to run: "greedy" and/or "maj@k"."""
        names = [] if self.skip_greedy else ["greedy"]
        return names + ([f"maj@{self.maj}"] if self.maj > 1 else [])


def _default_device() -> str:
    import torch

    return "cuda" if torch.cuda.is_available() else "cpu"


def build_model(settings: EvalSettings):
    """The harness model for `settings.model` with the chosen backend (`hf` or `vllm`)."""
    import lm_eval.api.registry

    if settings.backend == "vllm":
        try:
            import vllm  # noqa: F401
        except ImportError as error:
            raise EvalError("--backend vllm needs vLLM installed (pip install vllm)") from error
    model_args: dict[str, Any] = {"pretrained": str(settings.model), "dtype": settings.dtype}
    if settings.backend == "vllm":
        model_args["seed"] = settings.seed
    extra = {"batch_size": settings.batch_size, "max_batch_size": None, "device": settings.device or _default_device()}
    try:
        model_class = lm_eval.api.registry.get_model(settings.backend)
    except (KeyError, ValueError) as error:
        raise EvalError(f"--backend {settings.backend}: not an lm-eval model backend ({error})") from error
    if Path(settings.model).is_dir():
        check_model_directory(settings.model)
    return model_class.create_from_arg_obj(model_args, extra)


def _configured_tasks(task_manager, keys: Sequence[str], pass_name: str, settings: EvalSettings) -> list[Any]:
    """Harness tasks for one pass, with repeats and decoding set for that pass."""
    loaded = task_manager.load([TASKS[key].harness_name for key in keys])["tasks"]
    samples = 1 if pass_name == "greedy" else settings.maj
    configured = []
    for key in keys:
        task = loaded[TASKS[key].harness_name]
        decoding = sampling_settings(TASKS[key].sampling_key, samples=samples)
        generation = dict(task.config.generation_kwargs or {})
        if decoding.greedy:
            generation.update(do_sample=False, temperature=0.0)
            generation.pop("top_p", None)
        else:
            generation.update(do_sample=True, temperature=decoding.temperature, top_p=decoding.top_p)
        if settings.max_gen_toks is not None:
            generation["max_gen_toks"] = settings.max_gen_toks
        task.set_config(key="generation_kwargs", value=generation)
        task.set_config(key="repeats", value=samples)
        configured.append(task)
    return configured


def sample_records(task_key: str, pass_name: str, logged: Sequence[dict[str, Any]]) -> list[dict[str, Any]]:
    """Per-problem records of one task and pass, from the harness's logged samples."""
    records = []
    for sample in sorted(logged, key=lambda s: s["doc_id"]):
        doc = sample["doc"]
        (graded,) = sample["filtered_resps"]
        record = {
            "task": task_key,
            "pass": pass_name,
            "doc_id": sample["doc_id"],
            "problem": doc.get("problem", doc.get("question")),
            "level": doc.get("level", ""),
            "subject": doc.get("subject", ""),
            "reference": doc["reference"],
            "prompt": sample["arguments"][0][0],
            "generations": list(sample["resps"][0]),
            "extracted": graded["answers"],
            "vote": graded["vote"],
            "votes": graded["votes"],
            "correct": bool(sample["acc"]),
            "vote_minerva": graded["backend_votes"]["minerva"]["vote"],
            "correct_minerva": bool(sample["acc_minerva"]),
        }
        if "statuses" in graded:
            record["program_statuses"] = graded["statuses"]
        records.append(record)
    return records


@dataclass
class Summary:
    """Accuracy per task and pass, with the counts behind them."""

    model: str
    passes: list[str]
    tasks: list[str]
    accuracy: dict[str, dict[str, float]] = field(default_factory=dict)  # task -> pass -> accuracy (math-verify)
    counts: dict[str, int] = field(default_factory=dict)  # task -> problems
    accuracy_minerva: dict[str, dict[str, float]] = field(default_factory=dict)  # the same, Minerva/SymPy
    seconds: dict[str, float] = field(default_factory=dict)  # pass -> wall-clock seconds

    def as_json(self) -> dict[str, Any]:
        return asdict(self)


def format_table(summary: Summary) -> str:
    """The summary as the paper's Table 1: one row per decoding pass, one column per task (%).

    Where the summary has Minerva/SymPy scores, each task gets a second column with them next
    to the math-verify one, e.g. `MATH` and `MATH (Minerva)`.
    """
    columns: list[tuple[str, dict[str, dict[str, float]], str]] = []
    for key in summary.tasks:
        columns.append((TASKS[key].title, summary.accuracy, key))
        if key in summary.accuracy_minerva:
            columns.append((f"{TASKS[key].title} (Minerva)", summary.accuracy_minerva, key))
    model = Path(summary.model).name or summary.model
    header = ["Model", "Decoding", *(title for title, _, _ in columns)]
    rows = [[model, pass_name, *(_percent(table[key].get(pass_name)) for _, table, key in columns)]
            for pass_name in summary.passes]
    rows.append(["problems", "", *(str(summary.counts[key]) for _, _, key in columns)])
    widths = [max(len(row[i]) for row in [header, *rows]) for i in range(len(header))]

    def line(cells: Sequence[str]) -> str:
        return "| " + " | ".join(cell.ljust(width) if i < 2 else cell.rjust(width)
                                 for i, (cell, width) in enumerate(zip(cells, widths))) + " |"

    rule = "|" + "|".join("-" * (width + 2) for width in widths) + "|"
    return "\n".join([line(header), rule, *(line(row) for row in rows)])


def _percent(accuracy: float | None) -> str:
    return "-" if accuracy is None else f"{100 * accuracy:.1f}%"


def plot_summary(summary: Summary, path: Path) -> None:
    """Grouped bars: accuracy per task, one bar per decoding pass."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    figure, axes = plt.subplots(figsize=(1.6 * len(summary.tasks) + 2, 3.6))
    width = 0.8 / len(summary.passes)
    for index, pass_name in enumerate(summary.passes):
        positions = [i + (index - (len(summary.passes) - 1) / 2) * width for i in range(len(summary.tasks))]
        values = [100 * summary.accuracy[key][pass_name] for key in summary.tasks]
        bars = axes.bar(positions, values, width, label=pass_name)
        axes.bar_label(bars, fmt="%.1f", fontsize=8)
    axes.set_xticks(range(len(summary.tasks)), [TASKS[key].title for key in summary.tasks])
    axes.set_ylabel("accuracy (%)")
    axes.set_ylim(0, 105)
    axes.set_title(f"{Path(summary.model).name}: LLEMMA suite")
    axes.legend()
    figure.tight_layout()
    figure.savefig(path, dpi=120)
    plt.close(figure)


def sample_file_name(task_key: str, pass_name: str) -> str:
    """Name of the per-problem JSONL of a task and pass, e.g. `math_greedy.jsonl`, `math_maj16.jsonl`."""
    return f"{task_key}_{pass_name.replace('@', '')}.jsonl"


def _write_jsonl(path: Path, records: Sequence[dict[str, Any]]) -> None:
    with path.open("w", encoding="utf-8") as handle:
        for record in records:
            handle.write(json.dumps(record, ensure_ascii=False, default=str) + "\n")


def evaluate(settings: EvalSettings, lm: Any = None) -> Summary:
    """Run the passes of `settings`, write the outputs under `settings.output`, return the summary.

    `lm` is an already built harness model (built from the settings when None).
    """
    import lm_eval
    from lm_eval.tasks import TaskManager

    keys = resolve_tasks(settings.tasks)
    settings.output.mkdir(parents=True, exist_ok=True)
    metadata = {"data_dir": str(settings.data_dir)} if settings.data_dir else {}
    task_manager = TaskManager(include_path=str(TASKS_DIR), include_defaults=False, metadata=metadata)
    lm = lm if lm is not None else build_model(settings)
    summary = Summary(model=str(settings.model), passes=settings.passes, tasks=keys)
    harness_results: dict[str, Any] = {}
    for pass_name in settings.passes:
        started = time.monotonic()
        tasks = _configured_tasks(task_manager, keys, pass_name, settings)
        results = lm_eval.simple_evaluate(
            model=lm, tasks=tasks, task_manager=task_manager, limit=settings.limit, log_samples=True,
            use_cache=settings.use_cache, bootstrap_iters=0, random_seed=settings.seed,
            numpy_random_seed=settings.seed, torch_random_seed=settings.seed,
            confirm_run_unsafe_code=True,  # the program tasks run generated code in math_lm.eval.sandbox
        )
        summary.seconds[pass_name] = round(time.monotonic() - started, 3)
        for key in keys:
            name = TASKS[key].harness_name
            records = sample_records(key, pass_name, results["samples"][name])
            _write_jsonl(settings.output / sample_file_name(key, pass_name), records)
            summary.counts[key] = len(records)
            summary.accuracy.setdefault(key, {})[pass_name] = (
                sum(r["correct"] for r in records) / len(records) if records else 0.0)
            summary.accuracy_minerva.setdefault(key, {})[pass_name] = (
                sum(r["correct_minerva"] for r in records) / len(records) if records else 0.0)
        harness_results[pass_name] = results["results"]
    report = {**summary.as_json(), "settings": {**asdict(settings), "output": str(settings.output)},
              "lm_eval_version": lm_eval.__version__, "lm_eval_results": harness_results}
    (settings.output / "results.json").write_text(json.dumps(report, indent=2, default=str) + "\n", encoding="utf-8")
    plot_summary(summary, settings.output / "results.png")
    return summary
