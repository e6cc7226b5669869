import gc
import json
import struct
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import psutil
import pytest
from datatrove.data import Document as DatatroveDocument
from datatrove.pipeline.dedup.minhash import (
    MinhashConfig,
    MinhashDedupBuckets,
    MinhashDedupCluster,
    MinhashDedupSignature,
)
from datatrove.utils.hashing import HashConfig

from math_lm.data.algebraic_stack import AlgebraicStackSubset
from math_lm.data.datatrove_steps import (
    FirstCopyMinhashCluster,
    MathWordTokenizer,
    RerunSafeMinhashSignature,
    math_minhash_config,
    signature_file,
    unit_slice,
)
from math_lm.data.dedup import ExactDeduplicator, MinHashLSHDeduplicator
from math_lm.data.documents import Document, UnitResult, decode_text, walk_files
from math_lm.data.open_web_math import OpenWebMathConfig, OpenWebMathSubset
from math_lm.data.pipeline import WORK_DIR_NAME, _stages, prepare_subset, run_subset


@dataclass(frozen=True)
class TextPagesSubset:
    """A minimal subset over .txt files with the web-page deduplicators (exact, then MinHash)."""

    name: str = "text-pages"
    fail_while: str = ""  # a marker file: while it exists, processing p07.txt fails
    call_log: str = ""  # a file that records every processed unit

    def work_units(self, inputs):
        return [str(path) for root in inputs for path in ([root] if root.is_file() else walk_files(root))]

    def process(self, unit, runner=None):  # runs in the task process: it never hangs
        if self.call_log:
            with open(self.call_log, "a") as log:
                log.write(Path(unit).name + "\n")
        if self.fail_while and Path(self.fail_while).exists() and unit.endswith("p07.txt"):
            raise RuntimeError(f"cannot process {unit}")
        result = UnitResult()
        data = Path(unit).read_bytes()
        try:
            text = decode_text(data, unit)
        except ValueError as error:
            result.drop(getattr(error, "reason", "bad"), len(data), unit)
            return result
        result.documents.append(Document(text, {"path": Path(unit).name}, "page"))
        return result

    def deduplicators(self):
        return [ExactDeduplicator(), MinHashLSHDeduplicator(128, 16, 0.7)]


def _words(seed: int, count: int = 120) -> str:
    rng = np.random.default_rng(seed)
    return " ".join(f"w{n}" for n in rng.integers(0, 5000, size=count))


def _pages(root: Path) -> dict[str, str]:
    """Twelve pages: four distinct, an exact copy, and a cluster of near copies whose first is p03."""
    root.mkdir()
    pages = {f"p{i:02d}.txt": f"Page {i}. " + _words(i) for i in range(4)}
    base = pages["p03.txt"]
    pages["p04.txt"] = base  # exact copy of p03
    for i in range(5, 11):  # near copies of p03: one word changed near the end
        pages[f"p{i:02d}.txt"] = base[: -40] + f" changed{i} " + base[-30:]
    pages["p11.txt"] = ""  # empty: dropped as bad input
    for name, text in pages.items():
        (root / name).write_text(text)
    return pages


def _kept(out: Path) -> list[tuple[str, str]]:
    import zstandard

    rows = []
    for shard in sorted(out.glob("*/*.jsonl.zst")):
        with open(shard, "rb") as handle:
            for line in zstandard.ZstdDecompressor().stream_reader(handle).read().splitlines():
                row = json.loads(line)
                rows.append((row["meta"]["path"], row["text"]))
    return rows


