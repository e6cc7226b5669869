"""Merge many tokenized `.bin`/`.idx` datasets into one, byte-identical to tokenizing their sources
together; see megatron/data/merge_cli.py, installed as `neox-merge-datasets`."""
from megatron.data.merge_cli import run

if __name__ == "__main__":
    run()
