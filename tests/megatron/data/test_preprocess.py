"""preprocess_corpus: documents in, tokens out, with the real Llama-2 SentencePiece model."""
from __future__ import annotations

import json
import logging
from pathlib import Path

import numpy as np
import pytest
import zstandard

from megatron.data.corpus_reader import CorpusReadError
from megatron.data.indexed_dataset import IndexedDatasetReader
from megatron.data.preprocess import BadInputError, preprocess_corpus
from megatron.tokenizer import build_tokenizer

REPO_ROOT = Path(__file__).resolve().parents[3]
LLAMA_MODEL = str(REPO_ROOT / "data" / "tokenizers" / "llama2.model")
EOD = 2

TEXTS = [
    "Let $f(x) = x^2 + 1$. Then $f'(x) = 2x$.",
    "def gcd(a, b):\n    while b:\n        a, b = b, a % b\n    return a\n",
    "Théorème: pour tout $n \\geq 1$, $\\sum_{k=1}^n k = \\frac{n(n+1)}{2}$. 🦙",
    " leading space and trailing newline\n",
    "\\begin{align} a &= b \\\\ c &= d \\end{align}",
]


def write_jsonl(path: Path, rows, compress: bool = False) -> Path:
    lines = [row if isinstance(row, bytes) else json.dumps(row, ensure_ascii=False).encode() for row in rows]
    data = b"\n".join(lines) + b"\n"
    path.write_bytes(zstandard.ZstdCompressor().compress(data) if compress else data)
    return path


def run(inputs, prefix, **kwargs):
    kwargs.setdefault("workers", 0)
    kwargs.setdefault("append_eod", True)
    return preprocess_corpus(
        [str(p) for p in inputs] if isinstance(inputs, list) else str(inputs), str(prefix),
        tokenizer_type="SPMTokenizer", vocab_file=LLAMA_MODEL, progress_bar=False, **kwargs,
    )


def documents(prefix: Path, key: str = "text") -> list[list[int]]:
    reader = IndexedDatasetReader(f"{prefix}_{key}_document")
    return [reader.document(d).tolist() for d in range(reader.document_count)]


def outputs_in(directory: Path) -> list[str]:
    return sorted(p.name for p in directory.iterdir() if not p.name.endswith((".jsonl", ".zst", ".txt")))


@pytest.fixture(scope="module")
def tokenizer():
    return build_tokenizer("SPMTokenizer", LLAMA_MODEL)


def test_round_trip_equals_direct_tokenization(tmp_path, tokenizer):
    corpus = write_jsonl(tmp_path / "c.jsonl.zst", [{"text": t, "meta": {"i": i}} for i, t in enumerate(TEXTS)], True)
    summary = run(corpus, tmp_path / "out")
    expected = [tokenizer.tokenize(text) + [EOD] for text in TEXTS]
    assert documents(tmp_path / "out") == expected
    reader = IndexedDatasetReader(str(tmp_path / "out_text_document"))
    assert reader.dtype == np.uint16
    assert reader.document_indices.tolist() == list(range(len(TEXTS) + 1))
    assert [int(reader[i][-1]) for i in range(len(reader))] == [EOD] * len(TEXTS)
    assert summary.documents == len(TEXTS) and summary.documents_written == {"text": len(TEXTS)}
    assert summary.tokens == {"text": sum(map(len, expected))}
    assert summary.outputs == {"text": f"{tmp_path / 'out'}_text_document"}
    assert sum(summary.skipped.values()) == 0
    assert outputs_in(tmp_path) == ["out_text_document.bin", "out_text_document.idx"]
    assert "skipped: none" in summary.format()


def test_without_append_eod(tmp_path, tokenizer):
    corpus = write_jsonl(tmp_path / "c.jsonl", [{"text": t} for t in TEXTS])
    run(corpus, tmp_path / "out", append_eod=False)
    assert documents(tmp_path / "out") == [tokenizer.tokenize(text) for text in TEXTS]


