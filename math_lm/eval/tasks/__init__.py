"""lm-evaluation-harness task definitions of the LLEMMA suite (`lm_eval --include_path math_lm/eval/tasks`).

`llemma_math`, `llemma_gsm8k`, `llemma_ocw`, `llemma_mmlu_stem`, `llemma_sat` (chain of thought,
the paper's few-shot prompts) and `llemma_math_python`, `llemma_gsm8k_python` (programs run in the
sandbox). The YAML files name their hooks in `utils`; prompts are in `prompts`, data readers in
`loaders`.
"""

from pathlib import Path

TASKS_DIR = Path(__file__).resolve().parent
"""The directory to give lm-eval as `include_path`."""
