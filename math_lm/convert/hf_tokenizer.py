"""HF tokenizer files from a Llama SentencePiece model, encoding exactly as SentencePiece does.

transformers' own conversion of a Llama `tokenizer.model` differs from SentencePiece on runs of
spaces and on text that starts with a space (it orders BPE merges by piece id, so it merges
"▁▁", which SentencePiece scores -1e9, and it does not split at whitespace). The tokenizer built
here orders merges by piece score and pre-splits words as SentencePiece does (a dummy "▁" before
the text; a word is a run of "▁" followed by other characters, or a run of "▁" at the end), so
the exported model sees the token ids it was trained on. One difference remains, as in every HF
Llama tokenizer: the literal text "<s>" / "</s>" encodes as the special token, not as characters.
"""
from __future__ import annotations

import shutil
from pathlib import Path

from math_lm.convert.common import ConversionError

SPACE = "\u2581"
# SentencePiece's words (split_by_whitespace with whitespace-only pieces): leading "▁"s and the
# characters up to the next "▁", or a trailing run of "▁".
_WORD_PATTERN = f"{SPACE}*[^{SPACE}]+|{SPACE}+"
_NORMAL, _UNKNOWN, _CONTROL, _USER_DEFINED, _BYTE = 1, 2, 3, 4, 6


def _load_proto(model_file: Path):
    from sentencepiece import sentencepiece_model_pb2

    proto = sentencepiece_model_pb2.ModelProto()
    try:
        proto.ParseFromString(model_file.read_bytes())
    except Exception as error:  # protobuf's DecodeError and friends
        raise ConversionError(f"{model_file}: not a SentencePiece model ({error})") from error
    if not proto.pieces:
        raise ConversionError(f"{model_file}: not a SentencePiece model (no pieces)")
    return proto


def _bpe_merges(pieces: list[tuple[str, float, int]], vocab: dict[str, int]) -> list[tuple[str, str]]:
    """Every split of every mergeable piece into two vocabulary pieces, highest piece score first."""
    ranked = []
    for piece_id, (piece, score, kind) in enumerate(pieces):
        if kind != _NORMAL or len(piece) < 2:
            continue
        for cut in range(1, len(piece)):
            left, right = piece[:cut], piece[cut:]
            if left in vocab and right in vocab:
                ranked.append((-score, piece_id, vocab[left], (left, right)))
    ranked.sort()
    return [pair for *_, pair in ranked]


def build_tokenizer(model_file: str | Path):
    """A `tokenizers.Tokenizer` equivalent to the SentencePiece BPE model `model_file` (adds BOS)."""
    from tokenizers import AddedToken, Regex, Tokenizer, decoders, normalizers, pre_tokenizers, processors
    from tokenizers.models import BPE

    model_file = Path(model_file)
    proto = _load_proto(model_file)
    if proto.trainer_spec.model_type != 2:
        raise ConversionError(f"{model_file}: only SentencePiece BPE models (Llama's) are supported")
    pieces = [(p.piece, p.score, p.type) for p in proto.pieces]
    vocab = {piece: index for index, (piece, _, _) in enumerate(pieces)}
    unk = proto.trainer_spec.unk_id
    tokenizer = Tokenizer(BPE(vocab=vocab, merges=_bpe_merges(pieces, vocab), unk_token=pieces[unk][0],
                              fuse_unk=True, byte_fallback=proto.trainer_spec.byte_fallback))
    if proto.normalizer_spec.name not in ("identity", "") or proto.normalizer_spec.remove_extra_whitespaces:
        raise ConversionError(f"{model_file}: SentencePiece normalizer {proto.normalizer_spec.name!r} is not supported")
    spaces = [normalizers.Replace(" ", SPACE)]
    if proto.normalizer_spec.add_dummy_prefix:
        spaces.insert(0, normalizers.Prepend(SPACE))
    tokenizer.normalizer = normalizers.Sequence(spaces)
    tokenizer.pre_tokenizer = pre_tokenizers.Split(Regex(_WORD_PATTERN), behavior="isolated")
    steps = [decoders.Replace(SPACE, " "), decoders.ByteFallback(), decoders.Fuse()]
    if proto.normalizer_spec.add_dummy_prefix:
        steps.append(decoders.Strip(content=" ", left=1, right=0))
    tokenizer.decoder = decoders.Sequence(steps)
    specials = [piece for piece, _, kind in pieces if kind in (_CONTROL, _UNKNOWN)]
    tokenizer.add_special_tokens([AddedToken(piece, special=True, normalized=False) for piece in specials])
    bos = proto.trainer_spec.bos_id
    if bos >= 0:
        bos_piece = pieces[bos][0]
        tokenizer.post_processor = processors.TemplateProcessing(
            single=f"{bos_piece} $A", pair=f"{bos_piece} $A {bos_piece} $B", special_tokens=[(bos_piece, bos)])
    return tokenizer


def special_token_ids(model_file: str | Path) -> dict[str, int | None]:
    """bos / eos / unk / pad ids of the SentencePiece model (None where it has none)."""
    proto = _load_proto(Path(model_file))
    spec = proto.trainer_spec
    return {name: (value if value >= 0 else None)
            for name, value in (("bos", spec.bos_id), ("eos", spec.eos_id), ("unk", spec.unk_id), ("pad", spec.pad_id))}


def save_hf_tokenizer(model_file: str | Path, directory: Path, model_max_length: int) -> int:
    """Write tokenizer.json, tokenizer_config.json and the original tokenizer.model into `directory`.

    Returns the vocabulary size.
    """
    from transformers import PreTrainedTokenizerFast

    model_file = Path(model_file)
    if not model_file.is_file():
        raise ConversionError(f"tokenizer {model_file} does not exist")
    tokenizer = build_tokenizer(model_file)
    proto = _load_proto(model_file)
    spec = proto.trainer_spec

    def piece(index: int) -> str | None:
        return proto.pieces[index].piece if index >= 0 else None

    wrapped = PreTrainedTokenizerFast(
        tokenizer_object=tokenizer, bos_token=piece(spec.bos_id), eos_token=piece(spec.eos_id),
        unk_token=piece(spec.unk_id), pad_token=piece(spec.pad_id), model_max_length=model_max_length,
        clean_up_tokenization_spaces=False, padding_side="left",
    )
    wrapped.save_pretrained(directory)
    shutil.copyfile(model_file, directory / "tokenizer.model")
    return len(proto.pieces)
