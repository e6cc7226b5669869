"""MinHash near-duplicate removal: documents/s of ours against datatrove's stages with their defaults.

The corpus is the synthetic math corpus (tools/fixtures/corpus_synthetic.py, the generator behind
data/sample_corpus) plus near copies (one word changed) and exact copies of some of its documents,
shuffled with a fixed seed. Three ways to deduplicate it are timed, each end to end:

  in-process    the project's MinHasher + MinHashLSHDeduplicator (math_lm/data/dedup.py): one process,
                texts in memory, 128 permutations, 16 bands, Jaccard check at 0.7;
  ours          what tools/prepare_proof_pile_2.py runs: datatrove's signature, bucket and filter stages
                with math_minhash_config (16 buckets x 8 hashes, sha1, no lowercasing, punctuation and
                numbers kept, MathWordTokenizer) and our cluster step (pairs checked at Jaccard 0.7 over the
                whole signature, first copy kept);
  defaults      datatrove's stages as shipped: MinhashConfig() (14 x 8, lowercased, punctuation removed,
                numbers normalised), the English (spaCy) word tokenizer, xxhash (sha1 when the installed
                xxhash fails, as 4.x does), datatrove's MinhashDedupCluster.

Both datatrove runs read the documents from .jsonl.gz files (one per task) through the local executor, with
--workers processes. Rates are documents in / wall seconds for all stages; the number of documents each
removes is printed too (the synthetic texts differ mostly in their numbers, which the defaults erase).

    python benchmarks/web_dedup.py [--num-docs 4000] [--workers 1 2]

benchmarks/web_extract.py prints the same table after its extraction report (``--dedup-docs``).
"""
from __future__ import annotations

import argparse
import gzip
import importlib.util
import json
import random
import tempfile
import time
from pathlib import Path
from typing import Any, Callable


from datatrove.executor import LocalPipelineExecutor
from datatrove.pipeline.dedup.minhash import (
    MinhashConfig,
    MinhashDedupBuckets,
    MinhashDedupCluster,
    MinhashDedupFilter,
    MinhashDedupSignature,
)
from datatrove.pipeline.readers import JsonlReader
from datatrove.utils.hashing import HashConfig
from datatrove.utils.logging import logger as datatrove_logger

from math_lm.data.datatrove_steps import (
    FirstCopyMinhashCluster,
    MathWordTokenizer,
    math_minhash_config,
    unit_slice,
)
from math_lm.data.dedup import MinHasher, MinHashLSHDeduplicator
from math_lm.data.documents import Document
from tools.fixtures.corpus_synthetic import generate_documents


def make_corpus(num_docs: int, seed: int = 0) -> list[str]:
    """``num_docs`` texts: 80% originals, 15% near copies (one word replaced), 5% exact copies, shuffled."""
    rng = random.Random(seed)
    originals = [str(doc["text"]) for doc in generate_documents(int(num_docs * 0.8), seed=seed)]
    texts = list(originals)
    while len(texts) < int(num_docs * 0.95):
        words = rng.choice(originals).split(" ")
        words[rng.randrange(len(words))] = "changed"
        texts.append(" ".join(words))
    while len(texts) < num_docs:
        texts.append(rng.choice(originals))
    rng.shuffle(texts)
    return texts


def in_process(texts: list[str]) -> tuple[float, int]:
    hasher, dedup = MinHasher(128, 5), MinHashLSHDeduplicator(128, 16, 0.7)
    started = time.perf_counter()
    removed = sum(dedup.is_duplicate(Document(t, {}, "g", hasher.signature(t))) for t in texts)
    return time.perf_counter() - started, removed


def default_hash_config() -> tuple[HashConfig, str]:
    """datatrove's default HashConfig if its xxhash path works with the installed xxhash, else sha1."""
    config = HashConfig()
    try:
        from datatrove.utils.hashing import create_hash_func

        create_hash_func(config)("probe text")
        return config, "xxhash"
    except (ImportError, TypeError) as error:
        return HashConfig(hash_fc="sha1"), f"sha1 (datatrove's xxhash path failed: {type(error).__name__}: {error})"


