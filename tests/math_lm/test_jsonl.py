import pytest

from math_lm.jsonl import read_json_objects


def test_objects_with_line_numbers_and_errors_naming_the_line(tmp_path):
    path = tmp_path / "a.jsonl"
    path.write_text('{"a": 1}\n\n{"b": 2}\n')
    assert read_json_objects(path, ValueError) == [(1, {"a": 1}), (3, {"b": 2})]
    path.write_text('{"a": 1}\n[1, 2]\n')
    with pytest.raises(KeyError, match=r"a.jsonl:2: expected a JSON object, got list"):
        read_json_objects(path, KeyError)
    path.write_text('{"a": 1}\n{oops\n')
    with pytest.raises(ValueError, match=r"a.jsonl:2: not valid JSON"):
        read_json_objects(path, ValueError)
