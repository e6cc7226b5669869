#!/usr/bin/env python
"""Per-rank entry point.

Started by deepy.py through DeepSpeed's launcher with the resolved configuration
(`--neox-config`); or run directly as a single process: `python train.py a.yml [b.yml ...]`.
"""
import argparse
import sys

from megatron.launcher import CONFIG_FLAG, decode_config
from megatron.neox_arguments import ConfigError, load_neox_args


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument(CONFIG_FLAG, dest="neox_config", help="configuration encoded by deepy.py")
    parser.add_argument("--local_rank", type=int, default=None, help="set by DeepSpeed's launcher")
    parser.add_argument("configs", nargs="*", help="YAML files, for a single-process run without deepy.py")
    options = parser.parse_args(argv)
    try:
        if options.neox_config:
            args = decode_config(options.neox_config)
        elif options.configs:
            args = load_neox_args(options.configs, world_size=1)
        else:
            parser.error(f"give {CONFIG_FLAG} (from deepy.py) or YAML config files")
    except ConfigError as error:
        print(f"train.py: configuration error: {error}", file=sys.stderr)
        return 2

    from megatron.launcher import hold_save_directory
    from megatron.training import TrainingStopped, pretrain

    try:
        if options.neox_config:
            pretrain(args)  # deepy.py holds the save directory's lock
        else:
            with hold_save_directory(args):
                pretrain(args)
    except ConfigError as error:
        print(f"train.py: {error}", file=sys.stderr)
        return 2
    except TrainingStopped as stop:
        print(f"train.py: training stopped: {stop}", file=sys.stderr)
        return 3
    return 0


if __name__ == "__main__":
    sys.exit(main())
