"""Formal theorem proving on miniF2F (LLEMMA's informal-to-formal and formal-to-formal tasks).

- `prover`: the interface (start a statement, check a whole proof, step one tactic), each call
  under time and memory limits in the evaluation sandbox; it names no backend;
- `backends`: `get_prover("coq")`, the one place a name picks a backend;
- `coq`: the Coq backend on Debian's coqc 8.16, and what its checker guarantees;
- `script`: Coq sentences, and the rule that a proof is tactics only;
- `statements`: miniF2F-rocq statement files and the informal statements and proofs;
- `prompts`, `generation`: the tasks' prompts and few-shot exemplars, generation through the
  suite's lm-evaluation-harness backends;
- `search`: best-first search over proof states, with an optional finishing step;
- `portfolio`: symbolic tactics (lia, nra, field, CoqHammer's sauto, ...) tried on a goal in one
  sandboxed coqc run; the finishing step of the search, and the no-model baseline (`baseline`);
- `tasks`: both tasks, their per-attempt JSONL and the summary table;
- `cli`: `python -m math_lm.formal check|run|baseline`.

Lean 4 (REPL) and Isabelle backends are not built: their toolchains cannot be installed from the
package sources this project reaches, so they could not be tested.
"""
