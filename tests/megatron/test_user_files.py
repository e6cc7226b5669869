"""megatron.user_files: damaged or cut files become one UserFileError naming the file and the line or item."""
import gzip
import json
import zipfile

import pytest
import torch

from megatron.interrupts import run_tool
from megatron.user_files import (
    UserFileError,
    check_model_directory,
    check_safetensors,
    iter_json_lines,
    iter_lines,
    read_json,
    read_text,
    read_yaml,
    reading,
)


def test_text_errors_name_the_line(tmp_path):
    path = tmp_path / "notes.txt"
    path.write_bytes(b"one\ntwo\nth\xffree\n")
    with pytest.raises(UserFileError, match=r"notes.txt:3: not UTF-8 text \(byte 0xff cannot be decoded\)$") as caught:
        read_text(path)
    assert (caught.value.path, caught.value.line) == (str(path), 3)
    lines = iter_lines(path)
    assert [next(lines), next(lines)] == [(1, "one\n"), (2, "two\n")]
    with pytest.raises(UserFileError, match=r"notes.txt:3: not UTF-8"):
        next(lines)


def test_json_yaml_and_jsonl(tmp_path):
    path = tmp_path / "a.json"
    path.write_text('{\n  "a": 1,\n  "b": \n')
    with pytest.raises(UserFileError, match=r"a.json:4: not valid JSON \(Expecting value, column 1\)"):
        read_json(path)
    path = tmp_path / "a.yml"
    path.write_text('a: 1\nb: "unclosed\n')
    with pytest.raises(UserFileError, match=r"a.yml:3: not valid YAML \(found unexpected end of stream\)"):
        read_yaml(path)
    path.write_text("a: 1\nb: [2, 3]\n")
    assert read_yaml(path) == {"a": 1, "b": [2, 3]}
    path = tmp_path / "a.jsonl"
    path.write_text('{"a": 1}\n\n[2]\n{"b": ')
    lines = iter_json_lines(path)
    assert [next(lines), next(lines)] == [(1, {"a": 1}), (3, [2])]
    with pytest.raises(UserFileError, match=r"a.jsonl:4: not valid JSON"):
        next(lines)


def test_reading_names_the_item_and_leaves_other_errors_alone(tmp_path):
    path = tmp_path / "archive.gz"
    path.write_bytes(gzip.compress(bytes(range(256)) * 40)[:100])
    with pytest.raises(UserFileError, match=r"archive.gz: member one: cut short \(.*\)$"):
        with reading(path, item="member one"), gzip.open(path) as handle:
            handle.read()
    with pytest.raises(KeyError):  # not a damaged-file error: passes through as it is
        with reading(path):
            raise KeyError("x")


def test_safetensors_and_model_directories(tmp_path):
    from safetensors.torch import save_file

    weights = tmp_path / "model.safetensors"
    save_file({"w": torch.zeros(64, 64)}, str(weights))
    check_safetensors(weights)
    weights.write_bytes(weights.read_bytes()[:5000])
    with pytest.raises(UserFileError, match=r"model.safetensors: damaged or cut short \(.*not fully covered\)"):
        check_safetensors(weights)
    weights.unlink()
    (tmp_path / "config.json").write_text(json.dumps({"a": 1}))
    torch.save({"w": torch.zeros(4)}, tmp_path / "pytorch_model.bin")
    check_model_directory(tmp_path)
    assert zipfile.is_zipfile(tmp_path / "pytorch_model.bin")
    data = (tmp_path / "pytorch_model.bin").read_bytes()
    (tmp_path / "pytorch_model.bin").write_bytes(data[: len(data) // 2])
    with pytest.raises(UserFileError, match=r"pytorch_model.bin: cut short"):
        check_model_directory(tmp_path)


def test_run_tool_prints_one_line_and_exits_2(tmp_path, capsys):
    path = tmp_path / "bad.txt"
    path.write_bytes(b"\xff")

    def main() -> int:
        read_text(path)
        return 0

    assert run_tool("tool", main) == 2
    assert capsys.readouterr().err == f"error: {path}:1: not UTF-8 text (byte 0xff cannot be decoded)\n"