def test_each_key_is_read_and_written_separately(tmp_path, tokenizer):
    rows = [{"title": f"Problem {i}", "text": text} for i, text in enumerate(TEXTS)]
    corpus = write_jsonl(tmp_path / "c.jsonl", rows)
    summary = run(corpus, tmp_path / "out", jsonl_keys=["text", "title"])
    assert documents(tmp_path / "out", "text") == [tokenizer.tokenize(t) + [EOD] for t in TEXTS]
    assert documents(tmp_path / "out", "title") == [tokenizer.tokenize(f"Problem {i}") + [EOD] for i in range(5)]
    assert set(summary.outputs) == {"text", "title"}


def test_empty_documents_are_skipped_and_counted(tmp_path, tokenizer):
    rows = [{"text": "one", "title": ""}, {"text": "", "title": "two"}, {"text": "three", "title": "3"}]
    corpus = write_jsonl(tmp_path / "c.jsonl", rows)
    summary = run(corpus, tmp_path / "out", jsonl_keys=["text", "title"])
    assert documents(tmp_path / "out", "text") == [tokenizer.tokenize(t) + [EOD] for t in ("one", "three")]
    assert documents(tmp_path / "out", "title") == [tokenizer.tokenize(t) + [EOD] for t in ("two", "3")]
    assert summary.skipped["empty_document"] == 2
    assert summary.documents == 3 and summary.documents_written == {"text": 2, "title": 2}


BAD_LINES = [
    (b"\xff\xfe not utf-8", "invalid_utf8"),
    (b'{"text": "caf\xe9"}', "invalid_utf8"),
    (b'{"text": "lone \\ud800 surrogate"}', "invalid_utf8"),
    (b'{"text": "unterminated', "not_json"),
    (b"", "not_json"),
    (b'["text", "in an array"]', "not_object"),
    (b'"just a string"', "not_object"),
    (b'{"body": "no text key"}', "missing_key"),
    (b'{"text": 42}', "non_string"),
    (b'{"text": ["para 1", "para 2"]}', "non_string"),
    (b'{"text": null}', "non_string"),
]


@pytest.mark.parametrize(("bad_line", "reason"), BAD_LINES)
def test_bad_line_stops_with_file_and_line(tmp_path, bad_line, reason):
    corpus = write_jsonl(tmp_path / "c.jsonl", [{"text": "good"}, {"text": "also good"}, bad_line, {"text": "after"}])
    with pytest.raises(BadInputError, match=rf"c\.jsonl:3: {reason}: .*--skip-bad") as raised:
        run(corpus, tmp_path / "out", chunk_bytes=20)
    assert raised.value.location == f"{corpus}:3" and raised.value.reason == reason
    assert outputs_in(tmp_path) == []  # no outputs, no temporary files


def test_skip_bad_counts_every_reason(tmp_path, tokenizer, caplog):
    rows: list = []
    for bad_line, _ in BAD_LINES:
        rows += [{"text": f"good {len(rows)}"}, bad_line]
    corpus = write_jsonl(tmp_path / "c.jsonl", rows)
    with caplog.at_level(logging.WARNING, logger="megatron.data.preprocess"):
        summary = run(corpus, tmp_path / "out", skip_bad=True, chunk_bytes=64)
    good = [row["text"] for row in rows if isinstance(row, dict)]
    assert documents(tmp_path / "out") == [tokenizer.tokenize(t) + [EOD] for t in good]
    expected_counts: dict[str, int] = {}
    for _, reason in BAD_LINES:
        expected_counts[reason] = expected_counts.get(reason, 0) + 1
    assert {r: c for r, c in summary.skipped.items() if c} == expected_counts
    assert [bad.location for bad in summary.bad_records] == [f"{corpus}:{2 * i + 2}" for i in range(len(BAD_LINES))]
    assert [bad.reason for bad in summary.bad_records] == [reason for _, reason in BAD_LINES]
    assert f"{corpus}:2: invalid_utf8" in caplog.text.replace("skipping ", "")


