import gzip
import json
import subprocess
import sys
from pathlib import Path

import lm_dataformat
import pytest

REPO_ROOT = Path(__file__).resolve().parents[2]
TOOL = REPO_ROOT / "tools" / "prepare_proof_pile_2.py"
SPM_MODEL = REPO_ROOT / "data" / "tokenizers" / "llama2.model"


def _run(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, str(TOOL), *args], capture_output=True, text=True, cwd=REPO_ROOT, timeout=120)


def _tiny_folder(root: Path) -> None:
    root.mkdir()
    for i in range(30):
        (root / f"p{i:02d}.py").write_text(f"import sympy\nx{i} = sympy.Symbol('x{i}')\nprint(x{i} ** {i + 2})\n")
    (root / "plain.py").write_text("print('hello')\n")
    (root / "image.png").write_bytes(b"\x89PNG\r\n\x1a\n\x00")


@pytest.mark.slow
def test_cli_end_to_end_is_deterministic_and_readable(tmp_path: Path):
    _tiny_folder(tmp_path / "src")
    first = _run("algebraic-stack", "--input", str(tmp_path / "src"), "--output-dir", str(tmp_path / "a"), "--workers", "2")
    assert first.returncode == 0, first.stderr
    second = _run("algebraic-stack", "--input", str(tmp_path / "src"), "--output-dir", str(tmp_path / "b"))
    assert second.returncode == 0, second.stderr

    stats = json.loads((tmp_path / "a" / "stats.json").read_text())
    assert stats["subset"] == "algebraic-stack"
    assert stats["kept_documents"] == 30
    assert {r: e["documents"] for r, e in stats["dropped"].items()} == {
        "python:no_math_import": 1,
        "unsupported_language": 1,
    }
    assert sum(stats["splits"][s]["by_group"].get("python", {}).get("documents", 0) for s in stats["splits"]) == 30
    assert json.loads(first.stdout.strip().splitlines()[-1])["dropped"] == 2
    assert [Path(source).name for source in stats["drop_examples"]["unsupported_language"]] == ["image.png"]

    texts = []
    for split in ("train", "validation", "test"):
        shards_a = sorted(p.name for p in (tmp_path / "a" / split).glob("*.jsonl.zst"))
        shards_b = sorted(p.name for p in (tmp_path / "b" / split).glob("*.jsonl.zst"))
        assert shards_a == shards_b
        for name in shards_a:
            assert (tmp_path / "a" / split / name).read_bytes() == (tmp_path / "b" / split / name).read_bytes()
            for text, meta in lm_dataformat.Reader(str(tmp_path / "a" / split / name)).stream_data(get_meta=True):
                assert meta["language"] == "python" and meta["path"].startswith("src/p")
                texts.append(text)
        assert stats["splits"][split]["documents"] == sum(
            1 for name in shards_a for _ in lm_dataformat.Reader(str(tmp_path / "a" / split / name)).stream_data()
        )
    assert len(texts) == 30 and all(t.startswith("import sympy") for t in texts)
    assert not [p for p in (tmp_path / "a").iterdir() if p.name.startswith(".")]  # no staging left behind

    if SPM_MODEL.exists():
        tokenized = subprocess.run(
            [
                sys.executable, str(REPO_ROOT / "tools" / "preprocess_data.py"),
                "--input", str(tmp_path / "a" / "train"), "--output-prefix", str(tmp_path / "tok" / "as"),
                "--tokenizer-type", "SPMTokenizer", "--vocab-file", str(SPM_MODEL), "--append-eod",
            ],
            capture_output=True, text=True, cwd=REPO_ROOT, timeout=120,
        )  # fmt: skip
        assert tokenized.returncode == 0, tokenized.stderr
        assert (tmp_path / "tok" / "as_text_document.idx").exists()


@pytest.mark.slow
def test_cli_missing_input_fails_clearly(tmp_path: Path):
    result = _run("arxiv", "--input", str(tmp_path / "nope"), "--output-dir", str(tmp_path / "out"))
    assert result.returncode != 0
    assert "input path does not exist" in result.stderr and "nope" in result.stderr
    assert not (tmp_path / "out").exists()


