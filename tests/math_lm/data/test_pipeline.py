import json
from pathlib import Path

import lm_dataformat
import pytest

from math_lm.data.algebraic_stack import AlgebraicStackSubset
from math_lm.data.dedup import ChunkDeduplicator
from math_lm.data.documents import Document, assign_split
from math_lm.data.pipeline import run_subset
from math_lm.data.shards import OutputExistsError, ShardedWriter


def test_split_is_deterministic_and_close_to_99_half_half():
    texts = [f"document number {i}" for i in range(40_000)]
    splits = [assign_split(t) for t in texts]
    assert splits == [assign_split(t) for t in texts]
    fractions = {s: splits.count(s) / len(splits) for s in ("train", "validation", "test")}
    assert abs(fractions["train"] - 0.99) < 0.003
    assert abs(fractions["validation"] - 0.005) < 0.002 and abs(fractions["test"] - 0.005) < 0.002


def test_chunk_dedup_first_copy_wins_and_ignores_short_tail():
    dedup = ChunkDeduplicator(chunk_size=4)
    assert not dedup.is_duplicate(Document("abcdXY", {}, "g"))
    assert dedup.is_duplicate(Document("abcdZZZZ", {}, "g"))  # shares the full chunk "abcd"
    assert not dedup.is_duplicate(Document("qrstXY", {}, "g"))  # short tail "XY" is not compared
    assert not dedup.is_duplicate(Document("XY", {}, "g"))  # ... unless it is the whole document
    assert dedup.is_duplicate(Document("XY", {}, "g"))


def test_writer_rolls_shards_and_leaves_nothing_on_failure(tmp_path: Path):
    with ShardedWriter(tmp_path / "out", prefix="t", shard_bytes=100) as writer:
        for i in range(5):
            writer.write("train", Document("x" * 80 + str(i), {"i": i}, "g"))
        writer.commit({"subset": "t"})
    assert len(list((tmp_path / "out" / "train").glob("*.jsonl.zst"))) == 5
    stats = json.loads((tmp_path / "out" / "stats.json").read_text())
    assert stats["shards"]["train"][0] == "train/t-train-00000.jsonl.zst"
    texts = [doc for doc in lm_dataformat.Reader(str(tmp_path / "out" / "train")).stream_data()]
    assert sorted(texts) == ["x" * 80 + str(i) for i in range(5)]

    with pytest.raises(RuntimeError):
        with ShardedWriter(tmp_path / "failed", prefix="t") as writer:
            writer.write("train", Document("text", {}, "g"))
            raise RuntimeError("interrupted")
    assert list((tmp_path / "failed").iterdir()) == []

    with pytest.raises(OutputExistsError, match="stats.json|train"):
        ShardedWriter(tmp_path / "out", prefix="t")


def _corpus(root: Path) -> None:
    root.mkdir()
    for i in range(12):
        (root / f"m{i}.py").write_text(f"import numpy as np\nvalue_{i} = np.sqrt({i})\n")
    (root / "dup.py").write_text("import numpy as np\nvalue_3 = np.sqrt(3)\n")


def test_output_does_not_depend_on_worker_count(tmp_path: Path):
    _corpus(tmp_path / "src")
    one = run_subset(AlgebraicStackSubset(), [tmp_path / "src"], tmp_path / "one", workers=1)
    two = run_subset(AlgebraicStackSubset(), [tmp_path / "src"], tmp_path / "two", workers=2)
    one.pop("inputs"), two.pop("inputs")
    assert one == two
    for shard in one["shards"]["train"]:
        assert (tmp_path / "one" / shard).read_bytes() == (tmp_path / "two" / shard).read_bytes()
    assert one["dropped"] == {"chunk_duplicate": {"documents": 1, "bytes": len("import numpy as np\nvalue_3 = np.sqrt(3)\n")}}


def test_writer_keeps_interleaved_splits_readable(tmp_path: Path):
    with ShardedWriter(tmp_path / "out", prefix="t") as writer:
        for i in range(60):
            writer.write(("train", "validation", "test")[i % 3], Document(f"document {i} " * 20, {}, "g"))
        writer.commit({"subset": "t"})
    for split, first in (("train", 0), ("validation", 1), ("test", 2)):
        texts = list(lm_dataformat.Reader(str(tmp_path / "out" / split)).stream_data())
        assert texts == [f"document {i} " * 20 for i in range(first, 60, 3)]
