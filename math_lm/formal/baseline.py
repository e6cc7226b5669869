"""The miniF2F baseline without a language model: the tactic portfolio (`portfolio`) on every
statement of a split, in parallel worker processes, and its table.

Each worker process holds its own prover and portfolio and takes one statement at a time, so
the CPU time of a statement is what its sandboxed processes (start, portfolio run, check) used,
read from the worker's child-process accounting. A statement counts as proved only when the
prover's `check` verified the proof. Outputs under `--output DIR`: `proofs.jsonl` (one
`{"name", "proof", ...}` line per proved statement, the format `check` reads), `baseline.jsonl`
(one line per statement, written as each finishes) and `table.md`.
"""

from __future__ import annotations

import json
import multiprocessing
from collections import Counter
from concurrent.futures import ProcessPoolExecutor, as_completed
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Iterable, Sequence

from tqdm import tqdm

from math_lm.formal.portfolio import Portfolio, PortfolioResult, PortfolioSettings
from math_lm.formal.prover import ProverLimits
from math_lm.formal.statements import Statement

SOURCES = ("mathd", "amc", "aime", "imo", "induction", "other")
_SOURCE_PREFIXES = (("mathd", "mathd"), ("amc", "amc"), ("aime", "aime"), ("imo", "imo"), ("induction", "induction"))


def problem_source(name: str) -> str:
    """The competition a miniF2F problem comes from, by its name's prefix; "other" for the
    hand-written `algebra_*` and `numbertheory_*` problems."""
    for prefix, source in _SOURCE_PREFIXES:
        if name.startswith(prefix):
            return source
    return "other"


@dataclass
class BaselineRecord:
    split: str
    source: str
    result: PortfolioResult


_worker: Portfolio | None = None


def _start_worker(prover_name: str, limits: ProverLimits, settings: PortfolioSettings) -> None:
    global _worker
    from math_lm.formal.backends import get_prover

    _worker = Portfolio(get_prover(prover_name, limits), settings)


def _prove(statement: Statement) -> PortfolioResult:
    assert _worker is not None, "worker not started"
    return _worker.prove(statement)


def run_baseline(statements: Sequence[Statement], prover_name: str, limits: ProverLimits, settings: PortfolioSettings,
                 workers: int, log: Path | None = None) -> list[BaselineRecord]:
    """The portfolio on every statement, `workers` at a time; one line per statement appended to `log`."""
    records: list[BaselineRecord] = []
    context = multiprocessing.get_context("spawn")
    handle = log.open("w", encoding="utf-8") if log else None
    try:
        with ProcessPoolExecutor(workers, mp_context=context, initializer=_start_worker,
                                 initargs=(prover_name, limits, settings)) as pool:
            futures = {pool.submit(_prove, statement): statement for statement in statements}
            progress = tqdm(as_completed(futures), total=len(futures), desc="baseline", unit="statement")
            proved = 0
            for future in progress:
                statement = futures[future]
                result = future.result()
                proved += result.proved
                progress.set_postfix(proved=proved)
                record = BaselineRecord(statement.split or "", problem_source(statement.name), result)
                records.append(record)
                if handle:
                    handle.write(json.dumps({"split": record.split, "source": record.source, **asdict(result)}) + "\n")
                    handle.flush()
    finally:
        if handle:
            handle.close()
    order = {statement.name: index for index, statement in enumerate(statements)}
    return sorted(records, key=lambda record: order[record.result.name])


def read_records(path: Path) -> dict[str, BaselineRecord]:
    """The records of an earlier run's `baseline.jsonl`, by name (ValueError naming the line if bad)."""
    from math_lm.jsonl import read_json_objects

    records = {}
    for line, row in read_json_objects(path, ValueError):
        try:
            fields = {key: row[key] for key in PortfolioResult.__dataclass_fields__}
            records[row["name"]] = BaselineRecord(row["split"], row["source"], PortfolioResult(**fields))
        except (KeyError, TypeError) as error:
            raise ValueError(f"{path}:{line}: not a baseline record ({error})") from error
    return records


def extend(previous: BaselineRecord, new: PortfolioResult) -> BaselineRecord:
    """An earlier run's record of an unproved statement, extended by a run of more tactics on it:
    as if those tactics had followed the earlier ones in one portfolio."""
    old = previous.result
    cpu = None if old.cpu_seconds is None or new.cpu_seconds is None else old.cpu_seconds + new.cpu_seconds
    merged = PortfolioResult(new.name, new.statement_ok, new.proved, new.tactic, new.proof, new.reason,
                             old.tried + new.tried, old.seconds + new.seconds, cpu,
                             old.found_unverified + new.found_unverified)
    return BaselineRecord(previous.split, previous.source, merged)


def proofs_lines(records: Iterable[BaselineRecord]) -> str:
    """`proofs.jsonl`: one line per proved statement, as `llemma-formal check` reads it."""
    return "".join(json.dumps({"name": r.result.name, "proof": r.result.proof, "split": r.split,
                               "tactic": r.result.tactic}) + "\n" for r in records if r.result.proved)


def _table(header: Sequence[str], rows: Sequence[Sequence[str]]) -> list[str]:
    widths = [max(len(str(row[i])) for row in [header, *rows]) for i in range(len(header))]

    def line(cells: Sequence[str]) -> str:
        return "| " + " | ".join(str(cell).ljust(width) for cell, width in zip(cells, widths)) + " |"

    return [line(header), "|" + "|".join("-" * (width + 2) for width in widths) + "|", *(line(row) for row in rows)]


def _percent(part: int, whole: int) -> str:
    return f"{100 * part / whole:.1f}%" if whole else "-"


def format_table(records: Sequence[BaselineRecord], tactic_names: Sequence[str]) -> str:
    """Per split: statements, proved (of all and of those that elaborate) and CPU time per problem
    source; then how many each tactic proved (the first in portfolio order that did) per source."""
    out: list[str] = []
    for split in dict.fromkeys(r.split for r in records):
        mine = [r for r in records if r.split == split]
        sources = [s for s in SOURCES if any(r.source == s for r in mine)]
        rows = []
        for source in [*sources, "all"]:
            group = [r for r in mine if source in ("all", r.source)]
            ok = sum(r.result.statement_ok for r in group)
            proved = sum(r.result.proved for r in group)
            cpu = sum(r.result.cpu_seconds for r in group)
            rows.append([source, len(group), ok, proved, _percent(proved, len(group)), _percent(proved, ok),
                         f"{cpu:.0f}", f"{cpu / len(group):.1f}" if group else "-"])
        out += [f"### miniF2F-rocq {split}", ""]
        out += _table(["source", "statements", "elaborate", "proved", "of all", "of elaborating", "CPU s",
                       "CPU s / statement"], rows)
        by_tactic = Counter((r.result.tactic, r.source) for r in mine if r.result.proved)
        tactic_rows = [[name, *(by_tactic[(name, s)] for s in sources), sum(by_tactic[(name, s)] for s in sources)]
                       for name in tactic_names if any(by_tactic[(name, s)] for s in sources)]
        tactic_rows.append(["all", *(sum(by_tactic[(n, s)] for n in tactic_names) for s in sources),
                            sum(r.result.proved for r in mine)])
        out += ["", "Proved, by the first tactic of the portfolio that proved it (portfolio order):", ""]
        out += _table(["tactic", *sources, "all"], tactic_rows)
        refused = sum(bool(r.result.found_unverified) for r in mine)
        if refused:
            out += ["", f"{refused} statements had a tactic that coqc accepted and the checker refused "
                        "(see found_unverified in baseline.jsonl)."]
        out.append("")
    return "\n".join(out)
