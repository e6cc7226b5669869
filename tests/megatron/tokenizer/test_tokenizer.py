"""The tokenizer wrappers against real Llama-2 ids (llama.cpp's test vectors)."""
from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from megatron.tokenizer import HFTokenizer, SPMTokenizer, build_tokenizer, padded_vocab_size

REPO_ROOT = Path(__file__).resolve().parents[3]
LLAMA_MODEL = REPO_ROOT / "data" / "tokenizers" / "llama2.model"
GOLDEN_INP = REPO_ROOT / "tests" / "data" / "llama2-golden.inp"
GOLDEN_OUT = REPO_ROOT / "tests" / "data" / "llama2-golden.out"
SEPARATOR = "\n__ggml_vocab_test__\n"


def load_golden() -> list[tuple[str, list[int]]]:
    """Pairs (text, ids without BOS) from llama.cpp's `.inp` / `.out` files."""
    texts = GOLDEN_INP.read_text(encoding="utf-8").split(SEPARATOR)
    assert texts[-1] == "", "every test string is followed by the separator line"
    texts = texts[:-1]
    lines = GOLDEN_OUT.read_text(encoding="utf-8").split("\n")
    assert lines[-1] == ""
    lines = lines[:-1]
    assert len(texts) == len(lines) > 40
    return [(text, [int(token) for token in line.split()]) for text, line in zip(texts, lines)]


def write_llama_tokenizer_json(path: Path) -> None:
    """Express the Llama SentencePiece BPE model as a `tokenizers` BPE tokenizer.json.

    Merges are every split of a piece into two pieces, ranked by the merged piece's score,
    the way SentencePiece BPE picks them.
    """
    import sentencepiece
    from tokenizers import AddedToken, Tokenizer, decoders, models, normalizers

    processor = sentencepiece.SentencePieceProcessor(model_file=str(LLAMA_MODEL))
    vocab = {processor.id_to_piece(i): i for i in range(processor.vocab_size())}
    ranked = []
    for piece, piece_id in vocab.items():
        if processor.is_control(piece_id) or processor.is_unknown(piece_id) or processor.is_byte(piece_id):
            continue
        for cut in range(1, len(piece)):
            left, right = piece[:cut], piece[cut:]
            if left in vocab and right in vocab:
                ranked.append((-processor.get_score(piece_id), vocab[left], vocab[right], left, right))
    ranked.sort()
    model = models.BPE(
        vocab=vocab, merges=[(left, right) for *_, left, right in ranked],
        unk_token="<unk>", fuse_unk=True, byte_fallback=True,
    )
    tokenizer = Tokenizer(model)
    tokenizer.normalizer = normalizers.Sequence([normalizers.Prepend("▁"), normalizers.Replace(" ", "▁")])
    tokenizer.decoder = decoders.Sequence(
        [decoders.Replace("▁", " "), decoders.ByteFallback(), decoders.Fuse(), decoders.Strip(" ", 1, 0)]
    )
    tokenizer.add_special_tokens([AddedToken(t, special=True) for t in ("<unk>", "<s>", "</s>")])
    tokenizer.save(str(path))


@pytest.fixture(scope="module")
def spm() -> SPMTokenizer:
    return build_tokenizer("SPMTokenizer", str(LLAMA_MODEL))


