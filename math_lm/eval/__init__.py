"""The LLEMMA evaluation suite: answer extraction and checking with two grading backends,
math-verify and the paper's Minerva/SymPy metric (`answers`), majority voting and per-task
sampling settings (`voting`), a sandbox for model-written programs (`sandbox`), the
lm-evaluation-harness task definitions (`tasks/`), the command line front end (`cli`, `harness`;
`python -m math_lm.eval`), offline resumable re-scoring of saved generations (`scoring`;
`python -m math_lm.eval score`), the n-gram overlap analysis (`overlap`) and formal theorem proving
on miniF2F (`formal/`; `python -m math_lm.formal`)."""
