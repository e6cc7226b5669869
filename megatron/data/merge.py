"""Merge many `.bin`/`.idx` indexed datasets into one, in the order given.

The result is byte-identical to tokenizing the inputs' sources one after another in a single run:
the `.bin` files are concatenated, sequence lengths appended, pointers recomputed, and each input's
document index shifted by the sequences before it. This is what makes a many-machine tokenise work:
tokenize each shard to its own dataset anywhere, then merge them here.

The output is written under temporary names and renamed into place only when complete.
"""
from __future__ import annotations

import logging
import os
from collections.abc import Sequence

from megatron.data.indexed_dataset import IndexedDatasetReader, StagedIndexedDataset, check_outputs_free

logger = logging.getLogger(__name__)


def expand_dataset_prefixes(inputs: Sequence[str]) -> list[str]:
    """Dataset prefixes from prefixes, `.bin`/`.idx` file names, or directories (every `*.idx` pair, by name)."""
    prefixes: list[str] = []
    for item in inputs:
        if os.path.isdir(item):
            found = sorted(name[: -len(".idx")] for name in os.listdir(item) if name.endswith(".idx"))
            if not found:
                raise FileNotFoundError(f"{item}: directory holds no .idx files")
            prefixes.extend(os.path.join(item, name) for name in found)
        elif item.endswith((".bin", ".idx")):
            prefixes.append(item[: -len(".bin")])
        else:
            prefixes.append(item)
    if not prefixes:
        raise ValueError("no input datasets given")
    return prefixes


def merge_datasets(inputs: Sequence[str], output_prefix: str, overwrite: bool = False) -> IndexedDatasetReader:
    """Write `output_prefix.bin/.idx` holding the datasets `inputs` (prefixes or directories) end to end.

    Raises FileNotFoundError or IndexedDatasetError naming an input that is missing or damaged, ValueError
    when the inputs' token dtypes differ or the output is one of the inputs, FileExistsError when the
    output exists and `overwrite` is False. Every input is checked before anything is written.
    """
    prefixes = expand_dataset_prefixes(inputs)
    readers = [IndexedDatasetReader(prefix) for prefix in prefixes]
    dtypes = {reader.dtype for reader in readers}
    if len(dtypes) != 1:
        described = ", ".join(f"{reader.path_prefix}: {reader.dtype}" for reader in readers)
        raise ValueError(f"inputs have different token dtypes ({described}); tokenize them with the same tokenizer")
    output = os.path.abspath(output_prefix)
    if any(os.path.abspath(prefix) == output for prefix in prefixes):
        raise ValueError(f"output {output_prefix} is also an input")
    check_outputs_free([output_prefix], overwrite)
    os.makedirs(os.path.dirname(output) or ".", exist_ok=True)
    staged = StagedIndexedDataset(output_prefix, readers[0].dtype)
    try:
        for number, reader in enumerate(readers, start=1):
            staged.writer.append_dataset(reader)
            logger.info("merged %d/%d datasets (%s)", number, len(readers), reader.path_prefix)
        staged.finalize()
        staged.commit()
    except BaseException:
        staged.abort()
        raise
    merged = IndexedDatasetReader(output_prefix)
    logger.info(
        "wrote %s.bin/.idx: %d documents, %d tokens from %d datasets",
        output_prefix, merged.document_count, merged.token_count, len(readers),
    )
    return merged