def datatrove_run(
    texts: list[str], work: Path, workers: int, config: MinhashConfig, language: Any, cluster_step: Callable
) -> tuple[float, int]:
    """Seconds for the four MinHash stages over ``workers`` input files, and the documents removed."""
    inputs = work / "input"
    inputs.mkdir(parents=True)
    for rank in range(workers):
        with gzip.open(inputs / f"{rank:05d}.jsonl.gz", "wt", encoding="utf-8") as handle:
            for index in unit_slice(len(texts), rank, workers):  # contiguous, as prepare_proof_pile_2 splits
                handle.write(json.dumps({"text": texts[index], "id": str(index)}) + "\n")
    signatures, buckets, remove = work / "signatures", work / "buckets", work / "remove"
    stages = [
        ([JsonlReader(str(inputs)), MinhashDedupSignature(str(signatures), config=config, language=language)], workers),
        ([MinhashDedupBuckets(str(signatures), str(buckets), config=config)], config.num_buckets),
        ([cluster_step(str(buckets), str(remove), config=config, signatures_folder=str(signatures))], 1),
        ([JsonlReader(str(inputs)), MinhashDedupFilter(str(remove))], workers),
    ]
    started = time.perf_counter()
    for number, (pipeline, tasks) in enumerate(stages):
        logging_dir = str(work / f"logs{number}")
        LocalPipelineExecutor(pipeline, tasks=tasks, workers=min(workers, tasks), logging_dir=logging_dir,
                              start_method="fork").run()  # fmt: skip
    seconds = time.perf_counter() - started
    removed = sum(path.stat().st_size // 4 for path in remove.glob("*.remove"))
    return seconds, removed


def checked_cluster(buckets: str, remove: str, config: MinhashConfig, signatures_folder: str) -> FirstCopyMinhashCluster:
    return FirstCopyMinhashCluster(buckets, remove, config=config, signatures_folder=signatures_folder, threshold=0.7)


def datatrove_cluster(buckets: str, remove: str, config: MinhashConfig, signatures_folder: str) -> MinhashDedupCluster:
    return MinhashDedupCluster(buckets, remove, config=config)


def dedup_report(num_docs: int, workers: list[int]) -> None:
    """Print the table: seconds, documents/s and documents removed by each method, for each worker count."""
    datatrove_logger.remove()  # its import-time log sink; each task adds its own on stderr (the table is on stdout)
    texts = make_corpus(num_docs)
    print(f"{len(texts)} documents, {sum(map(len, texts)) / 1e6:.2f} M characters")
    seconds, removed = in_process(texts)
    rows = [("in-process (1 process)", seconds, removed)]
    ours = math_minhash_config(MinHashLSHDeduplicator(128, 16, 0.7))
    hash_config, hash_note = default_hash_config()
    defaults = MinhashConfig(hash_config=hash_config)
    print(f"datatrove defaults hash: {hash_note}")
    has_spacy = importlib.util.find_spec("spacy") is not None
    if not has_spacy:
        print("datatrove defaults skipped: their English word tokenizer needs spaCy (pip install spacy)")
    methods = [("ours: datatrove stages", ours, MathWordTokenizer(), checked_cluster)]
    if has_spacy:
        methods.append(("datatrove defaults", defaults, "en", datatrove_cluster))
    for worker_count in workers:
        for name, config, language, cluster in methods:
            with tempfile.TemporaryDirectory() as work:
                seconds, removed = datatrove_run(texts, Path(work), worker_count, config, language, cluster)
            rows.append((f"{name} ({worker_count} workers)", seconds, removed))
    baseline = rows[0][1]
    print(f"{'method':42s} {'seconds':>8s} {'docs/s':>8s} {'vs in-process':>14s} {'removed':>8s}")
    for name, seconds, removed in rows:
        print(f"{name:42s} {seconds:8.2f} {len(texts) / seconds:8.0f} {baseline / seconds:13.2f}x {removed:8d}")
    near, exact = int(num_docs * 0.95) - int(num_docs * 0.8), num_docs - int(num_docs * 0.95)
    print(f"planted: {near} near copies + {exact} exact copies")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--num-docs", type=int, default=4000)
    parser.add_argument("--workers", type=int, nargs="+", default=[1, 2])
    args = parser.parse_args()
    dedup_report(args.num_docs, args.workers)


if __name__ == "__main__":
    main()