@pytest.mark.slow
def test_cli_refuses_to_overwrite(tmp_path: Path):
    _tiny_folder(tmp_path / "src")
    assert _run("algebraic-stack", "--input", str(tmp_path / "src"), "--output-dir", str(tmp_path / "out")).returncode == 0
    again = _run("algebraic-stack", "--input", str(tmp_path / "src"), "--output-dir", str(tmp_path / "out"))
    assert again.returncode != 0 and "already exists" in again.stderr


@pytest.mark.slow
def test_cli_slurm_needs_a_partition_and_tasks_must_be_positive(tmp_path: Path):
    _tiny_folder(tmp_path / "src")
    slurm = _run("algebraic-stack", "--input", str(tmp_path / "src"), "--output-dir", str(tmp_path / "out"), "--executor", "slurm")
    assert slurm.returncode != 0 and "--partition" in slurm.stderr
    tasks = _run("algebraic-stack", "--input", str(tmp_path / "src"), "--output-dir", str(tmp_path / "out"), "--tasks", "0")
    assert tasks.returncode == 2 and "tasks must be at least 1" in tasks.stderr
    assert not (tmp_path / "out").exists()


@pytest.mark.slow
def test_staging_of_a_killed_run_is_removed_by_the_next(tmp_path: Path):
    dead = subprocess.Popen(["true"])
    dead.wait()
    _tiny_folder(tmp_path / "in")
    stale = tmp_path / "out" / f".prepare-incomplete-{dead.pid}.tmp-abc" / "train"
    stale.mkdir(parents=True)
    result = _run("algebraic-stack", "--input", str(tmp_path / "in"), "--output-dir", str(tmp_path / "out"))
    assert result.returncode == 0, result.stderr
    assert not stale.parent.exists()


def _scipy_pages_classifier(path: Path) -> Path:
    """A fastText model that calls the scipy page's common words ``__label__negative`` (not math)."""
    from tests.math_lm.data.web_fixtures import write_fasttext_classifier

    votes = {word: "__label__negative" for word in ("the", "of", "distribution", "is", "and")}
    return write_fasttext_classifier(path, votes, ["__label__positive", "__label__negative"], end_of_line=True)


@pytest.mark.slow
def test_cli_open_web_math_takes_a_fasttext_math_classifier(tmp_path: Path):
    from tests.math_lm.data.web_fixtures import SCIPY_DOC

    model = _scipy_pages_classifier(tmp_path / "math_score.bin")
    dropped = _run("open-web-math", "--input", str(SCIPY_DOC), "--output-dir", str(tmp_path / "a"),
                   "--math-classifier", str(model))  # fmt: skip
    assert dropped.returncode == 0, dropped.stderr
    stats = json.loads((tmp_path / "a" / "stats.json").read_text())
    assert stats["kept_documents"] == 0 and stats["dropped"]["low_math_score"]["documents"] == 1  # heuristic keeps it
    kept = _run("open-web-math", "--input", str(SCIPY_DOC), "--output-dir", str(tmp_path / "b"),
                "--math-classifier", str(model), "--math-classifier-label", "__label__negative")  # fmt: skip
    assert kept.returncode == 0, kept.stderr
    assert json.loads((tmp_path / "b" / "stats.json").read_text())["kept_documents"] == 1


@pytest.mark.slow
def test_cli_math_classifier_errors_are_one_line_naming_the_file(tmp_path: Path):
    from tests.math_lm.data.web_fixtures import SCIPY_DOC

    model = _scipy_pages_classifier(tmp_path / "math_score.bin")
    (tmp_path / "corrupt.bin").write_bytes(model.read_bytes()[:100])
    out = tmp_path / "out"
    cases = [
        (["open-web-math", "--math-classifier", str(tmp_path / "missing.bin")], "missing.bin"),
        (["open-web-math", "--math-classifier", str(tmp_path / "corrupt.bin")], "corrupt.bin: not a fastText model"),
        (["open-web-math", "--math-classifier", str(model), "--math-classifier-label", "__label__math"],
         f"{model}: the model has no label '__label__math'"),
        (["arxiv", "--math-classifier", str(model)], "--math-classifier applies to the open-web-math subset only"),
        (["open-web-math", "--math-classifier-label", "x"], "--math-classifier-label needs --math-classifier"),
    ]
    for arguments, message in cases:
        result = _run(*arguments, "--input", str(SCIPY_DOC), "--output-dir", str(out))
        assert result.returncode == 2, (arguments, result.stderr)
        assert result.stderr.strip().splitlines() == [result.stderr.strip()] and message in result.stderr, result.stderr
        assert not out.exists()


