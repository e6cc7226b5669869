"""The corpus reader: every input format yields the same records, with positions; damaged files are errors."""
from __future__ import annotations

import gzip
import io
import json
import random
import tarfile

import pytest
import zstandard

from megatron.data.corpus_reader import CorpusReadError, expand_inputs, input_format, iter_chunks

DOCS = [{"text": f"Document {i}: $x^{i} + 1$ ünïcödé\n\tdef f(): return {i}"} for i in range(25)]


def jsonl_bytes(docs) -> bytes:
    return "".join(json.dumps(doc, ensure_ascii=False) + "\n" for doc in docs).encode("utf-8")


def zst(data: bytes) -> bytes:
    return zstandard.ZstdCompressor().compress(data)


def records(paths, chunk_bytes=200):
    """(location, record) for every record, checking that chunks stay small and ordered."""
    found = []
    for chunk in iter_chunks([str(p) for p in paths], chunk_bytes=chunk_bytes):
        for index, record in enumerate(chunk.records):
            found.append((chunk.location(index), record))
    return found


def texts(paths, **kwargs):
    return [json.loads(record)["text"] for _, record in records(paths, **kwargs)]


def test_jsonl_formats_yield_the_same_documents(tmp_path):
    plain = tmp_path / "a.jsonl"
    plain.write_bytes(jsonl_bytes(DOCS))
    multi_frame = tmp_path / "a.jsonl.zst"
    multi_frame.write_bytes(zst(jsonl_bytes(DOCS[:10])) + zst(jsonl_bytes(DOCS[10:])))
    array = tmp_path / "array.json.zst"
    array.write_bytes(zst(json.dumps(DOCS).encode()))
    lines_zst = tmp_path / "lines.json.zst"
    lines_zst.write_bytes(zst(jsonl_bytes(DOCS)))
    gz = tmp_path / "a.jsonl.gz"
    gz.write_bytes(gzip.compress(jsonl_bytes(DOCS)))
    tar_path = tmp_path / "a.jsonl.zst.tar"
    with tarfile.open(tar_path, "w") as archive:
        for name, part in (("part0.jsonl.zst", DOCS[:7]), ("part1.jsonl.zst", DOCS[7:])):
            data = zst(jsonl_bytes(part))
            info = tarfile.TarInfo(name)
            info.size = len(data)
            archive.addfile(info, io.BytesIO(data))
    expected = [doc["text"] for doc in DOCS]
    for path in (plain, multi_frame, array, lines_zst, gz, tar_path):
        assert texts([path]) == expected, path


def test_positions_are_file_and_line(tmp_path):
    path = tmp_path / "a.jsonl"
    path.write_bytes(jsonl_bytes(DOCS))
    found = records([path], chunk_bytes=150)
    assert [location for location, _ in found] == [f"{path}:{n}" for n in range(1, 26)]
    array = tmp_path / "b.json.zst"
    array.write_bytes(zst(json.dumps(DOCS).encode()))
    assert records([array])[4][0] == f"{array}: element 5"
    tar_path = tmp_path / "c.jsonl.zst.tar"
    with tarfile.open(tar_path, "w") as archive:
        data = zst(jsonl_bytes(DOCS[:3]))
        info = tarfile.TarInfo("inner.jsonl.zst")
        info.size = len(data)
        archive.addfile(info, io.BytesIO(data))
    assert records([tar_path])[2][0] == f"{tar_path}:inner.jsonl.zst:3"


def test_last_line_without_newline_and_long_lines(tmp_path):
    long_text = "x" * (3 << 20)  # longer than one read block
    path = tmp_path / "a.jsonl"
    path.write_bytes(jsonl_bytes([{"text": long_text}]) + b'{"text": "last"}')
    assert texts([path]) == [long_text, "last"]


def test_plain_text_formats(tmp_path):
    txt = tmp_path / "doc.txt"
    txt.write_bytes("a whole file\nis one document\n".encode())
    gz = tmp_path / "lines.gz"
    gz.write_bytes(gzip.compress(b"first line\r\nsecond line\n\nfourth"))
    chunks = list(iter_chunks([str(txt), str(gz)]))
    assert [chunk.is_json for chunk in chunks] == [False, False]
    assert chunks[0].records == [b"a whole file\nis one document\n"]
    assert chunks[1].records == [b"first line", b"second line", b"", b"fourth"]