@pytest.fixture(scope="module")
def llama_tokenizer_json(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("hf") / "tokenizer.json"
    write_llama_tokenizer_json(path)
    return path


def test_spm_matches_golden_ids(spm):
    golden = load_golden()
    mismatches = [(text, spm.tokenize(text), ids) for text, ids in golden if spm.tokenize(text) != ids]
    assert not mismatches


def test_spm_batch_equals_single(spm):
    texts = [text for text, _ in load_golden()]
    assert spm.tokenize_batch(texts) == [spm.tokenize(text) for text in texts]


def test_spm_special_ids_are_llamas(spm):
    assert isinstance(spm, SPMTokenizer)
    assert (spm.vocab_size, spm.bos, spm.eos, spm.eod, spm.pad) == (32000, 1, 2, 2, None)
    assert spm.name == "SPMTokenizer" and spm.vocab_file == str(LLAMA_MODEL)
    ids = spm.tokenize("Hello world")
    assert ids == [15043, 3186] and spm.bos not in ids


def test_spm_detokenize_round_trips(spm):
    for text, ids in load_golden():
        assert spm.detokenize(ids) == text


def test_hf_tokenizer_json_matches_golden_ids(llama_tokenizer_json):
    hf = build_tokenizer("HFTokenizer", str(llama_tokenizer_json))
    assert isinstance(hf, HFTokenizer)
    assert (hf.vocab_size, hf.bos, hf.eod, hf.eos, hf.pad) == (32000, 1, 2, 2, None)
    golden = load_golden()
    assert [hf.tokenize(text) for text, _ in golden] == [ids for _, ids in golden]
    assert hf.tokenize_batch([text for text, _ in golden]) == [ids for _, ids in golden]
    assert hf.detokenize(hf.tokenize(" Hello  world\n")) == " Hello  world\n"


def _write_tiny_bpe(path: Path, specials: list[str]) -> None:
    from tokenizers import Tokenizer, models, pre_tokenizers, trainers

    tokenizer = Tokenizer(models.BPE(unk_token="[UNK]"))
    tokenizer.pre_tokenizer = pre_tokenizers.Whitespace()
    trainer = trainers.BpeTrainer(vocab_size=80, special_tokens=["[UNK]", *specials], show_progress=False)
    tokenizer.train_from_iterator(["the sum of two squares", "a prime number is odd"] * 5, trainer)
    tokenizer.save(str(path))


def test_hf_finds_neox_special_tokens(tmp_path):
    path = tmp_path / "tokenizer.json"
    _write_tiny_bpe(path, ["<|endoftext|>", "<|padding|>"])
    hf = build_tokenizer("HFTokenizer", str(path))
    assert (hf.eod, hf.pad, hf.bos) == (1, 2, None)
    assert hf.vocab_size == hf._backend.get_vocab_size(with_added_tokens=True)
    assert hf.detokenize(hf.tokenize("the sum")) == "the sum"


def test_hf_without_end_of_document_token_is_an_error(tmp_path):
    path = tmp_path / "tokenizer.json"
    _write_tiny_bpe(path, [])
    with pytest.raises(ValueError, match=r"tokenizer\.json: no end-of-document token"):
        build_tokenizer("HFTokenizer", str(path))


def test_build_errors_name_the_problem(tmp_path):
    with pytest.raises(ValueError, match="unknown tokenizer_type 'GPT3Tokenizer'"):
        build_tokenizer("GPT3Tokenizer", str(LLAMA_MODEL))
    with pytest.raises(FileNotFoundError, match="missing.model"):
        build_tokenizer("SPMTokenizer", str(tmp_path / "missing.model"))
    with pytest.raises(FileNotFoundError, match="missing.json"):
        build_tokenizer("HFTokenizer", str(tmp_path / "missing.json"))
    with pytest.raises(ValueError, match="needs a vocab_file"):
        build_tokenizer("SPMTokenizer", None)
    with pytest.raises(ValueError, match="takes no merge_file"):
        build_tokenizer("SPMTokenizer", str(LLAMA_MODEL), merge_file="merges.txt")
    garbage = tmp_path / "garbage.model"
    garbage.write_bytes(b"not a model")
    with pytest.raises(ValueError, match="garbage.model: not a readable SentencePiece model"):
        build_tokenizer("SPMTokenizer", str(garbage))
    with pytest.raises(ValueError, match="garbage.model: not a readable tokenizer.json"):
        build_tokenizer("HFTokenizer", str(garbage))


@pytest.mark.parametrize(
    ("vocab", "divisible_by", "tp", "expected"),
    [(32000, 128, 1, 32000), (32016, 128, 1, 32128), (32016, 128, 2, 32256), (50277, 128, 1, 50304),
     (32000, 128, 8, 32768), (1, 1, 1, 1), (100, 8, 3, 120)],
)
def test_padded_vocab_size(vocab, divisible_by, tp, expected):
    assert padded_vocab_size(vocab, divisible_by, tp) == expected


@pytest.mark.parametrize("bad", [(0, 128, 1), (32000, 0, 1), (32000, 128, -2), (32000.0, 128, 1)])
def test_padded_vocab_size_rejects_nonsense(bad):
    with pytest.raises(ValueError, match="must be a positive integer"):
        padded_vocab_size(*bad)


def test_array_path_equals_lists(spm, llama_tokenizer_json):
    texts = [text for text, _ in load_golden()]
    hf = build_tokenizer("HFTokenizer", str(llama_tokenizer_json))
    for tokenizer in (spm, hf):
        arrays = tokenizer.tokenize_to_arrays(texts)
        assert all(array.dtype == np.int32 for array in arrays)
        assert [array.tolist() for array in arrays] == [ids for _, ids in load_golden()]