def test_invalid_utf8_in_text_file_reports_its_line(tmp_path):
    path = tmp_path / "doc.txt"
    path.write_bytes(b"line one\nline two\nline \xc3( three\n")
    with pytest.raises(BadInputError, match=r"doc\.txt:3: invalid_utf8"):
        run(path, tmp_path / "out")


def test_truncated_zst_is_an_error_and_leaves_nothing(tmp_path):
    corpus = write_jsonl(tmp_path / "c.jsonl.zst", [{"text": f"document number {i}"} for i in range(3000)], True)
    corpus.write_bytes(corpus.read_bytes()[:-10])
    with pytest.raises(CorpusReadError, match=r"c\.jsonl\.zst: truncated zstd file"):
        run(corpus, tmp_path / "out", chunk_bytes=1000)
    assert outputs_in(tmp_path) == []


def test_existing_output_needs_overwrite(tmp_path, tokenizer):
    corpus = write_jsonl(tmp_path / "c.jsonl", [{"text": "first"}])
    run(corpus, tmp_path / "out")
    write_jsonl(corpus, [{"text": "second"}, {"text": "third"}])
    with pytest.raises(FileExistsError, match=r"out_text_document\.bin .*--overwrite"):
        run(corpus, tmp_path / "out")
    assert documents(tmp_path / "out") == [tokenizer.tokenize("first") + [EOD]]
    run(corpus, tmp_path / "out", overwrite=True)
    assert documents(tmp_path / "out") == [tokenizer.tokenize(t) + [EOD] for t in ("second", "third")]


def test_failed_overwrite_keeps_the_old_outputs(tmp_path, tokenizer):
    corpus = write_jsonl(tmp_path / "c.jsonl", [{"text": "first"}])
    run(corpus, tmp_path / "out")
    write_jsonl(corpus, [{"text": "second"}, b"not json"])
    with pytest.raises(BadInputError):
        run(corpus, tmp_path / "out", overwrite=True)
    assert documents(tmp_path / "out") == [tokenizer.tokenize("first") + [EOD]]
    assert outputs_in(tmp_path) == ["out_text_document.bin", "out_text_document.idx"]


def test_nothing_to_write_is_an_error(tmp_path):
    corpus = write_jsonl(tmp_path / "c.jsonl", [{"text": ""}, b"[]"])
    with pytest.raises(ValueError, match="no documents to write for key 'text'"):
        run(corpus, tmp_path / "out", skip_bad=True)
    assert outputs_in(tmp_path) == []


def test_mixed_inputs_and_plain_text(tmp_path, tokenizer):
    first = write_jsonl(tmp_path / "a.jsonl.zst", [{"text": TEXTS[0]}], True)
    second = tmp_path / "b.txt"
    second.write_text(TEXTS[1], encoding="utf-8")
    run(f"{first},{second}", tmp_path / "out")
    assert documents(tmp_path / "out") == [tokenizer.tokenize(t) + [EOD] for t in TEXTS[:2]]
    with pytest.raises(ValueError, match=r"b\.txt: plain-text input has only the key 'text'"):
        run([second], tmp_path / "other", jsonl_keys=["title"])


def test_ftfy_repairs_mojibake(tmp_path, tokenizer):
    corpus = write_jsonl(tmp_path / "c.jsonl", [{"text": "cafÃ© crÃ¨me"}])
    run(corpus, tmp_path / "fixed", ftfy=True)
    run(corpus, tmp_path / "raw", ftfy=False)
    assert documents(tmp_path / "fixed") == [tokenizer.tokenize("café crème") + [EOD]]
    assert documents(tmp_path / "raw") == [tokenizer.tokenize("cafÃ© crÃ¨me") + [EOD]]


