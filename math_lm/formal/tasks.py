"""The two formal tasks on miniF2F, their per-attempt results and the summary table.

- informal-to-formal: k proofs sampled per problem from `prompts.informal2formal_prompt`, each
  checked; a problem counts as solved when any of its k proofs verifies (pass@k).
- formal-to-formal: best-first search (`search`) with tactics proposed and scored by the model;
  solved when the search finds a verified proof within the expansion budget (pass@1).

Statements that do not elaborate are reported (`"statement_ok": false`) and left out of the
pass rate's denominator, never scored as failed proofs. Outputs under OUT:
`<task>_<split>.jsonl` (one line per attempt, written as each problem finishes), `results.json`
and the table `summary.md`, laid out as the paper's formal table.
"""

from __future__ import annotations

import json
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any, Sequence

from tqdm import tqdm

from math_lm.formal.generation import Sampling, generate
from math_lm.formal.prompts import informal2formal_prompt, proof_from_generation
from math_lm.formal.prover import Prover
from math_lm.formal.search import FinishingStep, SearchSettings, TacticSource, best_first_search
from math_lm.formal.statements import Statement, informal_problem
from megatron.io import write_text_atomically

TASK_TITLES = {"informal2formal": "informal-to-formal", "formal2formal": "formal-to-formal"}


@dataclass
class SplitResult:
    task: str
    split: str
    metric: str  # "pass@k" or "pass@1"
    solved: int = 0
    scored: int = 0  # problems whose statement elaborates
    not_elaborating: list[str] = field(default_factory=list)
    seconds: float = 0.0

    @property
    def rate(self) -> float:
        return self.solved / self.scored if self.scored else 0.0


def _append(handle, record: dict[str, Any]) -> None:  # noqa: ANN001
    handle.write(json.dumps(record, ensure_ascii=False) + "\n")
    handle.flush()


def run_informal2formal(lm: Any, prover: Prover, statements: Sequence[Statement], split: str, k: int,
                        sampling: Sampling, output: Path, informal_dir: Path) -> SplitResult:
    """k sampled proofs per problem, each checked; one line per attempt in `output`."""
    result = SplitResult("informal2formal", split, f"pass@{k}")
    started = time.monotonic()
    with output.open("w", encoding="utf-8") as handle:
        for statement in tqdm(statements, desc=f"informal2formal {split}", unit="problem"):
            start = prover.start(statement)
            if not start.elaborates:
                result.not_elaborating.append(statement.name)
                _append(handle, {"name": statement.name, "split": split, "attempt": None, "statement_ok": False,
                                 "verified": False, "reason": f"statement does not elaborate: {start.reason}"})
                continue
            prompt = informal2formal_prompt(statement, informal_problem(statement.name, split, informal_dir))
            generations = generate(lm, [prompt] * k, ["Qed.", "\n\nInformal:"], sampling)
            solved = False
            for attempt, generation in enumerate(generations):
                # the harness cuts the stop sequence `Qed.` off the generation: put it back
                proof = proof_from_generation(generation if "Qed." in generation else generation.rstrip() + "\nQed.")
                verdict = prover.check(statement, proof)
                solved |= verdict.verified
                _append(handle, {"name": statement.name, "split": split, "attempt": attempt, "statement_ok": True,
                                 "proof": proof, "verified": verdict.verified, "reason": verdict.reason,
                                 "seconds": round(verdict.seconds, 3)})
            result.scored += 1
            result.solved += solved
    result.seconds = round(time.monotonic() - started, 3)
    return result


def run_formal2formal(prover: Prover, statements: Sequence[Statement], split: str, propose: TacticSource,
                      settings: SearchSettings, output: Path, finish: FinishingStep | None = None) -> SplitResult:
    """Best-first search per problem (with `finish` as its finishing step, if given); one line per
    problem (its one attempt) in `output`."""
    result = SplitResult("formal2formal", split, "pass@1")
    started = time.monotonic()
    with output.open("w", encoding="utf-8") as handle:
        for statement in tqdm(statements, desc=f"formal2formal {split}", unit="problem"):
            found = best_first_search(prover, statement, propose, settings, finish)
            statement_ok = not found.reason.startswith("statement does not elaborate")
            if statement_ok:
                result.scored += 1
                result.solved += found.proved
            else:
                result.not_elaborating.append(statement.name)
            _append(handle, {"name": statement.name, "split": split, "attempt": 0, "statement_ok": statement_ok,
                             "verified": found.proved, "proof": found.proof, "reason": found.reason,
                             "expansions": found.expansions, "tactic_calls": found.tactic_calls,
                             "seconds": round(found.seconds, 3), "trace": found.trace})
    result.seconds = round(time.monotonic() - started, 3)
    return result


def format_summary(model: str, prover: str, results: Sequence[SplitResult]) -> str:
    """The paper's formal table: one row per task, a column per miniF2F split (pass rate, solved/scored)."""
    splits = list(dict.fromkeys(r.split for r in results))
    header = ["Model", "Prover", "Task", "Metric", *(f"miniF2F {s}" for s in splits)]
    rows = []
    for task in dict.fromkeys(r.task for r in results):
        mine = {r.split: r for r in results if r.task == task}
        metric = next(iter(mine.values())).metric
        rows.append([Path(model).name or model, prover, TASK_TITLES[task], metric,
                     *(f"{100 * mine[s].rate:.1f}% ({mine[s].solved}/{mine[s].scored})" if s in mine else "-" for s in splits)])
    widths = [max(len(row[i]) for row in [header, *rows]) for i in range(len(header))]

    def line(cells: Sequence[str]) -> str:
        return "| " + " | ".join(cell.ljust(width) for cell, width in zip(cells, widths)) + " |"

    rule = "|" + "|".join("-" * (width + 2) for width in widths) + "|"
    skipped = [f"{r.split}: {len(r.not_elaborating)} statements do not elaborate and are not scored"
               for r in results if r.not_elaborating]
    return "\n".join([line(header), rule, *(line(row) for row in rows), *dict.fromkeys(skipped)])


def write_summary(output: Path, model: str, prover: str, results: Sequence[SplitResult],
                  settings: dict[str, Any]) -> str:
    table = format_summary(model, prover, results)
    report = {"model": model, "prover": prover, "settings": settings,
              "results": [{**asdict(r), "rate": r.rate} for r in results]}
    write_text_atomically(output / "results.json", json.dumps(report, indent=2, default=str) + "\n")
    write_text_atomically(output / "summary.md", table + "\n")
    return table

