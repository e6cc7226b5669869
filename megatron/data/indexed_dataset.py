"""The Megatron "MMIDIDX" indexed dataset: a `.bin` of concatenated tokens and an `.idx` index.

Byte-compatible with GPT-NeoX, Megatron-LM and megatron-core's `IndexedDataset`:

    .idx = b"MMIDIDX\\x00\\x00" | uint64 version (1) | uint8 dtype code
           | uint64 sequence count N | uint64 document count D
           | int32 sizes[N] | int64 byte pointers[N] | int64 doc_idx[D]

`doc_idx` lists the sequence index at which each document starts, plus a final entry
equal to N (so it starts at 0 and has one more entry than there are documents). All
integers are little-endian.
"""
from __future__ import annotations

import os
import shutil
import struct
from array import array
from collections.abc import Sequence

import numpy as np

from megatron.interrupts import pid_tag, remove_stale_temporaries
from megatron.user_files import UserFileError

INDEX_MAGIC = b"MMIDIDX\x00\x00"
INDEX_VERSION = 1
DTYPE_CODES: dict[int, type[np.number]] = {
    1: np.uint8, 2: np.int8, 3: np.int16, 4: np.int32, 5: np.int64, 6: np.float64, 7: np.float32, 8: np.uint16,
}
_CODE_OF_DTYPE = {np.dtype(dtype): code for code, dtype in DTYPE_CODES.items()}
_HEADER_SIZE = len(INDEX_MAGIC) + 8 + 1 + 8 + 8


class IndexedDatasetError(UserFileError):
    """A `.bin`/`.idx` pair that cannot be read as an indexed dataset (damaged or cut short)."""


def token_dtype(vocab_size: int) -> type[np.number]:
    """The token dtype for a vocabulary: uint16 below 65500 ids, else int32 (as megatron-core chooses)."""
    return np.uint16 if vocab_size < 65500 else np.int32


def bin_path(path_prefix: str) -> str:
    """The data file of the dataset `path_prefix`."""
    return path_prefix + ".bin"


def idx_path(path_prefix: str) -> str:
    """The index file of the dataset `path_prefix`."""
    return path_prefix + ".idx"


class IndexedDatasetWriter:
    """Streams documents into a `.bin` file, then writes the matching `.idx` on `finalize`.

    Each document is stored as one sequence unless `sequence_lengths` splits it. The
    index is written only by `finalize`, so the paths given here may be temporary names
    that the caller renames once the whole dataset is written.
    """

    def __init__(self, bin_file: str, dtype: type[np.number] | np.dtype) -> None:
        self.dtype = np.dtype(dtype)
        if self.dtype not in _CODE_OF_DTYPE:
            raise ValueError(f"{bin_file}: dtype {self.dtype} has no MMIDIDX code")
        self.bin_file = bin_file
        self._data = open(bin_file, "wb")
        self._sequence_lengths = array("i")
        self._document_starts = array("q", [0])
        self._finalized = False

    @property
    def sequence_count(self) -> int:
        return len(self._sequence_lengths)

    @property
    def document_count(self) -> int:
        return len(self._document_starts) - 1

    def add_document(self, tokens: np.ndarray | Sequence[int], sequence_lengths: Sequence[int] | None = None) -> None:
        """Append one document; `sequence_lengths` (summing to its length) splits it into sequences."""
        tokens = self._as_tokens(tokens)
        lengths = [tokens.size] if sequence_lengths is None else [int(n) for n in sequence_lengths]
        if sum(lengths) != tokens.size or any(n < 0 for n in lengths):
            raise ValueError(f"{self.bin_file}: sequence lengths {lengths} do not split {tokens.size} tokens")
        self._data.write(tokens.tobytes())
        self._sequence_lengths.extend(lengths)
        self._document_starts.append(len(self._sequence_lengths))

    def add_documents(self, tokens: np.ndarray, lengths: np.ndarray | Sequence[int]) -> None:
        """Append many one-sequence documents at once: `tokens` holds them end to end, `lengths` their sizes."""
        tokens = self._as_tokens(tokens)
        lengths = np.asarray(lengths, dtype=np.int64)
        if int(lengths.sum()) != tokens.size or (lengths < 0).any():
            raise ValueError(f"{self.bin_file}: document lengths sum to {int(lengths.sum())}, not {tokens.size} tokens")
        self._data.write(tokens.tobytes())
        first = len(self._sequence_lengths)
        self._sequence_lengths.frombytes(lengths.astype(np.int32).tobytes())
        self._document_starts.frombytes(np.arange(first + 1, first + 1 + lengths.size, dtype=np.int64).tobytes())

    def append_dataset(self, dataset: IndexedDatasetReader) -> None:
        """Append every sequence and document of another dataset of the same dtype, copying its `.bin` as is."""
        if dataset.dtype != self.dtype:
            raise ValueError(f"{dataset.path_prefix}: tokens are {dataset.dtype}, but {self.bin_file} holds {self.dtype}")
        if self._data.closed:
            raise RuntimeError(f"{self.bin_file}: writer is closed")
        with open(bin_path(dataset.path_prefix), "rb") as source:
            shutil.copyfileobj(source, self._data, 16 * 1024 * 1024)
        first = len(self._sequence_lengths)
        self._sequence_lengths.frombytes(dataset.sequence_lengths.astype(np.int32).tobytes())
        self._document_starts.frombytes((dataset.document_indices[1:].astype(np.int64) + first).tobytes())

    def finalize(self, idx_file: str) -> None:
        """Close the `.bin` file and write the index to `idx_file`."""
        if self._finalized:
            raise RuntimeError(f"{self.bin_file}: already finalized")
        self._data.close()
        sizes = np.frombuffer(self._sequence_lengths, dtype=np.int32)
        pointers = np.zeros(sizes.size, dtype=np.int64)
        np.cumsum(sizes[:-1], dtype=np.int64, out=pointers[1:])
        pointers *= self.dtype.itemsize
        with open(idx_file, "wb") as index:
            index.write(INDEX_MAGIC)
            index.write(struct.pack("<QB", INDEX_VERSION, _CODE_OF_DTYPE[self.dtype]))
            index.write(struct.pack("<QQ", sizes.size, len(self._document_starts)))
            index.write(sizes.astype("<i4").tobytes())
            index.write(pointers.astype("<i8").tobytes())
            index.write(np.frombuffer(self._document_starts, dtype=np.int64).astype("<i8").tobytes())
        self._finalized = True

    def close(self) -> None:
        """Close the `.bin` file without writing an index (for abandoning a failed run)."""
        self._data.close()

    def _as_tokens(self, tokens: np.ndarray | Sequence[int]) -> np.ndarray:
        if self._data.closed:
            raise RuntimeError(f"{self.bin_file}: writer is closed")
        array_ = np.asarray(tokens)
        if array_.ndim != 1:
            raise ValueError(f"{self.bin_file}: tokens must be 1-D, got shape {array_.shape}")
        if array_.dtype != self.dtype:
            if array_.size and (array_.min() < np.iinfo(self.dtype).min or array_.max() > np.iinfo(self.dtype).max):
                raise ValueError(f"{self.bin_file}: token ids out of range for {self.dtype}")
            array_ = array_.astype(self.dtype)
        return array_