def test_progress_is_logged_every_interval(tmp_path, caplog):
    corpus = write_jsonl(tmp_path / "c.jsonl", [{"text": f"doc {i}"} for i in range(40)])
    with caplog.at_level(logging.INFO, logger="megatron.data.preprocess"):
        run(corpus, tmp_path / "out", log_interval=10, chunk_bytes=40)
    progress = [r.getMessage() for r in caplog.records if r.getMessage().startswith("processed ")]
    counts = [int(line.split()[1]) for line in progress]  # logged at the first chunk past each multiple of 10
    assert len(counts) == 4 and all(10 * (k + 1) <= n < 10 * (k + 2) for k, n in enumerate(counts))
    assert all("docs/s" in line and "MB/s" in line and "tokens/s" in line for line in progress)


def test_bad_arguments(tmp_path):
    corpus = write_jsonl(tmp_path / "c.jsonl", [{"text": "x"}])
    with pytest.raises(ValueError, match="distinct"):
        run(corpus, tmp_path / "out", jsonl_keys=["text", "text"])
    with pytest.raises(ValueError, match="unknown tokenizer_type"):
        preprocess_corpus(str(corpus), str(tmp_path / "out"), tokenizer_type="Nope", vocab_file=LLAMA_MODEL)


@pytest.mark.multirank
def test_output_bytes_do_not_depend_on_worker_count(tmp_path):
    rows = [{"text": f"{TEXTS[i % 5]} #{i}", "title": f"t{i}"} for i in range(300)]
    rows[17] = {"text": "", "title": "empty text"}
    rows[40] = b"garbage line"
    corpus = write_jsonl(tmp_path / "c.jsonl.zst", rows, True)
    contents = {}
    for workers in (0, 1, 2):
        prefix = tmp_path / f"w{workers}"
        summary = run(corpus, prefix, workers=workers, skip_bad=True, chunk_bytes=500, jsonl_keys=["text", "title"])
        assert summary.skipped["not_json"] == 1 and summary.skipped["empty_document"] == 1
        contents[workers] = [
            Path(f"{prefix}_{key}_document.{ext}").read_bytes() for key in ("text", "title") for ext in ("bin", "idx")
        ]
    assert contents[0] == contents[1] == contents[2]


@pytest.mark.multirank
def test_a_worker_that_cannot_start_is_an_error_not_a_hang(tmp_path):
    from concurrent.futures.process import BrokenProcessPool

    from megatron.data.preprocess import _EncodeSettings, _start_worker
    from megatron.pool import OrderedPool

    settings = _EncodeSettings("SPMTokenizer", str(tmp_path / "vanished.model"), None, ("text",), True, False)
    with pytest.raises(BrokenProcessPool):
        OrderedPool(1, _start_worker, (settings,))


def test_hf_tokenizer_json(tmp_path):
    from tokenizers import Tokenizer, models, pre_tokenizers, trainers

    backend = Tokenizer(models.BPE(unk_token="[UNK]"))
    backend.pre_tokenizer = pre_tokenizers.Whitespace()
    trainer = trainers.BpeTrainer(vocab_size=120, special_tokens=["[UNK]", "<|endoftext|>"], show_progress=False)
    backend.train_from_iterator(TEXTS * 3, trainer)
    backend.save(str(tmp_path / "tokenizer.json"))
    corpus = write_jsonl(tmp_path / "c.jsonl", [{"text": t} for t in TEXTS])
    preprocess_corpus(str(corpus), str(tmp_path / "out"), tokenizer_type="HFTokenizer",
                      vocab_file=str(tmp_path / "tokenizer.json"), append_eod=True, workers=0, progress_bar=False)
    expected = [backend.encode(t, add_special_tokens=False).ids + [1] for t in TEXTS]
    assert documents(tmp_path / "out") == expected


def test_progress_bar_shows_rates(tmp_path, capsys):
    corpus = write_jsonl(tmp_path / "c.jsonl", [{"text": f"doc {i}"} for i in range(30)])
    preprocess_corpus(str(corpus), str(tmp_path / "out"), tokenizer_type="SPMTokenizer", vocab_file=LLAMA_MODEL,
                      workers=0, num_docs=30, progress_bar=True, chunk_bytes=100)
    bar = capsys.readouterr().err
    assert "30/30" in bar and "docs/s" in bar and "MB/s" in bar and "tokens/s" in bar
