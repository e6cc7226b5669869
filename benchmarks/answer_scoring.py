"""Answer checking: the pair table's error rates, and scoring throughput on 10,000 saved generations.

Part 1, the project's pair table (tests/math_lm/eval/answers/answer_pairs.py: equal forms and
near misses built from MATH/GSM8K-style answers): recall and false-positive rate of

  math-verify       our default backend (exact rules + math-verify, `is_equiv(backend="math_verify")`)
  Minerva/SymPy     the paper's metric as we run it (`is_equiv(backend="minerva")`)
  math-verify alone `math_verify.verify(parse(reference), parse(prediction))`, nothing of ours

Then the public-case table (pairs other graders get wrong, from their issue trackers) and
math-verify's own 261 test cases, graded as `score` grades MATH: agreement, false positives,
false negatives and pairs/s for each grader, all from the same run.

Part 2, `python -m math_lm.eval score` on a samples directory of 10,000 generations (1,000 MATH
problems x maj@10 in Minerva's answer format; answers drawn from the pair table and from
integers, right and wrong), with 1 and 2 scoring workers: extraction, voting and checking under
both backends. Next to it, the same 10,000 generations checked by math-verify called directly
(parse the generation, verify against the reference; no voting, one backend).

    python benchmarks/answer_scoring.py [--problems 1000] [--samples 10] [--workers 1,2] [--skip-pairs] [--skip-scoring]
"""
from __future__ import annotations

import argparse
import json
import logging
import os
import random
import shutil
import tempfile
import time
from pathlib import Path


from math_lm.eval.answers import BACKENDS, GRADERS, grade, is_equiv, start_workers
from math_lm.eval.scoring import score_samples
from tests.math_lm.eval.answers.answer_pairs import answer_pairs, gsm8k_sentences, minerva_generations


def math_verify_alone(prediction: str, reference: str) -> bool:
    from math_verify import parse, verify

    return bool(verify(parse(f"${reference}$"), parse(f"${prediction}$")))


def pair_table_rates() -> None:
    equal, near = answer_pairs()
    sentence_groups = {"gsm8k": gsm8k_sentences(), "math": minerva_generations()}
    total_equal = len(equal) + sum(len(e) for e, _ in sentence_groups.values())
    total_near = len(near) + sum(len(n) for _, n in sentence_groups.values())
    print(f"pair table: {total_equal} equal forms, {total_near} near misses "
          f"({sum(len(e) + len(n) for e, n in sentence_groups.values())} of them whole generations)")
    print("| grader | recall (equal forms) | false positives (near misses) | seconds | pairs/s |")
    print("|---|---|---|---|---|")
    start_workers()
    graders = {GRADERS[b]: (lambda p, r, b=b: is_equiv(p, r, backend=b),
                            lambda style, g, r, b=b: grade(style, g, r, backend=b).correct) for b in BACKENDS}
    graders["math-verify alone"] = (math_verify_alone, lambda style, g, r: math_verify_alone(g, r))
    for name, (same, same_generation) in graders.items():
        started = time.perf_counter()
        hits = sum(same(p, r) for _, p, r in equal)
        false_positives = [kind for kind, p, r in near if same(p, r)]
        for style, (group_equal, group_near) in sentence_groups.items():
            hits += sum(same_generation(style, g, r) for g, r in group_equal)
            false_positives += [f"{style} generation" for g, r in group_near if same_generation(style, g, r)]
        kinds = sorted(set(false_positives))
        print(f"| {name} | {hits}/{total_equal} = {100 * hits / total_equal:.1f}% | "
              f"{len(false_positives)}/{total_near} = {100 * len(false_positives) / total_near:.1f}%"
              f"{' (' + ', '.join(kinds) + ')' if kinds else ''} | {elapsed(started):.1f} | "
              f"{(total_equal + total_near) / elapsed(started):.0f} |")


def elapsed(started: float) -> float:
    return time.perf_counter() - started