# ---- hostile inputs (issue 22): the run exits 0 in bounded time and memory, keeps the good documents ----

_ADDRESS_SPACE_LIMIT = 4 * 1024**3  # the cap under which the issue saw each hostile input end the run


def _run_capped(*args: str) -> subprocess.CompletedProcess:
    """The tool under a 4 GiB address-space limit (its extraction workers inherit it)."""
    import resource

    def cap() -> None:
        resource.setrlimit(resource.RLIMIT_AS, (_ADDRESS_SPACE_LIMIT, _ADDRESS_SPACE_LIMIT))

    return subprocess.run([sys.executable, str(TOOL), *args], capture_output=True, text=True, cwd=REPO_ROOT,
                          timeout=600, preexec_fn=cap)  # fmt: skip


@pytest.mark.slow
def test_cli_hostile_arxiv_sources_at_the_default_budget(tmp_path: Path):
    from tests.math_lm.data import hostile_inputs as hostile

    raw = tmp_path / "raw"
    raw.mkdir()
    (raw / "2301.00001.tex").write_bytes(hostile.good_paper("First"))
    bomb = hostile.single_gzip_of_zeros(3 * 1024)  # inflates to 3 GiB
    (raw / "2302.00002.gz").write_bytes(bomb)
    (raw / "2303.00003.tex").write_bytes(hostile.recursive_def_paper())
    for name, data in hostile.input_fan_out_paper(fan_out=10, levels=12).items():
        (raw / "2304.00004" / name).parent.mkdir(parents=True, exist_ok=True)
        (raw / "2304.00004" / name).write_bytes(data)
    (raw / "2305.00005.tex").write_bytes(hostile.unclosed_newcommand_paper(60_000))  # slow to scan, not bad: kept
    (raw / "arXiv_src_2306_001.tar").write_bytes(hostile.tar_bytes(
        {"2306/2306.00006.gz": hostile.gzip_of_zeros(3 * 1024), "2306/2306.00007.gz": gzip.compress(hostile.good_paper("Bulk"))}))
    (raw / "2309.00009.tar.gz").write_bytes(hostile.tar_bytes({"ms.tex": hostile.good_paper("Last")}, True))
    result = _run_capped("arxiv", "--input", str(raw), "--output-dir", str(tmp_path / "out"), "--workers", "1")
    assert result.returncode == 0, result.stderr
    stats = json.loads((tmp_path / "out" / "stats.json").read_text())
    assert {r: e["documents"] for r, e in stats["dropped"].items()} == {"decompression_bomb": 2, "expansion_limit": 2}
    assert stats["kept_documents"] == 4
    assert stats["drop_examples"]["decompression_bomb"] == [
        str(raw / "2302.00002.gz"), f"{raw / 'arXiv_src_2306_001.tar'}:2306/2306.00006.gz"]