@pytest.mark.slow
def test_same_output_for_any_tasks_and_workers_and_first_copy_kept(tmp_path: Path):
    pages = _pages(tmp_path / "src")
    runs = {}
    for tasks, workers in ((1, 1), (3, 1), (3, 2), (5, 2)):
        out = tmp_path / f"out-{tasks}-{workers}"
        stats = run_subset(TextPagesSubset(), [tmp_path / "src"], out, workers=workers, tasks=tasks)
        stats.pop("inputs")
        runs[(tasks, workers)] = (stats, {p.relative_to(out): p.read_bytes() for p in out.rglob("*") if p.is_file()})
        assert not (out / WORK_DIR_NAME).exists()
    first_stats, first_files = runs[(1, 1)]
    for stats, files in runs.values():
        assert stats == first_stats and files == first_files
    assert sorted(path for path, _ in _kept(tmp_path / "out-1-1")) == ["p00.txt", "p01.txt", "p02.txt", "p03.txt"]
    assert dict(_kept(tmp_path / "out-1-1"))["p03.txt"] == pages["p03.txt"]
    dropped = {reason: entry["documents"] for reason, entry in first_stats["dropped"].items()}
    assert dropped == {"empty": 1, "exact_duplicate": 1, "near_duplicate": 6}
    assert first_stats["drop_examples"]["empty"] == [str((tmp_path / "src" / "p11.txt").absolute())]
    assert first_stats["work_units"] == 12


def test_unit_slices_are_contiguous_and_cover_everything():
    for total in (0, 1, 7, 100):
        for world in (1, 3, 16):
            covered = [i for rank in range(world) for i in unit_slice(total, rank, world)]
            assert covered == list(range(total))


def test_first_copy_cluster_keeps_the_earliest_document_where_datatrove_keeps_the_largest_root(tmp_path: Path):
    dups = tmp_path / "dups"
    dups.mkdir()
    # Task 0 documents 5, 6 and 7 pair up first; document 1 (earlier in input order) joins last.
    pairs = [(0, 5, 0, 6), (0, 5, 0, 7), (0, 1, 0, 5)]
    (dups / "00000_00.dups").write_bytes(b"".join(struct.pack("<4I", *pair) for pair in pairs))
    config = MinhashConfig(num_buckets=1)

    ours = tmp_path / "ours"
    list(FirstCopyMinhashCluster(str(dups), str(ours), config=config).run(None, 0, 1))
    removed = np.frombuffer((ours / "000000.remove").read_bytes(), dtype="<u4").tolist()
    assert removed == [5, 6, 7]

    theirs = tmp_path / "theirs"
    MinhashDedupCluster(str(dups), str(theirs), config=config).run(None, 0, 1)
    assert np.frombuffer((theirs / "000000.remove").read_bytes(), dtype="<u4").tolist() == [1, 6, 7]


def test_math_settings_keep_formulas_with_other_numbers_apart():
    first = "We solve the equation $x^2 + 3x - 4 = 0$ and find the roots $x = 1$ and $x = -4$ quickly."
    second = "We solve the equation $x^3 - 7x + 9 = 0$ and find the roots $x = 2$ and $x = +5$ quickly."
    default_norm = MinhashConfig(n_grams=5, hash_config=HashConfig(hash_fc="sha1"))
    ours = math_minhash_config(MinHashLSHDeduplicator(128, 16, 0.7))

    def signature(config: MinhashConfig, text: str):
        step = MinhashDedupSignature("memory://unused", config=config, language=MathWordTokenizer())
        return step.get_signature(step.get_shingles(text))

    assert signature(default_norm, first) == signature(default_norm, second)  # numbers and operators erased
    assert signature(ours, first) != signature(ours, second)
    assert ours.hash_config.hash_fc == "sha1" and not ours.norm_config.norm_numbers
    assert MathWordTokenizer().word_tokenize("x^2+1=0") == ["x", "^", "2", "+", "1", "=", "0"]