def test_truncated_and_corrupt_zstd_name_the_file(tmp_path):
    data = zst(jsonl_bytes(DOCS * 40))
    truncated = tmp_path / "truncated.jsonl.zst"
    truncated.write_bytes(data[: len(data) // 2])
    with pytest.raises(CorpusReadError, match=r"truncated\.jsonl\.zst: truncated zstd file"):
        records([truncated])
    cut_tail = tmp_path / "cut_tail.jsonl.zst"
    cut_tail.write_bytes(data[:-2])
    with pytest.raises(CorpusReadError, match=r"cut_tail\.jsonl\.zst: truncated zstd file"):
        records([cut_tail])
    garbage = tmp_path / "garbage.jsonl.zst"
    garbage.write_bytes(b"this is not zstd at all" * 10)
    with pytest.raises(CorpusReadError, match=r"garbage\.jsonl\.zst: corrupt zstd data"):
        records([garbage])
    array = tmp_path / "truncated.json.zst"
    array.write_bytes(zst(json.dumps(DOCS).encode())[:-3])
    with pytest.raises(CorpusReadError, match=r"truncated\.json\.zst: truncated zstd file"):
        records([array])


def test_broken_gzip_tar_and_json_array_name_the_file(tmp_path):
    gz = tmp_path / "cut.jsonl.gz"
    gz.write_bytes(gzip.compress(jsonl_bytes(DOCS * 40))[:-20])
    with pytest.raises(CorpusReadError, match=r"cut\.jsonl\.gz: corrupt or truncated gzip"):
        records([gz])
    tar_path = tmp_path / "cut.jsonl.zst.tar"
    with tarfile.open(tar_path, "w") as archive:
        rng = random.Random(0)
        data = zst(jsonl_bytes([{"text": str(rng.random())} for _ in range(2000)]))
        assert len(data) > 4000
        info = tarfile.TarInfo("inner.jsonl.zst")
        info.size = len(data)
        archive.addfile(info, io.BytesIO(data))
    tar_path.write_bytes(tar_path.read_bytes()[:2000])
    with pytest.raises(CorpusReadError, match=r"cut\.jsonl\.zst\.tar"):
        records([tar_path])
    array = tmp_path / "bad.json.zst"
    array.write_bytes(zst(b'[{"text": "a"},\n{"text": }]'))
    with pytest.raises(CorpusReadError, match=r"bad\.json\.zst:2: not a valid JSON array"):
        records([array])


def test_expand_inputs(tmp_path):
    (tmp_path / "b.jsonl").write_bytes(b"")
    (tmp_path / "a.jsonl.zst").write_bytes(b"")
    (tmp_path / "notes.md").write_bytes(b"")
    assert expand_inputs(str(tmp_path)) == [str(tmp_path / "a.jsonl.zst"), str(tmp_path / "b.jsonl")]
    assert expand_inputs(f"{tmp_path / 'b.jsonl'}, {tmp_path / 'a.jsonl.zst'}") == [
        str(tmp_path / "b.jsonl"), str(tmp_path / "a.jsonl.zst")]
    with pytest.raises(FileNotFoundError, match="nothere.jsonl"):
        expand_inputs(str(tmp_path / "nothere.jsonl"))
    with pytest.raises(CorpusReadError, match=r"notes\.md: unsupported input type"):
        expand_inputs(str(tmp_path / "notes.md"))
    with pytest.raises(ValueError, match="no input files"):
        expand_inputs(" , ")
    assert [input_format(p) for p in ("x.jsonl.zst.tar", "x.json.gz", "x.gz", "x.txt")] == [
        "jsonl.zst.tar", "json.gz", "gz", "txt"]
    empty_dir = tmp_path / "empty"
    empty_dir.mkdir()
    with pytest.raises(CorpusReadError, match="directory holds no input files"):
        expand_inputs(str(empty_dir))


def test_chunks_respect_size_limits(tmp_path):
    path = tmp_path / "a.jsonl"
    path.write_bytes(jsonl_bytes(DOCS))
    chunks = list(iter_chunks([str(path)], chunk_bytes=150))
    assert len(chunks) > 8
    assert all(sum(len(r) + 1 for r in chunk.records) < 150 + 100 for chunk in chunks)
    assert [chunk.first_record for chunk in chunks] == [
        1 + sum(len(c.records) for c in chunks[:i]) for i in range(len(chunks))]

