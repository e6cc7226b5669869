"""Prepare one Proof-Pile-2 subset from raw sources into shards and stats.json (datatrove pipelines);
see math_lm/data/prepare_cli.py, installed as `llemma-prepare-proof-pile-2`."""
from math_lm.data.prepare_cli import run

if __name__ == "__main__":
    run()
