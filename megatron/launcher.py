"""Starting the ranks: resolve the resources a config asks for and hand over to DeepSpeed's launcher.

deepy.py loads and checks the configuration here, before any rank starts, then
passes the whole resolved configuration to every rank as one encoded argument
(`--neox-config`), so no rank re-reads a YAML file or re-derives a value.
"""
from __future__ import annotations

import base64
import contextlib
import errno
import json
import os
import socket
import sys
import zlib
from pathlib import Path
from typing import Iterator, Optional

from megatron.neox_arguments import ConfigError, NeoXArgs, load_neox_args
from megatron.neox_arguments.sections import LauncherArgs

CONFIG_FLAG = "--neox-config"
DEEPSPEED_DEFAULT_HOSTFILE = "/job/hostfile"


def local_device_count() -> int:
    """GPUs on this machine; a CPU machine counts as one slot (more ranks need `num_gpus`)."""
    import torch

    return torch.cuda.device_count() if torch.cuda.is_available() else 1


def active_resources(launcher: LauncherArgs) -> dict[str, list[int]]:
    """Host -> slots the run will use, resolved with DeepSpeed's own hostfile and filter rules."""
    from deepspeed.launcher import runner

    if (launcher.include or launcher.exclude) and (launcher.num_nodes or launcher.num_gpus):
        raise ConfigError(
            "'include'/'exclude' cannot be combined with 'num_nodes'/'num_gpus' (DeepSpeed's launcher refuses it)"
        )
    hostfile = launcher.hostfile or DEEPSPEED_DEFAULT_HOSTFILE
    if launcher.hostfile and not Path(launcher.hostfile).is_file():
        raise ConfigError(f"'hostfile': {launcher.hostfile} does not exist")
    try:
        pool = runner.fetch_hostfile(hostfile)
    except ValueError as error:
        raise ConfigError(f"'hostfile' {hostfile}: {error}") from error
    if not pool:
        pool = {"localhost": local_device_count()}
        if launcher.num_nodes and launcher.num_nodes > 1:
            raise ConfigError(f"'num_nodes': {launcher.num_nodes} nodes need a 'hostfile'")
    try:
        resources = runner.parse_inclusion_exclusion(pool, launcher.include or "", launcher.exclude or "")
    except ValueError as error:
        raise ConfigError(f"'include'/'exclude': {error}") from error
    return runner.apply_num_nodes_and_gpus(resources, launcher.num_nodes or -1, launcher.num_gpus or -1)


def world_size_of(resources: dict[str, list[int]]) -> int:
    return sum(len(slots) for slots in resources.values())


def load_for_launch(config_paths: list[str | Path]) -> NeoXArgs:
    """Load the configs, taking the world size from the launcher settings they contain."""
    return load_neox_args(config_paths, lambda launcher: world_size_of(active_resources(launcher)))


def encode_config(args: NeoXArgs) -> str:
    """The resolved configuration as one command-line-safe word (JSON, zlib, base64)."""
    return base64.urlsafe_b64encode(zlib.compress(json.dumps(args.to_dict()).encode("utf-8"), 9)).decode("ascii")


def decode_config(blob: str) -> NeoXArgs:
    return NeoXArgs.from_dict(json.loads(zlib.decompress(base64.urlsafe_b64decode(blob.encode("ascii")))))


def master_port_for(args: NeoXArgs) -> int:
    """The port of rank 0: `master_port` after checking that it is free here, or, unset, a free port
    (logged). A port that cannot be probed (`master_addr` names another machine) is taken as given."""
    port = args.launcher.master_port
    if port is None:
        with socket.socket() as probe:
            probe.bind(("", 0))
            port = probe.getsockname()[1]
        print(f"deepy: master_port unset: using free port {port}", file=sys.stderr)
        return port
    with socket.socket() as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)  # as torch's TCPStore does
        try:
            probe.bind((args.launcher.master_addr or "", port))
        except OSError as error:
            if error.errno == errno.EADDRINUSE:
                raise ConfigError(
                    f"{args.where('master_port')}: 'master_port' {port} is already in use on this machine (another "
                    f"run?): choose another port, or leave 'master_port' unset to have a free one chosen"
                ) from error
            if error.errno not in (errno.EADDRNOTAVAIL, errno.EACCES):
                raise ConfigError(f"{args.where('master_port')}: 'master_port' {port}: {error}") from error
    return port


def deepspeed_runner_argv(args: NeoXArgs, user_script: str, master_port: Optional[int] = None) -> list[str]:
    """The argument list for `deepspeed.launcher.runner.main` (`master_port`: overrides the config's)."""
    launcher = args.launcher
    argv: list[str] = []
    if launcher.hostfile:
        argv += ["--hostfile", launcher.hostfile]
    if launcher.include:
        argv += ["--include", launcher.include]
    if launcher.exclude:
        argv += ["--exclude", launcher.exclude]
    if launcher.num_nodes:
        argv += ["--num_nodes", str(launcher.num_nodes)]
    if launcher.num_gpus:
        argv += ["--num_gpus", str(launcher.num_gpus)]
    if launcher.master_addr:
        argv += ["--master_addr", launcher.master_addr]
    port = master_port or launcher.master_port
    if port is not None:
        argv += ["--master_port", str(port)]
    argv += ["--launcher", launcher.launcher,
             "--log_level", launcher.launcher_log_level]
    argv += [user_script, CONFIG_FLAG, encode_config(args)]
    return argv


def launch(user_script: str, config_paths: list[str | Path]) -> int:
    """Check the configuration and every input it names, then start every rank through DeepSpeed's launcher."""
    from megatron.preflight import check_before_launch

    args = load_for_launch(config_paths)
    check_before_launch(args)
    master_port = master_port_for(args)
    import torch

    if not torch.cuda.is_available():
        os.environ.setdefault("DS_ACCELERATOR", "cpu")
    from deepspeed.launcher import runner

    print(
        f"deepy: {args.derived.world_size} rank(s), tensor parallel {args.parallel.model_parallel_size}, "
        f"data parallel {args.derived.batch.data_parallel_size}, global batch {args.derived.batch.train_batch_size}",
        file=sys.stderr,
    )
    with hold_save_directory(args):
        try:
            result = runner.main(deepspeed_runner_argv(args, user_script, master_port))
        except SystemExit as exit_:
            return int(exit_.code or 0)
    return int(result or 0)


@contextlib.contextmanager
def hold_save_directory(args: NeoXArgs) -> Iterator[None]:
    """Hold the lock of the run's `save` directory (`megatron.run_lock`) for the block; a directory
    that another live run holds is a ConfigError naming the key, the directory and the holder."""
    from megatron.run_lock import RunLock, SaveDirectoryBusy

    if not args.checkpoint.save:
        yield
        return
    lock = RunLock(args.checkpoint.save)
    try:
        lock.acquire()
    except SaveDirectoryBusy as error:
        raise ConfigError(f"{args.where('save')}: 'save': {error}") from error
    try:
        yield
    finally:
        lock.release()