class StagedIndexedDataset:
    """A `.bin`/`.idx` pair written under temporary names and renamed into place by `commit`.

    Until `commit` nothing exists at `path_prefix` that looks complete (the old index goes first:
    a new `.bin` beside an old `.idx` would look like a pair); `abort` removes the temporaries.
    The temporaries carry this process's pid, and creating a staged dataset removes those that a
    killed writer of the same prefix left behind.
    """

    def __init__(self, path_prefix: str, dtype: type[np.number] | np.dtype) -> None:
        self.path_prefix = path_prefix
        self.removed_stale: list[str] = []
        for final in (bin_path(path_prefix), idx_path(path_prefix)):
            directory, name = os.path.split(os.path.abspath(final))
            self.removed_stale += [str(path) for path in remove_stale_temporaries(directory, name + ".")]
        suffix = f".{pid_tag()}"
        self._bin, self._idx = bin_path(path_prefix) + suffix, idx_path(path_prefix) + suffix
        self.writer = IndexedDatasetWriter(self._bin, dtype)

    def finalize(self) -> None:
        """Write the index (still under its temporary name)."""
        self.writer.finalize(self._idx)

    def commit(self) -> None:
        """Rename the finalized pair into place."""
        if os.path.exists(idx_path(self.path_prefix)):
            os.remove(idx_path(self.path_prefix))
        os.replace(self._bin, bin_path(self.path_prefix))
        os.replace(self._idx, idx_path(self.path_prefix))

    def abort(self) -> None:
        self.writer.close()
        for path in (self._bin, self._idx):
            if os.path.exists(path):
                os.remove(path)


def check_outputs_free(path_prefixes: Sequence[str], overwrite: bool) -> None:
    """FileExistsError naming the first existing `.bin`/`.idx` of `path_prefixes`, unless `overwrite`."""
    if overwrite:
        return
    for prefix in path_prefixes:
        for path in (bin_path(prefix), idx_path(prefix)):
            if os.path.exists(path):
                raise FileExistsError(f"output exists: {path} (pass overwrite / --overwrite to replace it)")