def public_tables() -> None:
    """The public-case table and math-verify's own suite: false positives, misses, pairs/s."""
    from math_verify import parse, verify

    from tests.math_lm.eval.answers.math_verify_cases import MATH_VERIFY_CASES
    from tests.math_lm.eval.answers.public_cases import PUBLIC_CASES
    from tests.math_lm.eval.answers.test_math_verify_cases import reference_answer

    start_workers()
    public = [(form, p, r, equal) for _, form, p, r, equal in PUBLIC_CASES]
    suite = [("generation", p, reference_answer(g), bool(e)) for _, g, p, e in MATH_VERIFY_CASES]
    graders = {GRADERS[b]: lambda form, p, r, b=b: (grade("math", p, r, backend=b).correct if form == "generation"
                                                    else is_equiv(p, r, backend=b)) for b in BACKENDS}
    graders["math-verify alone"] = lambda form, p, r: bool(verify(parse(f"${r}$"), parse(
        p if form == "generation" else f"${p}$")))
    for title, cases in (("public cases (tests/math_lm/eval/answers/public_cases.py)", public),
                         ("math-verify's own suite, graded as score grades MATH", suite)):
        print(f"\n{title}: {len(cases)} pairs, {sum(not c[3] for c in cases)} of them unequal")
        print("| grader | agree | false positives | false negatives | seconds | pairs/s |")
        print("|---|---|---|---|---|---|")
        for name, same in graders.items():
            started = time.perf_counter()
            verdicts = [same(form, p, r) for form, p, r, _ in cases]
            fp = sum(v and not c[3] for v, c in zip(verdicts, cases))
            fn = sum(c[3] and not v for v, c in zip(verdicts, cases))
            print(f"| {name} | {len(cases) - fp - fn}/{len(cases)} | {fp} | {fn} | {elapsed(started):.1f} | "
                  f"{len(cases) / elapsed(started):.0f} |")


def write_generations(directory: Path, problems: int, samples: int, seed: int = 0) -> list[tuple[str, str]]:
    """A samples directory of `problems` x `samples` Minerva-format generations; returns (generation, reference)."""
    rng = random.Random(seed)
    equal, near = answer_pairs()
    by_reference: dict[str, list[str]] = {}
    for _, prediction, reference in equal + near:
        by_reference.setdefault(reference, []).append(prediction)
    references = sorted(by_reference)
    pairs = []
    with (directory / "math_maj{}.jsonl".format(samples)).open("w") as handle:
        for doc_id in range(problems):
            if rng.random() < 0.6:  # most MATH answers are integers
                reference = str(rng.randint(0, 2000))
                candidates = [reference, str(int(reference) + 1), f"{reference}.0", str(int(reference) * 2)]
            else:
                reference = rng.choice(references)
                candidates = [reference, *by_reference[reference]]
            generations = []
            for _ in range(samples):
                answer = rng.choice(candidates)
                generation = (f"We compute step by step.\nFinal Answer: The final answer is ${answer}$. "
                              "I hope it is correct.") if rng.random() < 0.9 else "I could not finish."
                generations.append(generation)
                pairs.append((generation, reference))
            record = {"task": "math", "pass": f"maj@{samples}", "doc_id": doc_id, "reference": reference,
                      "generations": generations}
            handle.write(json.dumps(record) + "\n")
    return pairs


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--problems", type=int, default=1000)
    parser.add_argument("--samples", type=int, default=10)
    parser.add_argument("--workers", default="1,2")
    parser.add_argument("--skip-pairs", action="store_true", help="skip part 1 (the pair table)")
    parser.add_argument("--skip-scoring", action="store_true", help="skip part 2 (throughput)")
    args = parser.parse_args()
    logging.basicConfig(level=logging.WARNING)
    print(f"machine: {os.cpu_count()} CPUs (shared with other work)")
    print(f"load average: {' '.join(f'{x:.1f}' for x in os.getloadavg())}")
    if not args.skip_pairs:
        pair_table_rates()
        public_tables()
    if args.skip_scoring:
        return

    root = Path(tempfile.mkdtemp(prefix="answer_scoring_"))
    try:
        samples = root / "samples"
        samples.mkdir()
        pairs = write_generations(samples, args.problems, args.samples)
        print(f"\nscoring {len(pairs)} saved generations ({args.problems} problems x maj@{args.samples})")
        print("| scorer | seconds | generations/s |")
        print("|---|---|---|")
        for workers in [int(w) for w in args.workers.split(",")]:
            output = root / f"scored_{workers}"
            started = time.perf_counter()
            score_samples(samples, output, workers=workers)
            seconds = time.perf_counter() - started
            print(f"| score, {workers} worker(s), both backends, voting | {seconds:.1f} | {len(pairs) / seconds:.0f} |")
        from math_verify import parse, verify

        started = time.perf_counter()
        for generation, reference in pairs:
            verify(parse(f"${reference}$"), parse(generation))
        seconds = time.perf_counter() - started
        print(f"| math-verify called directly (parse + verify, no voting) | {seconds:.1f} | {len(pairs) / seconds:.0f} |")
    finally:
        shutil.rmtree(root, ignore_errors=True)


if __name__ == "__main__":
    main()
