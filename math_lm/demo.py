"""The end-to-end demo on a CPU: the README's first command (`make demo`).

Each step is the command a user would run on a cluster, at toy size:
preprocess the shipped sample corpus, train a tiny Llama with 2 ranks through
deepy.py (DeepSpeed's launcher, gloo), stop half way, resume from the checkpoint
and finish, then show the loss curve as a table and a plot, convert the model to
Hugging Face format, generate from it with transformers and evaluate it; then build
Proof-Pile-2 from raw LaTeX, web pages and code and train on its 2:4:1 blend. Last, a drill: the NaN
guard survives an injected NaN burst, and a rank killed in the middle of a save is
followed by a relaunch that resumes from the newest complete checkpoint.
"""
from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import time
from pathlib import Path

import yaml

REPO = Path(__file__).resolve().parents[1]
OUTPUT = REPO / "demo_output"
CONFIG = REPO / "configs/tiny_cpu.yml"


_steps = iter(range(1, 100))


def banner(text: str) -> None:
    print(f"\n=== {next(_steps)}. {text} ===", flush=True)


def run(command: list[str], log_name: str, expect_failure: bool = False) -> None:
    """Run a step as its own process, echoing its output and keeping a log."""
    print("$ " + " ".join(command), flush=True)
    log_path = OUTPUT / "logs" / log_name
    log_path.parent.mkdir(parents=True, exist_ok=True)
    env = {**os.environ, "PYTHONUNBUFFERED": "1"}
    env.setdefault("DS_ACCELERATOR", "cpu")
    with open(log_path, "w", encoding="utf-8") as log:
        process = subprocess.Popen(command, cwd=REPO, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
        for line in process.stdout:
            log.write(line)
            if _worth_showing(line):
                text = line.rstrip()
                print("  " + (text if len(text) <= 240 else text[:240] + " ..."), flush=True)
        failed = process.wait() != 0
        if failed and not expect_failure:
            raise SystemExit(f"step failed (exit {process.returncode}); full log: {log_path}")
        if expect_failure and not failed:
            raise SystemExit(f"step was expected to die but exited cleanly; full log: {log_path}")


def _worth_showing(line: str) -> bool:
    keep = ("iteration", "validation", "saved checkpoint", "loaded checkpoint", "exiting", "deepy:", "documents",
            "tokens", "error", "Error", "guard", "rolled back", "exits with return code", "written to")
    if line.startswith("|") or line.startswith("wrote "):
        return True
    noise = ("Warning", "[INFO]", " INFO ", "truncat", "generate_until")
    return any(word in line for word in keep) and not any(word in line for word in noise)


def preprocess() -> str:
    banner("Tokenize the sample corpus (tools/preprocess_data.py, 2 workers)")
    prefix = OUTPUT / "data" / "sample"
    run([sys.executable, "tools/preprocess_data.py", "--input", "data/sample_corpus/sample.jsonl.zst",
         "--output-prefix", str(prefix), "--tokenizer-type", "SPMTokenizer",
         "--vocab-file", "data/tokenizers/llama2.model", "--append-eod", "--workers", "2", "--overwrite"],
        "preprocess.log")
    return f"{prefix}_text_document"


def train_then_resume() -> None:
    config = yaml.safe_load(CONFIG.read_text())
    half = config["train_iters"] // 2
    stop_half_way = OUTPUT / "stop_half_way.yml"
    stop_half_way.write_text(f"# added by the demo: stop after {half} iterations\nexit_interval: {half}\n")
    resume = OUTPUT / "resume.yml"
    resume.write_text(f"# added by the demo: continue from the checkpoint\nload: {config['save']}\n")

    banner(f"Train a tiny Llama with 2 ranks (python deepy.py train.py configs/tiny_cpu.yml), stop at {half}")
    run([sys.executable, "deepy.py", "train.py", str(CONFIG.relative_to(REPO)), str(stop_half_way)], "train.log")
    banner("Resume from the checkpoint and finish")
    run([sys.executable, "deepy.py", "train.py", str(CONFIG.relative_to(REPO)), str(resume)], "resume.log")


def show_loss_curve() -> Path:
    banner("Loss curve")
    config = yaml.safe_load(CONFIG.read_text())
    records = [json.loads(line) for line in (REPO / config["save"] / "metrics.jsonl").read_text().splitlines()]
    train = {r["iteration"]: r["loss"] for r in records if r["kind"] == "train"}
    valid = {r["iteration"]: r["loss"] for r in records if r["kind"] == "valid"}
    print(f"  {'iteration':>9}  {'train loss':>10}  {'valid loss':>10}")
    for iteration in sorted(set(train) | set(valid)):
        t = f"{train[iteration]:.4f}" if iteration in train else "-"
        v = f"{valid[iteration]:.4f}" if iteration in valid else "-"
        print(f"  {iteration:>9}  {t:>10}  {v:>10}")

    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    figure, axis = plt.subplots(figsize=(6, 4))
    axis.plot(sorted(train), [train[i] for i in sorted(train)], marker="o", label="train (interval mean)")
    axis.plot(sorted(valid), [valid[i] for i in sorted(valid)], marker="s", label="validation")
    resumed_at = config["train_iters"] // 2
    axis.axvline(resumed_at, color="gray", linestyle="--", label=f"stopped and resumed at {resumed_at}")
    axis.set_xlabel("iteration")
    axis.set_ylabel("loss")
    axis.set_title("tiny Llama on the sample corpus (2 CPU ranks)")
    axis.legend()
    figure.tight_layout()
    path = OUTPUT / "loss.png"
    figure.savefig(path, dpi=120)
    print(f"  plot: {path.relative_to(REPO)}")
    first, last = train[min(train)], train[max(train)]
    if not last < first:
        raise SystemExit(f"the loss did not fall: {first:.3f} -> {last:.3f}")
    return path


def export_and_generate() -> Path:
    """Convert the trained checkpoint to Hugging Face format and generate from it with transformers."""
    config = yaml.safe_load(CONFIG.read_text())
    hf_dir = OUTPUT / "hf"
    banner("Convert the trained model to Hugging Face format (tools/ckpts/convert_neox_to_hf.py)")
    run([sys.executable, "tools/ckpts/convert_neox_to_hf.py", "--input", config["save"], "--output", str(hf_dir),
         "--overwrite"], "convert.log")
    banner("Generate with transformers (AutoModelForCausalLM, greedy)")
    from transformers import AutoModelForCausalLM, AutoTokenizer

    tokenizer = AutoTokenizer.from_pretrained(hf_dir)
    model = AutoModelForCausalLM.from_pretrained(hf_dir)
    for prompt in ("Problem: Find the derivative of", "def gcd(a, b):"):
        inputs = tokenizer(prompt, return_tensors="pt")
        output = model.generate(**inputs, max_new_tokens=24, do_sample=False)
        print(f"  {prompt!r} -> {tokenizer.decode(output[0][inputs.input_ids.shape[1]:], skip_special_tokens=True)!r}")
    return hf_dir


def evaluate(hf_dir: Path) -> None:
    """The LLEMMA evaluation suite on the exported model, on the shipped sample problems."""
    banner("Evaluate the exported model: python -m math_lm.eval (greedy and maj@3, sample problems)")
    run([sys.executable, "-m", "math_lm.eval", "--model", str(hf_dir), "--tasks", "gsm8k,math",
         "--data-dir", "data/eval_samples", "--limit", "3", "--maj", "3", "--max-gen-toks", "48",
         "--output", str(OUTPUT / "eval")], "eval.log")
    print("  (a 60-step toy with a 128-token context scores nothing; the point is the pipeline)")


def nan_and_crash_drill() -> None:
    """Train again with the NaN guard, an injected NaN burst and a rank killed mid-save."""
    config = yaml.safe_load(CONFIG.read_text())
    save = "demo_output/drill_checkpoints"
    config.update(
        save=save, save_interval=10, plugins=["math_lm.nan_guard"], extra_train_samples=64,
        nan_guard={"inject_nan_loss_at": [24, 25, 26], "max_bad_steps": 3, "window": 10,
                   "lr_factor_after_rollback": 0.5, "lr_factor_iterations": 5, "kill_during_save_at": 40},
    )
    drill = OUTPUT / "drill.yml"
    drill.write_text("# the tiny config with the NaN guard and two injected faults (written by the demo)\n"
                     + yaml.safe_dump(config, sort_keys=False))
    banner("Drill: NaN burst at steps 24-26 (guard rolls back) and a rank SIGKILLed while saving step 40")
    run([sys.executable, "deepy.py", "train.py", str(drill)], "drill.log", expect_failure=True)
    banner("Relaunch: resume from the newest complete checkpoint and finish")
    config["load"] = save
    drill.write_text("# the drill, resumed (written by the demo)\n" + yaml.safe_dump(config, sort_keys=False))
    run([sys.executable, "deepy.py", "train.py", str(drill)], "drill_resume.log")


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(
        prog="demo.py", description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter,
        epilog=f"Writes everything under {OUTPUT} (replacing an earlier demo's checkpoints); about two minutes "
               "plus the steps' start-up on 2 CPU cores. No options: run it with none.",
    )
    parser.parse_args(argv)
    start = time.perf_counter()
    OUTPUT.mkdir(exist_ok=True)
    config = yaml.safe_load(CONFIG.read_text())
    for stale in (REPO / config["save"], OUTPUT / "drill_checkpoints"):
        if stale.exists():
            import shutil

            shutil.rmtree(stale)
    preprocess()
    train_then_resume()
    show_loss_curve()
    evaluate(export_and_generate())
    from math_lm.demo_proof_pile_2 import run_proof_pile_2_demo

    run_proof_pile_2_demo(run, banner)
    nan_and_crash_drill()
    print(f"\ndemo finished in {time.perf_counter() - start:.0f} s; outputs in {OUTPUT.relative_to(REPO)}/")


if __name__ == "__main__":
    main()