def test_failed_run_leaves_no_output_that_looks_complete_and_the_rerun_resumes(tmp_path: Path):
    _pages(tmp_path / "src")
    marker, log, out = tmp_path / "broken", tmp_path / "calls.log", tmp_path / "out"
    marker.touch()
    subset = TextPagesSubset(fail_while=str(marker), call_log=str(log))
    with pytest.raises(RuntimeError, match="cannot process") as failed:  # its traceback stays alive, as in a REPL
        run_subset(subset, [tmp_path / "src"], out, workers=1, tasks=2)
    assert not [p for p in out.iterdir() if p.name != WORK_DIR_NAME]
    assert not [f.path for f in psutil.Process().open_files() if f.path.startswith(str(out))]
    assert log.read_text().split() == [f"p{i:02d}.txt" for i in range(8)]  # task 0 (p00-p05) done, task 1 failed

    marker.unlink()
    log.unlink()
    stats = run_subset(subset, [tmp_path / "src"], out, workers=1, tasks=2)
    assert log.read_text().split() == [f"p{i:02d}.txt" for i in range(6, 12)]  # only the failed task ran again
    assert stats["kept_documents"] == 4 and not (out / WORK_DIR_NAME).exists()
    del failed


def test_signatures_rewritten_after_a_failed_attempt_stay_intact_when_that_attempt_is_freed(tmp_path: Path):
    config = math_minhash_config(MinHashLSHDeduplicator(128, 16, 0.7))
    texts = [_words(seed) for seed in range(6)]

    def documents(fail_at: int | None = None):
        for index, text in enumerate(texts):
            if index == fail_at:
                raise RuntimeError("extraction failed")
            yield DatatroveDocument(text=text, id=str(index))

    def signatures(folder: Path, data) -> None:
        RerunSafeMinhashSignature(str(folder), config=config, language=MathWordTokenizer()).run(data, 0, 1)

    with pytest.raises(RuntimeError, match="extraction failed") as failed:
        signatures(tmp_path / "rerun", documents(fail_at=2))
    signatures(tmp_path / "rerun", documents())
    signatures(tmp_path / "clean", documents())
    del failed
    gc.collect()  # frees whatever the failed attempt still held
    for bucket in range(config.num_buckets):
        path = signature_file(bucket, 0)
        assert (tmp_path / "rerun" / path).read_bytes() == (tmp_path / "clean" / path).read_bytes(), path


def test_refuses_existing_output_and_missing_input_before_any_work(tmp_path: Path):
    (tmp_path / "src").mkdir()
    (tmp_path / "out" / "train").mkdir(parents=True)
    with pytest.raises(FileExistsError, match="train"):
        prepare_subset(AlgebraicStackSubset(), [tmp_path / "src"], tmp_path / "out")
    with pytest.raises(FileNotFoundError, match="nope"):
        prepare_subset(AlgebraicStackSubset(), [tmp_path / "nope"], tmp_path / "fresh")
    assert not (tmp_path / "fresh").exists() and not (tmp_path / "out" / WORK_DIR_NAME).exists()


def _cluster_removals(
    texts: list[str], work: Path, threshold: float | None, deduplicator: MinHashLSHDeduplicator | None = None
) -> list[int]:
    """Documents removed by datatrove's signature and bucket stages, then our cluster step."""
    config = math_minhash_config(deduplicator or MinHashLSHDeduplicator(128, 16, 0.7))
    documents = [DatatroveDocument(text=text, id=str(i)) for i, text in enumerate(texts)]
    signatures, buckets, remove = work / "signatures", work / "buckets", work / "remove"
    MinhashDedupSignature(str(signatures), config=config, language=MathWordTokenizer()).run(documents, 0, 1)
    for bucket in range(config.num_buckets):
        MinhashDedupBuckets(str(signatures), str(buckets), config=config).run(None, bucket, config.num_buckets)
    cluster = FirstCopyMinhashCluster(str(buckets), str(remove), config=config, signatures_folder=str(signatures),
                                      threshold=threshold)  # fmt: skip
    list(cluster.run(None, 0, 1))
    path = remove / "000000.remove"
    return np.frombuffer(path.read_bytes(), dtype="<u4").tolist() if path.exists() else []


def test_cluster_checks_band_matches_against_the_threshold(tmp_path: Path):
    shared = _words(1000, 300)  # a long passage that every page carries: Jaccard about 0.6 between pages
    texts = [shared + " " + _words(2000 + i, 100) for i in range(16)]
    texts.append(texts[3].replace(texts[3].split()[-5], "edited", 1))  # a true near copy of page 3
    unchecked = _cluster_removals(texts, tmp_path / "unchecked", threshold=None)
    checked = _cluster_removals(texts, tmp_path / "checked", threshold=0.7)
    assert len(unchecked) > 1  # datatrove's band match alone pairs pages that only share the passage
    assert checked == [16]