class IndexedDatasetReader:
    """Memory-maps a `.bin`/`.idx` pair and checks that the index describes the data file.

    `reader[i]` is sequence i; `reader.document(d)` joins the sequences of document d.
    """

    def __init__(self, path_prefix: str) -> None:
        self.path_prefix = path_prefix
        index_file, data_file = idx_path(path_prefix), bin_path(path_prefix)
        for path in (index_file, data_file):
            if not os.path.isfile(path):
                raise FileNotFoundError(f"indexed dataset file not found: {path}")
        index = np.memmap(index_file, dtype=np.uint8, mode="r") if os.path.getsize(index_file) else np.zeros(0, np.uint8)
        if index.size < _HEADER_SIZE or bytes(index[: len(INDEX_MAGIC)]) != INDEX_MAGIC:
            raise IndexedDatasetError(index_file, "not an MMIDIDX index (bad magic or too short)")
        version, dtype_code = struct.unpack_from("<QB", index, len(INDEX_MAGIC))
        if version != INDEX_VERSION:
            raise IndexedDatasetError(index_file, f"index version {version}, expected {INDEX_VERSION}")
        if dtype_code not in DTYPE_CODES:
            raise IndexedDatasetError(index_file, f"unknown dtype code {dtype_code}")
        sequence_count, document_index_count = struct.unpack_from("<QQ", index, len(INDEX_MAGIC) + 9)
        expected_size = _HEADER_SIZE + 12 * sequence_count + 8 * document_index_count
        if index.size != expected_size:
            raise IndexedDatasetError(
                index_file, f"{index.size} bytes, but its header ({sequence_count} sequences, "
                f"{document_index_count} document indices) needs {expected_size}"
            )
        self.dtype = np.dtype(DTYPE_CODES[dtype_code])
        offset = _HEADER_SIZE
        self.sequence_lengths = np.frombuffer(index, dtype="<i4", count=sequence_count, offset=offset)
        offset += 4 * sequence_count
        self.sequence_pointers = np.frombuffer(index, dtype="<i8", count=sequence_count, offset=offset)
        offset += 8 * sequence_count
        self.document_indices = np.frombuffer(index, dtype="<i8", count=document_index_count, offset=offset)
        self._check_consistency(index_file, data_file)
        size = os.path.getsize(data_file)
        self._data = np.memmap(data_file, dtype=self.dtype, mode="r") if size else np.zeros(0, self.dtype)

    def _check_consistency(self, index_file: str, data_file: str) -> None:
        lengths = self.sequence_lengths.astype(np.int64)
        if (lengths < 0).any():
            raise IndexedDatasetError(index_file, "negative sequence length")
        expected_pointers = np.zeros_like(lengths)
        np.cumsum(lengths[:-1], out=expected_pointers[1:])
        if not np.array_equal(expected_pointers * self.dtype.itemsize, self.sequence_pointers):
            raise IndexedDatasetError(index_file, "sequence pointers do not follow the sequence lengths")
        docs = self.document_indices
        if docs.size == 0 or docs[0] != 0 or docs[-1] != lengths.size or (np.diff(docs) < 0).any():
            raise IndexedDatasetError(
                index_file, f"doc_idx must rise from 0 to the sequence count {lengths.size}"
            )
        data_size = os.path.getsize(data_file)
        expected = int(lengths.sum()) * self.dtype.itemsize
        if data_size != expected:
            raise IndexedDatasetError(
                data_file, f"{data_size} bytes, but {index_file} describes {expected} bytes of {self.dtype} tokens"
            )

    def __getstate__(self) -> dict:
        return {"path_prefix": self.path_prefix}  # data-loader workers map the files themselves

    def __setstate__(self, state: dict) -> None:
        self.__init__(state["path_prefix"])

    def __len__(self) -> int:
        return int(self.sequence_lengths.size)

    @property
    def document_count(self) -> int:
        return int(self.document_indices.size) - 1

    @property
    def token_count(self) -> int:
        return int(self.sequence_lengths.sum(dtype=np.int64))

    def __getitem__(self, index: int) -> np.ndarray:
        if not -len(self) <= index < len(self):
            raise IndexError(f"{self.path_prefix}: sequence {index} out of range (0..{len(self) - 1})")
        start = int(self.sequence_pointers[index]) // self.dtype.itemsize
        return np.asarray(self._data[start : start + int(self.sequence_lengths[index])])

    def get(self, index: int, offset: int = 0, length: int | None = None) -> np.ndarray:
        """Tokens [offset, offset + length) of sequence `index` (megatron-core's `IndexedDataset.get`)."""
        size = int(self.sequence_lengths[index])
        length = size - offset if length is None else length
        if offset < 0 or length < 0 or offset + length > size:
            raise IndexError(f"{self.path_prefix}: tokens {offset}:{offset + length} of sequence {index} "
                             f"out of range (it has {size})")
        start = int(self.sequence_pointers[index]) // self.dtype.itemsize + offset
        return np.asarray(self._data[start : start + length])

    def document(self, document: int) -> np.ndarray:
        """All tokens of document `document` (its sequences end to end)."""
        if not 0 <= document < self.document_count:
            raise IndexError(f"{self.path_prefix}: document {document} out of range (0..{self.document_count - 1})")
        first, last = int(self.document_indices[document]), int(self.document_indices[document + 1])
        if first == last:
            return np.zeros(0, dtype=self.dtype)
        start = int(self.sequence_pointers[first]) // self.dtype.itemsize
        stop = start + int(self.sequence_lengths[first:last].sum(dtype=np.int64))
        return np.asarray(self._data[start:stop])
