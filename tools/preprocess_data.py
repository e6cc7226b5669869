"""Tokenize raw corpora into `{output_prefix}_{key}_document.bin/.idx` indexed datasets (GPT-NeoX's
flags); see megatron/data/preprocess_cli.py, installed as `neox-preprocess`."""
from megatron.data.preprocess_cli import run

if __name__ == "__main__":
    run()