def test_the_open_web_math_minhash_settings_are_the_ones_datatrove_runs(tmp_path: Path):
    config = OpenWebMathConfig(shingle_words=1, minhash_permutations=96, minhash_bands=12, near_duplicate_threshold=0.8)
    subset = OpenWebMathSubset(config)
    stages = {name: steps for name, steps, _ in _stages(subset, [], tmp_path / "out", tmp_path / "work", 2, 1 << 20)}
    signature_step = next(step for step in stages["extract"] if isinstance(step, RerunSafeMinhashSignature))
    (cluster,) = stages["minhash-clusters"]
    datatrove_config = signature_step.config
    assert (datatrove_config.n_grams, datatrove_config.num_buckets, datatrove_config.hashes_per_bucket) == (1, 12, 8)
    assert cluster.config == signature_step.config and cluster.threshold == 0.8

    words = _words(7, 200).split()
    reordered = " ".join(reversed(words))  # the same words, so the same 1-word shingles; no 5-word shingle in common
    texts = [" ".join(words), reordered]
    unigram_dedup = next(d for d in subset.deduplicators() if isinstance(d, MinHashLSHDeduplicator))
    five_word_dedup = next(d for d in OpenWebMathSubset().deduplicators() if isinstance(d, MinHashLSHDeduplicator))
    assert _cluster_removals(texts, tmp_path / "unigrams", unigram_dedup.threshold, unigram_dedup) == [1]
    assert _cluster_removals(texts, tmp_path / "five", five_word_dedup.threshold, five_word_dedup) == []


def test_a_writer_left_open_by_an_earlier_attempt_cannot_change_the_new_signatures(tmp_path: Path):
    config = math_minhash_config(MinHashLSHDeduplicator(128, 16, 0.7))
    documents = [DatatroveDocument(text=_words(seed), id=str(seed)) for seed in range(4)]
    folder = tmp_path / "signatures"
    (folder / "bucket_000").mkdir(parents=True)
    stale = open(folder / signature_file(0, 0), "wb")  # an earlier attempt's handle, as in a reused worker
    RerunSafeMinhashSignature(str(folder), config=config, language=MathWordTokenizer()).run(documents, 0, 1)
    written = (folder / signature_file(0, 0)).read_bytes()
    stale.write(b"\xff" * 68)
    stale.close()
    assert (folder / signature_file(0, 0)).read_bytes() == written and len(written) == 4 * 68


def test_minhash_signatures_are_datatrove_s_own_in_bounded_memory(tmp_path: Path):
    import tracemalloc

    text = "Let $x^2 + 1 = 0$; then x is i or -i. " * 1000  # 19,000 shingles: several blocks of 8192
    for precision in (64, 32):
        config = math_minhash_config(MinHashLSHDeduplicator(128, 16, 0.7, 5))
        config.hash_config = HashConfig(precision=precision, hash_fc="sha1")
        ours = RerunSafeMinhashSignature(str(tmp_path / "ours"), config=config, language=MathWordTokenizer())
        theirs = MinhashDedupSignature(str(tmp_path / "theirs"), config=config, language=MathWordTokenizer())
        shingles = ours.get_shingles(text)
        assert np.array_equal(shingles, theirs.get_shingles(text))
        assert ours.get_signature(shingles) == theirs.get_signature(shingles)
    many = (np.arange(250_000, dtype=np.uint64) * np.uint64(2654435761)).reshape(-1, 1)
    tracemalloc.start()
    ours.get_signature(many)  # datatrove's own asks for 250,000 x 128 x 8 bytes = 244 MiB here
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    assert peak < 48 * 1024 * 1024  # the 2 MB input, and 8 MiB blocks
