#!/usr/bin/env python
"""Launch training: `python deepy.py train.py [-d CONF_DIR] a.yml [b.yml ...]`.

Loads and checks the configuration (a bad one fails here, before any rank starts),
then starts the ranks through DeepSpeed's launcher (one node or many, GPUs or CPU
ranks on gloo), handing every rank the resolved configuration.
"""
import argparse
import sys
from pathlib import Path

from megatron.launcher import launch
from megatron.neox_arguments import ConfigError


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("user_script", help="per-rank entry point, normally train.py")
    parser.add_argument("-d", "--conf_dir", help="directory the config names are relative to")
    parser.add_argument("configs", nargs="+", help="YAML config files, merged in order")
    options = parser.parse_args(argv)
    paths = [Path(options.conf_dir) / c if options.conf_dir else Path(c) for c in options.configs]
    try:
        return launch(options.user_script, paths)
    except ConfigError as error:
        print(f"deepy.py: configuration error: {error}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
