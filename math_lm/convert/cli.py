"""The converter commands (tools/ckpts/*.py, console scripts `neox-convert-*`).

Each command also accepts GPT-NeoX's flag names for the same thing, so NeoX's scripts
`convert_hf_llama_to_neox.py`, `convert_raw_llama_weights_to_neox.py` and `convert_neox_to_hf.py`
(tools/ckpts/ keeps files of those names) run with NeoX's command lines:

    ours                           NeoX
    --hf-model                     --model (a local HF directory: nothing is downloaded)
    --output                       --model_path (HF -> NeoX), --output_dir
    --tp                           --num_output_shards (Meta -> NeoX)
    --input-dir                    --input_dir
    --input                        --input_dir (a save directory, or one of its global_stepN tags)
    --dtype                        --precision (auto = keep the checkpoint's)
    --tokenizer                    --config_file (the tokenizer is the config's vocab_file)
"""
from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Callable, Sequence

from math_lm.convert.common import ConversionError, parse_dtype
from math_lm.convert.hf_to_neox import DEFAULT_VOCAB_MULTIPLE, convert_hf_to_neox
from math_lm.convert.neox_to_hf import DEFAULT_MAX_SHARD_BYTES, export, tokenizer_of_configs
from math_lm.convert.raw_llama_to_neox import convert_raw_llama_to_neox
from megatron.interrupts import run_tool

DTYPES = ["bf16", "fp32", "fp16"]


def _parser(doc: str, prog: str | None) -> argparse.ArgumentParser:
    return argparse.ArgumentParser(prog=prog, description=doc, formatter_class=argparse.RawDescriptionHelpFormatter)


def _add_weight_options(parser: argparse.ArgumentParser, rope_default: str) -> None:
    parser.add_argument("--rotary-emb-base", type=float, default=None,
                        help=f"RoPE base the run trains with (default: {rope_default}; LLEMMA 7B: 10000)")
    parser.add_argument("--dtype", choices=DTYPES, default=None, help="cast the weights (default: keep the stored dtype)")
    parser.add_argument("--make-vocab-size-divisible-by", type=int, default=DEFAULT_VOCAB_MULTIPLE,
                        help="the run's make_vocab_size_divisible_by; the vocabulary is padded as the run pads it")
    parser.add_argument("--overwrite", action="store_true", help="replace an existing output directory")


def _no_pipeline(parser: argparse.ArgumentParser, pipeline_stages: int) -> None:
    if pipeline_stages > 1:
        parser.error(f"--pp {pipeline_stages}: pipeline parallelism is not supported (the runs use tensor parallelism only)")


HF_TO_NEOX_DOC = """Convert an HF Llama / Code Llama directory into a NeoX checkpoint for tensor parallel N.

Example (LLEMMA 7B starts from Code Llama 7B at TP 2 with RoPE base 10,000):
    python tools/ckpts/convert_hf_to_neox.py --hf-model CodeLlama-7b-hf --tp 2 \\
        --output ckpts/codellama-7b-tp2 --rotary-emb-base 10000 --dtype bf16
NeoX's spelling works too:
    python tools/ckpts/convert_hf_llama_to_neox.py --tp 2 --model CodeLlama-7b-hf --model_path ckpts/codellama-7b-tp2

Train from it with `load: ckpts/codellama-7b-tp2` and `finetune: true` (weights only).
"""


def hf_to_neox_main(argv: Sequence[str] | None = None, prog: str | None = None) -> int:
    parser = _parser(HF_TO_NEOX_DOC, prog)
    parser.add_argument("--hf-model", "--model", dest="hf_model", required=True,
                        help="HF model directory (config.json + safetensors or .bin); NeoX: --model")
    parser.add_argument("--tp", type=int, required=True, help="tensor-parallel size of the run that loads it")
    parser.add_argument("--output", "--model_path", dest="output", required=True,
                        help="NeoX checkpoint directory to create; NeoX: --model_path")
    parser.add_argument("--pp", type=int, default=0, help="NeoX's pipeline stages: only 0 or 1")
    _add_weight_options(parser, "the model's")
    args = parser.parse_args(argv)
    _no_pipeline(parser, args.pp)
    return _report_errors(lambda: convert_hf_to_neox(
        args.hf_model, args.output, args.tp, rotary_emb_base=args.rotary_emb_base, dtype=parse_dtype(args.dtype),
        make_vocab_size_divisible_by=args.make_vocab_size_divisible_by, overwrite=args.overwrite,
    ))


RAW_LLAMA_DOC = """Convert Meta's Llama / Code Llama release (consolidated.NN.pth + params.json) into a NeoX checkpoint.

Example:
    python tools/ckpts/convert_raw_llama_to_neox.py --input-dir CodeLlama-34b --tp 8 --output ckpts/codellama-34b-tp8
NeoX's spelling works too:
    python tools/ckpts/convert_raw_llama_weights_to_neox.py --input_dir CodeLlama-34b --model_size 34B \\
        --output_dir ckpts/codellama-34b-tp8 --num_output_shards 8
"""


