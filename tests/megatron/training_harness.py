"""Tiny training runs for tests: a small corpus, a config, and ranks that report their results."""
from __future__ import annotations

import json
import random
from pathlib import Path

import numpy as np
import yaml

REPO = Path(__file__).resolve().parents[2]
TOKENIZER = REPO / "data/tokenizers/llama2.model"


CODE_LLAMA_INFILL_PIECES = ("▁<PRE>", "▁<MID>", "▁<SUF>", "▁<EOT>") + tuple(f"<extra_{i}>" for i in range(12))


def write_code_llama_tokenizer(directory: Path) -> Path:
    """The Llama 2 vocabulary plus 16 user-defined pieces: 32016 ids, Code Llama's vocabulary size
    (its infilling pieces; the names of the last 12 are ours), which LLEMMA 7B pads at every TP size."""
    from sentencepiece import sentencepiece_model_pb2

    proto = sentencepiece_model_pb2.ModelProto()
    proto.ParseFromString(TOKENIZER.read_bytes())
    for name in CODE_LLAMA_INFILL_PIECES:
        piece = proto.pieces.add()
        piece.piece, piece.score, piece.type = name, 0.0, sentencepiece_model_pb2.ModelProto.SentencePiece.USER_DEFINED
    path = Path(directory) / "code_llama_like.model"
    path.write_bytes(proto.SerializeToString())
    return path


def write_corpus(directory: Path, documents: int = 300) -> str:
    """An indexed dataset of short arithmetic documents; returns its prefix."""
    from megatron.data.indexed_dataset import IndexedDatasetWriter
    from megatron.tokenizer import build_tokenizer

    tokenizer = build_tokenizer("SPMTokenizer", str(TOKENIZER))
    prefix = directory / "corpus_text_document"
    rng = random.Random(0)
    writer = IndexedDatasetWriter(f"{prefix}.bin", np.uint16)
    for i in range(documents):
        a, b = rng.randint(1, 99), rng.randint(1, 99)
        text = f"Problem {i}: compute ${a} + {b}$. We add: ${a} + {b} = {a + b}$. The answer is {a + b}."
        writer.add_document(tokenizer.tokenize(text) + [tokenizer.eod])
    writer.finalize(f"{prefix}.idx")
    return str(prefix)


def tiny_config(data_prefix: str, **overrides) -> dict:
    config = {
        "num_layers": 2, "hidden_size": 64, "num_attention_heads": 4, "num_kv_heads": 2,
        "intermediate_size": 96, "seq_length": 32, "make_vocab_size_divisible_by": 128,
        "tokenizer_type": "SPMTokenizer", "vocab_file": str(TOKENIZER),
        "train_micro_batch_size_per_gpu": 2, "gradient_accumulation_steps": 1,
        "optimizer": {"type": "Adam", "params": {"lr": 2.0e-3, "betas": [0.9, 0.95], "eps": 1.0e-8}},
        "weight_decay": 0.1, "gradient_clipping": 1.0,
        "train_iters": 6, "warmup": 2, "decay_lr_to": 0.1,
        "zero_optimization": {"stage": 1},
        "data_path": [data_prefix], "split": "800,150,50",
        "eval_interval": 1000, "eval_iters": 1, "log_interval": 1000, "seed": 7,
    }
    config.update(overrides)
    return config


def train_on_rank(rank: int, world_size: int, config_path: str, result_path: str) -> None:
    """Rank entry for tests.multirank.run_on_ranks: train, then rank 0 writes the summary."""
    from megatron import parallel
    from megatron.neox_arguments import load_neox_args
    from megatron.training import pretrain

    args = load_neox_args([config_path], world_size=world_size)
    summary = pretrain(args)
    if rank == 0:
        Path(result_path).write_text(json.dumps({
            "losses": {str(k): v for k, v in summary.losses.items()},
            "valid_losses": {str(k): v for k, v in summary.valid_losses.items()},
            "skipped_steps": summary.skipped_steps,
            "saved_tags": summary.saved_tags,
        }))
    parallel.destroy_distributed()


def run_training(tmp_path: Path, name: str, config: dict, world_size: int = 1) -> dict:
    from tests.multirank import run_on_ranks

    config_path = tmp_path / f"{name}.yml"
    config_path.write_text(yaml.safe_dump(config))
    result_path = tmp_path / f"{name}.json"
    run_on_ranks(train_on_rank, world_size, str(config_path), str(result_path))
    return json.loads(result_path.read_text())


def final_weights(save_dir: Path) -> dict:
    """The full model weights of the latest checkpoint, merged across tensor-parallel ranks."""
    from megatron.checkpoint_reader import load_merged_state_dict

    return load_merged_state_dict(save_dir)[1]
