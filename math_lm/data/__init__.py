"""Proof-Pile-2 preprocessors: raw arXiv LaTeX, web pages and math code to sharded ``{"text", "meta"}`` documents.

One module per subset (:mod:`.arxiv`, :mod:`.open_web_math`, :mod:`.algebraic_stack`) on a shared layer:
:mod:`.documents` (records, decoding, splits, statistics), :mod:`.dedup` (exact, chunk and MinHash LSH
deduplication), :mod:`.budget` (the per-document limits and the bounded readers that enforce them),
:mod:`.watchdog` (extraction in a worker process that is killed on overrun), :mod:`.shards` (atomic
``.jsonl.zst`` shard writing), :mod:`.datatrove_steps` (the datatrove pipeline steps) and :mod:`.pipeline`
(the driver on datatrove's local, Slurm and Ray executors that the command ``tools/prepare_proof_pile_2.py``
calls). The web subset's parts: :mod:`.warc` (FastWARC
records, HTTP body decoding), :mod:`.html_math` (Resiliparse main text with formulas as LaTeX, MathML
conversion in :mod:`.mathml`), :mod:`.language_id` (fastText LID-176) and :mod:`.math_score` (heuristic or
fastText math filter).
"""
