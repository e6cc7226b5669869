"""tools/mixture_search.py end to end on the tiny CPU model: two mixtures, each trained in its own
process, scored on held-out text; the JSON checked against an independent recomputation."""
from __future__ import annotations

import json
import math
import os
import random
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from tests.math_lm.test_mixture import TOKENIZER, write_kind_corpus
from tests.megatron.training_harness import final_weights, tiny_config

REPO_ROOT = Path(__file__).resolve().parents[2]
TOOL = REPO_ROOT / "tools" / "mixture_search.py"


def run_tool(*args: str, timeout: int = 300) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, str(TOOL), *args], capture_output=True, text=True, timeout=timeout, cwd=REPO_ROOT)


def held_out_records() -> list[dict]:
    rng = random.Random(99)
    records = []
    for index in range(6):
        a, b = rng.randint(1, 99), rng.randint(1, 99)
        records.append({"text": f"Problem {index}: compute ${a} + {b}$. The answer is {a + b}.", "type": "Algebra"})
        records.append({"text": f"def g_{index}(x):\n    return x ** {index + 2}\n", "type": "Code"})
    return records


@pytest.mark.multirank
def test_search_two_mixtures_end_to_end(tmp_path):
    from math_lm import perplexity
    from megatron import parallel
    from megatron.tokenizer import build_tokenizer

    prefixes = [write_kind_corpus(tmp_path / "data", kind, 150, seed=i)
                for i, kind in enumerate(("arithmetic", "prose", "code"))]
    base = tiny_config(prefixes[0], train_iters=4, eval_iters=0, log_interval=2)
    del base["data_path"], base["split"]
    base["train_data_paths"] = prefixes
    (tmp_path / "base.yml").write_text(yaml.safe_dump(base))
    records = held_out_records()
    ppl = tmp_path / "held_out.jsonl"
    ppl.write_text("".join(json.dumps(record) + "\n" for record in records))
    output = tmp_path / "search"

    result = run_tool("--config", str(tmp_path / "base.yml"), "--mixtures", "4:1:1,1:1:4", "--train-iters", "8",
                      "--ppl-data", str(ppl), "--output", str(output), "--launcher", "single", "--quiet")
    assert result.returncode == 0, result.stderr[-4000:]
    summary = json.loads((output / "mixture_search.json").read_text())
    by_label = {candidate["label"]: candidate for candidate in summary["candidates"]}
    assert list(by_label) == ["4:1:1", "1:1:4"] and summary["types"] == ["Algebra", "Code"]
    assert by_label["4:1:1"]["train_data_weights"] == [4.0, 1.0, 1.0]
    assert summary["best"] == min(by_label, key=lambda label: by_label[label]["perplexity"])
    assert f"* best: {summary['best']}" in result.stdout
    assert (output / "mixture_search.png").read_bytes()[:4] == b"\x89PNG"
    for name in ("4-1-1", "1-1-4"):
        assert (output / name / "latest").read_text().strip() == "global_step8"
        assert yaml.safe_load((output / "configs" / f"{name}.yml").read_text())["train_iters"] == 8
    # Every held-out token scored, split by type.
    tokenizer = build_tokenizer("SPMTokenizer", str(TOKENIZER))
    lengths = {kind: sum(len(tokenizer.tokenize(r["text"])) for r in records if r["type"] == kind) for kind in ("Algebra", "Code")}
    assert by_label["1:1:4"]["tokens"] == sum(lengths.values()) and by_label["1:1:4"]["type_tokens"] == lengths
    # The mixture matters: more arithmetic helps the Algebra records, more code the Code records.
    assert by_label["4:1:1"]["type_perplexity"]["Algebra"] < by_label["1:1:4"]["type_perplexity"]["Algebra"]
    assert by_label["1:1:4"]["type_perplexity"]["Code"] < by_label["4:1:1"]["type_perplexity"]["Code"]

    # Recompute one candidate here: weights merged by the test harness, perplexity per window.
    import torch

    from tests.math_lm.test_perplexity import reference_perplexity
    from tests.multirank import free_port

    os.environ["MASTER_PORT"] = str(free_port())
    parallel.initialize_distributed(1)
    try:
        model, _ = perplexity.load_trained_model(output / "1-1-4")
        expected = final_weights(output / "1-1-4")
        assert all(torch.equal(model.state_dict()[name], tensor.float()) for name, tensor in expected.items())
        held_out = [perplexity.HeldOutRecord(r["text"], r["type"]) for r in records]
        nll, tokens, _ = reference_perplexity(model, tokenizer, held_out, window=base["seq_length"])
        assert by_label["1:1:4"]["perplexity"] == pytest.approx(math.exp(nll / tokens), rel=1e-5)
    finally:
        parallel.destroy_distributed()


@pytest.mark.slow
def test_search_refuses_bad_mixtures_and_configs_before_training(tmp_path):
    ppl = tmp_path / "held_out.jsonl"
    ppl.write_text('{"text": "x"}\n')
    (tmp_path / "base.yml").write_text(yaml.safe_dump({"data_path": ["x"], "train_iters": 2}))
    common = ["--config", str(tmp_path / "base.yml"), "--train-iters", "2", "--ppl-data", str(ppl),
              "--output", str(tmp_path / "out")]
    bad_spec = run_tool(*common, "--mixtures", "2:4:1,2:4")
    assert bad_spec.returncode == 1 and "'2:4' has 2 part(s), expected 3" in bad_spec.stderr
    no_sources = run_tool(*common, "--mixtures", "2:4:1")
    assert no_sources.returncode == 1 and "no 'train_data_paths'" in no_sources.stderr
    assert not (tmp_path / "out" / "2-4-1").exists()
