"""The Slurm and Ray executors, run as far as this machine allows.

Slurm: there is no cluster here, so ``sbatch``, ``srun`` and ``scontrol`` are small stand-ins that run each
submitted array task at once, with the environment Slurm gives it. Everything else is real: datatrove
writes the sbatch scripts and pickles the executors, and every task runs through datatrove's
``launch_pickled_pipeline`` in its own process. Ray: a local Ray started by the pipeline.
"""

import importlib.util
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

REPO_ROOT = Path(__file__).resolve().parents[3]
TOOL = REPO_ROOT / "tools" / "prepare_proof_pile_2.py"

SBATCH = '''#!{python}
import os, re, subprocess, sys
from pathlib import Path
script = sys.argv[-1]
match = re.search(r"^#SBATCH --array=0-(\\d+)", Path(script).read_text(), re.M)
jobs = Path(os.environ["FAKE_SLURM_LOG"])
job = len(jobs.read_text().splitlines()) + 1 if jobs.exists() else 1
with jobs.open("a") as log:
    log.write(" ".join(sys.argv[1:-1]) + "\\n")
env = dict(os.environ, SLURM_NODELIST="localhost", SLURM_JOB_ID=str(job))
for task in range(int(match.group(1)) + 1 if match else 1):
    env["SLURM_ARRAY_TASK_ID"] = str(task)
    done = subprocess.run(["bash", script], env=env, capture_output=True, text=True)
    if done.returncode:
        sys.exit(done.stdout + done.stderr)
print(f"Submitted batch job {{job}}")
'''
SRUN = '''#!{python}
import os, sys
args = sys.argv[1:]
while args[0].startswith("-"):
    args = args[2:] if args[0] in ("-n", "-N") else args[1:]
os.execvp(args[0], args)
'''
SCONTROL = '''#!/bin/sh
echo "$3"
'''


def _corpus(root: Path) -> None:
    root.mkdir()
    for i in range(9):
        (root / f"m{i}.py").write_text(f"import numpy as np\nvalue_{i} = np.sqrt({i})\n")
    (root / "dup.py").write_text("import numpy as np\nvalue_3 = np.sqrt(3)\n")
    (root / "plain.py").write_text("print('no math')\n")


def _run_tool(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, str(TOOL), *args], capture_output=True, text=True, cwd=REPO_ROOT, timeout=300, env=env
    )


def _outputs(out: Path) -> dict[str, bytes]:
    files = {str(p.relative_to(out)): p.read_bytes() for p in out.rglob("*") if p.is_file() and ".prepare-work" not in p.parts}
    stats = json.loads(files.pop("stats.json"))
    stats.pop("inputs")
    files["stats.json"] = json.dumps(stats, sort_keys=True).encode()
    return files


@pytest.mark.slow
def test_slurm_executor_submits_chained_job_arrays_whose_tasks_give_the_local_output(tmp_path: Path):
    _corpus(tmp_path / "src")
    local = _run_tool("algebraic-stack", "--input", str(tmp_path / "src"), "--output-dir", str(tmp_path / "local"))
    assert local.returncode == 0, local.stderr

    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    for name, text in (("sbatch", SBATCH), ("srun", SRUN), ("scontrol", SCONTROL)):
        (bin_dir / name).write_text(text.format(python=sys.executable))
        (bin_dir / name).chmod(0o755)
    env = dict(os.environ, PATH=f"{bin_dir}:{os.environ['PATH']}", FAKE_SLURM_LOG=str(tmp_path / "jobs.log"))
    slurm = _run_tool(
        "algebraic-stack", "--input", str(tmp_path / "src"), "--output-dir", str(tmp_path / "slurm"),
        "--executor", "slurm", "--tasks", "3", "--workers", "2", "--partition", "cpu", "--time", "1:00:00",
        "--cpus-per-task", "2", env=env,
    )  # fmt: skip
    assert slurm.returncode == 0, slurm.stderr
    assert json.loads(slurm.stdout.strip().splitlines()[-1])["submitted"] == "slurm"
    assert _outputs(tmp_path / "slurm") == _outputs(tmp_path / "local")

    submissions = (tmp_path / "jobs.log").read_text().splitlines()
    # extract (job 1) and its stats merge (2), then write (3), which waits for extract, and its stats merge
    assert len(submissions) == 4
    assert "--dependency" not in submissions[0] and "afterok:1" in submissions[2]
    script = (tmp_path / "slurm" / ".prepare-work" / "logs" / "extract" / "launch_script.slurm").read_text()
    for directive in ("--partition=cpu", "--time=1:00:00", "--cpus-per-task=2", "--array=0-2%2"):
        assert f"#SBATCH {directive}" in script
    assert f"PYTHONPATH={REPO_ROOT}" in script

    # Slurm runs keep their logs; the output removed, the same command runs everything again
    for split in ("train", "validation", "test"):
        shutil.rmtree(tmp_path / "slurm" / split)
    (tmp_path / "slurm" / "stats.json").unlink()
    assert _run_tool(*slurm.args[2:], env=env).returncode == 0
    assert _outputs(tmp_path / "slurm") == _outputs(tmp_path / "local")


@pytest.mark.slow
@pytest.mark.skipif(importlib.util.find_spec("ray") is None, reason="ray is not installed")
def test_ray_executor_on_a_local_ray_gives_the_local_output(tmp_path: Path):
    _corpus(tmp_path / "src")
    local = _run_tool("algebraic-stack", "--input", str(tmp_path / "src"), "--output-dir", str(tmp_path / "local"))
    assert local.returncode == 0, local.stderr
    ray = _run_tool(
        "algebraic-stack", "--input", str(tmp_path / "src"), "--output-dir", str(tmp_path / "ray"),
        "--executor", "ray", "--tasks", "2", "--workers", "2", "--mem-per-cpu-gb", "0.25",
    )  # fmt: skip
    assert ray.returncode == 0, ray.stderr[-3000:]
    assert _outputs(tmp_path / "ray") == _outputs(tmp_path / "local")