def raw_llama_to_neox_main(argv: Sequence[str] | None = None, prog: str | None = None) -> int:
    parser = _parser(RAW_LLAMA_DOC, prog)
    parser.add_argument("--input-dir", "--input_dir", dest="input_dir", required=True,
                        help="directory with consolidated.NN.pth and params.json")
    parser.add_argument("--tp", "--num_output_shards", dest="tp", type=int, required=True,
                        help="tensor-parallel size of the run that loads it; NeoX: --num_output_shards")
    parser.add_argument("--output", "--output_dir", dest="output", required=True,
                        help="NeoX checkpoint directory to create; NeoX: --output_dir")
    parser.add_argument("--model_size", "--model-size", dest="model_size", default=None,
                        help="NeoX's model size name (7B, 13B, 34B, ...); the shapes are read from params.json "
                             "and the tensors, so this is only accepted")
    parser.add_argument("--seq-length", type=int, default=4096, help="recorded as the model's seq_length")
    _add_weight_options(parser, "params.json's rope_theta, else 10000")
    args = parser.parse_args(argv)
    return _report_errors(lambda: convert_raw_llama_to_neox(
        args.input_dir, args.output, args.tp, rotary_emb_base=args.rotary_emb_base, dtype=parse_dtype(args.dtype),
        make_vocab_size_divisible_by=args.make_vocab_size_divisible_by, seq_length=args.seq_length,
        overwrite=args.overwrite,
    ))


NEOX_TO_HF_DOC = """Export a NeoX checkpoint of this project (any tensor-parallel size) as an HF Llama model with its tokenizer.

Example:
    python tools/ckpts/convert_neox_to_hf.py --input ckpts/llemma-7b --output llemma-7b-hf
NeoX's spelling works too (--input_dir may name the save directory or one of its tags):
    python tools/ckpts/convert_neox_to_hf.py --input_dir ckpts/llemma-7b/global_step500 \\
        --config_file configs/llemma_7b.yml --output_dir llemma-7b-hf --precision bf16

The result loads offline with AutoModelForCausalLM.from_pretrained / AutoTokenizer.from_pretrained.
"""


def split_tag_dir(path: Path, tag: str | None) -> tuple[Path, str | None]:
    """NeoX's --input_dir names a tag directory (`.../global_step500`); ours names the save directory.
    A directory holding rank files but no `latest` is taken as a tag of its parent."""
    if tag is None and not (path / "latest").exists() and any(path.glob("mp_rank_*_model_states.pt")):
        return path.parent, path.name
    return path, tag


def neox_to_hf_main(argv: Sequence[str] | None = None, prog: str | None = None) -> int:
    parser = _parser(NEOX_TO_HF_DOC, prog)
    parser.add_argument("--input", "--input_dir", dest="input", required=True,
                        help="NeoX checkpoint directory (the run's save directory, or one tag of it); NeoX: --input_dir")
    parser.add_argument("--tag", default=None, help="checkpoint tag, e.g. global_step500 (default: `latest`)")
    parser.add_argument("--output", "--output_dir", dest="output", required=True,
                        help="HF model directory to create; NeoX: --output_dir")
    parser.add_argument("--tokenizer", default=None,
                        help="SentencePiece model to ship (default: the run's vocab_file, else the converter's copy)")
    parser.add_argument("--config_file", "--config-file", dest="config_file", nargs="+", default=None,
                        help="NeoX: the run's YAML config(s); their vocab_file is the tokenizer to ship")
    parser.add_argument("--dtype", choices=DTYPES, default=None, help="exported dtype (default: the checkpoint's)")
    parser.add_argument("--precision", choices=["auto", *DTYPES], default=None,
                        help="NeoX's name for --dtype (auto: the checkpoint's)")
    parser.add_argument("--architecture", choices=["llama"], default="llama",
                        help="NeoX: the exported architecture; this project's models are Llama")
    parser.add_argument("--max-shard-size-gb", type=float, default=DEFAULT_MAX_SHARD_BYTES / 1024**3,
                        help="split safetensors files above this size (GiB)")
    parser.add_argument("--overwrite", action="store_true", help="replace an existing output directory")
    parser.add_argument("--trust-checkpoint-code", action="store_true",
                        help="read checkpoint files that name types beyond tensors and plain data (unpickling "
                             "them runs any code they hold): only for checkpoints from a source you trust")
    args = parser.parse_args(argv)
    if args.precision is not None and args.dtype is not None:
        parser.error("give --dtype or --precision, not both")
    dtype = args.dtype or (None if args.precision in (None, "auto") else args.precision)
    input_dir, tag = split_tag_dir(Path(args.input), args.tag)

    def convert():
        tokenizer = args.tokenizer
        if tokenizer is None and args.config_file:
            tokenizer = tokenizer_of_configs([Path(path) for path in args.config_file])
            if tokenizer is None:
                raise ConversionError(f"{', '.join(args.config_file)}: no existing SentencePiece vocab_file; "
                                      "pass --tokenizer")
        return export(input_dir, args.output, tag=tag, tokenizer=tokenizer, dtype=parse_dtype(dtype),
                      max_shard_bytes=int(args.max_shard_size_gb * 1024**3), overwrite=args.overwrite,
                      trust_checkpoint_code=args.trust_checkpoint_code)

    return _report_errors(convert)


def _report_errors(convert: Callable[[], object]) -> int:
    try:
        convert()
    except ConversionError as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    return 0


def _run(main: Callable[..., int], name: str) -> None:
    """Run `main` as the command `name`: SIGTERM/SIGHUP handled like Ctrl-C, exit status returned."""
    sys.exit(run_tool(name, lambda: main(None, prog=name)))


def run_hf_to_neox(name: str = "convert_hf_to_neox.py") -> None:
    _run(hf_to_neox_main, name)


def run_raw_llama_to_neox(name: str = "convert_raw_llama_to_neox.py") -> None:
    _run(raw_llama_to_neox_main, name)


def run_neox_to_hf(name: str = "convert_neox_to_hf.py") -> None:
    _run(neox_to_hf_main, name)