@pytest.mark.slow
def test_cli_hostile_web_pages_at_the_default_budget(tmp_path: Path):
    from tests.math_lm.data import hostile_inputs as hostile
    from tests.math_lm.data.test_open_web_math import OTHER_PROSE, _math_page
    from tests.math_lm.data.web_fixtures import http_response, warc_record

    raw = tmp_path / "raw"
    raw.mkdir()
    (raw / "a_good.html").write_text(_math_page("factoring"))
    bombs = [
        warc_record({"WARC-Type": "response", "WARC-Target-URI": "https://good.example/"}, http_response(_math_page("roots", OTHER_PROSE))),
        warc_record({"WARC-Type": "response", "WARC-Target-URI": "https://bomb.example/gzip"},
                    http_response(hostile.single_gzip_of_zeros(3 * 1024), Content_Encoding="gzip")),
        warc_record({"WARC-Type": "response", "WARC-Target-URI": "https://bomb.example/br"},
                    http_response(hostile.brotli_of_zeros(3 * 1024), Content_Encoding="br")),
    ]  # fmt: skip
    (raw / "crawl.warc").write_bytes(b"".join(bombs))
    (raw / "deep.html").write_bytes(hostile.nested_div_page(100_000))
    line = "We solve $x^2 = 4$ and find that x is two or minus two. " * (50 * 1024 * 1024 // 56)
    (raw / "one_line.html").write_text(f"<html><body><p>{line}</p></body></html>")
    result = _run_capped("open-web-math", "--input", str(raw), "--output-dir", str(tmp_path / "out"), "--workers", "1")
    assert result.returncode == 0, result.stderr
    stats = json.loads((tmp_path / "out" / "stats.json").read_text())
    dropped = {r: e["documents"] for r, e in stats["dropped"].items()}
    assert dropped == {"decompression_bomb": 2, "too_deep": 1, "too_large": 1}
    assert stats["kept_documents"] == 2


_BLOCKING_LAUNCHER = """
import os, signal, sys
from pathlib import Path
import math_lm.data.open_web_math as open_web_math
from math_lm.data.prepare_cli import run

real_extract_page = open_web_math.extract_page

def extract_page(html):
    # The hook: on the marked page, block as a C extension that never returns does (no signal handler
    # can run: here SIGTERM, SIGINT and SIGHUP stay pending), once the marker says we are there.
    if "BLOCK-HERE" in html:
        signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGTERM, signal.SIGINT, signal.SIGHUP})
        Path(os.environ["BLOCK_MARKER"]).write_text(str(os.getpid()))
        signal.sigwait({signal.SIGUSR2})  # never sent
    return real_extract_page(html)

open_web_math.extract_page = extract_page
sys.argv = ["prepare_proof_pile_2.py", *sys.argv[1:]]
run()
"""


@pytest.mark.slow
@pytest.mark.parametrize("workers", [1, 2])
def test_sigterm_stops_a_run_whose_worker_is_stuck(tmp_path: Path, workers: int):
    import os
    import signal
    import time

    from tests.math_lm.data.test_open_web_math import _math_page
    from tests.processes import is_running

    raw = tmp_path / "raw"
    raw.mkdir()
    for index in range(4):
        (raw / f"p{index}.html").write_text(_math_page(f"topic{index}"))
    (raw / "p2.html").write_text(_math_page("stuck").replace("</article>", "BLOCK-HERE</article>"))
    marker = tmp_path / "worker-inside"
    process = subprocess.Popen(
        [sys.executable, "-c", _BLOCKING_LAUNCHER, "open-web-math", "--input", str(raw),
         "--output-dir", str(tmp_path / "out"), "--workers", str(workers), "--tasks", str(workers)],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, cwd=REPO_ROOT,
        env={**os.environ, "BLOCK_MARKER": str(marker)},
    )  # fmt: skip
    try:
        deadline = time.monotonic() + 300
        while not (marker.exists() and marker.read_text()):  # wait for the event: a worker is stuck inside
            assert process.poll() is None, process.communicate()[1]
            assert time.monotonic() < deadline, "no worker reached the blocking page"
            time.sleep(0.05)
        worker = int(marker.read_text())
        process.send_signal(signal.SIGTERM)
        _, stderr = process.communicate(timeout=120)
    finally:
        process.kill()
    assert process.returncode == 128 + signal.SIGTERM, stderr
    assert stderr.strip().splitlines()[-1].startswith("prepare_proof_pile_2.py: stopped by SIGTERM")
    assert not is_running(worker)
    left = sorted(path.name for path in (tmp_path / "out").iterdir())
    assert left == [".prepare-work"], "only the resumable work state remains; no output that looks complete"


def test_budget_flag_changes_a_limit_and_names_a_bad_one(tmp_path: Path, capsys: pytest.CaptureFixture):
    from math_lm.data.prepare_cli import main
    from tests.math_lm.data import hostile_inputs as hostile

    raw = tmp_path / "raw"
    raw.mkdir()
    (raw / "2301.00001.tex").write_bytes(hostile.good_paper("Kept"))
    (raw / "2302.00002.tex").write_bytes(hostile.good_paper("Long " * 400))
    assert main(["arxiv", "--input", str(raw), "--output-dir", str(tmp_path / "a"), "--budget", "max_depth=3"]) == 2
    assert "budget override 'max_depth=3'" in capsys.readouterr().err and not (tmp_path / "a").exists()
    assert main(["arxiv", "--input", str(raw), "--output-dir", str(tmp_path / "b"), "--budget", "max_source_bytes=1000",
                 "--budget", "max_seconds=60"]) == 0  # fmt: skip
    stats = json.loads((tmp_path / "b" / "stats.json").read_text())
    assert stats["kept_documents"] == 1 and stats["dropped"]["too_large"]["documents"] == 1
