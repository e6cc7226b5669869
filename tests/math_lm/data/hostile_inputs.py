"""Generators of hostile documents (issue 22), small on disk, made in each test's tmp_path."""

from __future__ import annotations

import gzip
import io
import struct
import tarfile
import zlib

import brotli

MiB = 1024 * 1024
_ZEROS_MEMBER = gzip.compress(bytes(MiB), compresslevel=9)  # 1 MiB of zeros in about 1 KiB


def gzip_of_zeros(inflated_mib: int) -> bytes:
    """A gzip file that inflates to ``inflated_mib`` MiB of zeros, as concatenated 1 MiB members (which
    every gzip reader joins into one stream): 3 GiB costs about 3 MB and no compression time."""
    return _ZEROS_MEMBER * inflated_mib


def _deflate_blocks_of_zeros() -> bytes:
    """Raw deflate blocks holding 1 MiB of zeros that end on a full flush (byte-aligned, no history
    carried over), so that any number of copies in a row is a valid deflate stream."""
    compressor = zlib.compressobj(9, zlib.DEFLATED, -zlib.MAX_WBITS)
    return compressor.compress(bytes(MiB)) + compressor.flush(zlib.Z_FULL_FLUSH)


_ZEROS_BLOCKS = _deflate_blocks_of_zeros()
_FINAL_EMPTY_BLOCK = zlib.compressobj(9, zlib.DEFLATED, -zlib.MAX_WBITS).flush()


def single_gzip_of_zeros(inflated_mib: int) -> bytes:
    """One gzip member (valid, checksum included) of ``inflated_mib`` MiB of zeros, built from copies of one
    compressed MiB: 3 GiB costs about 3 MB and a second of CRC, not minutes of compression."""
    crc = 0
    zeros = bytes(MiB)
    for _ in range(inflated_mib):
        crc = zlib.crc32(zeros, crc)
    header = b"\x1f\x8b\x08\x00\x00\x00\x00\x00\x02\xff"
    trailer = struct.pack("<II", crc, (inflated_mib * MiB) & 0xFFFFFFFF)
    return header + _ZEROS_BLOCKS * inflated_mib + _FINAL_EMPTY_BLOCK + trailer


def deflate_of_zeros(inflated_mib: int, raw: bool) -> bytes:
    """Deflate data of ``inflated_mib`` MiB of zeros, raw or zlib-wrapped (as servers send ``deflate``)."""
    body = _ZEROS_BLOCKS * inflated_mib + _FINAL_EMPTY_BLOCK
    if raw:
        return body
    adler = 1
    zeros = bytes(MiB)
    for _ in range(inflated_mib):
        adler = zlib.adler32(zeros, adler)
    return b"\x78\xda" + body + struct.pack(">I", adler)


def brotli_of_zeros(inflated_mib: int) -> bytes:
    """Brotli data of ``inflated_mib`` MiB of zeros (streamed into the compressor, 1 MiB at a time)."""
    compressor = brotli.Compressor(quality=1)
    chunks = [compressor.process(bytes(MiB)) for _ in range(inflated_mib)]
    return b"".join(chunks) + compressor.finish()


def tar_bytes(files: dict[str, bytes], compress: bool = False) -> bytes:
    buffer = io.BytesIO()
    with tarfile.open(fileobj=buffer, mode="w:gz" if compress else "w") as archive:
        for name, data in files.items():
            info = tarfile.TarInfo(name)
            info.size = len(data)
            archive.addfile(info, io.BytesIO(data))
    return buffer.getvalue()


def good_paper(title: str) -> bytes:
    return (
        "\\documentclass{article}\\begin{document}\n\\section{%s}\nThe %s result: $a^2+b^2=c^2$.\n\\end{document}\n"
        % (title, title)
    ).encode()


def recursive_def_paper() -> bytes:
    """Two argument-free macros that use each other ten times: 10**k characters after k passes."""
    return (
        b"\\documentclass{article}\\def\\a{\\b\\b\\b\\b\\b\\b\\b\\b\\b\\b}\\def\\b{\\a\\a\\a\\a\\a\\a\\a\\a\\a\\a}"
        b"\\begin{document}\\section{Boom}\\a\\end{document}\n"
    )


def input_fan_out_paper(fan_out: int = 10, levels: int = 12) -> dict[str, bytes]:
    """A main file and ``levels`` files, each ``\\input``-ing the next one ``fan_out`` times."""
    files = {
        "main.tex": (
            "\\documentclass{article}\\begin{document}\\section{Fan}\n"
            + "\\input{l1}\n" * fan_out
            + "\\end{document}\n"
        ).encode()
    }
    for level in range(1, levels):
        files[f"l{level}.tex"] = (f"\\input{{l{level + 1}}}\n" * fan_out).encode()
    files[f"l{levels}.tex"] = b"A leaf sentence.\n"
    return files


def unclosed_newcommand_paper(count: int = 60_000) -> bytes:
    return b"\\documentclass{article}\\begin{document}\\section{Open}Text. " + b"\\newcommand{" * count + b"\n"


def nested_div_page(depth: int = 100_000) -> bytes:
    words = " ".join(["the integral of x squared is one third of x cubed"] * 10)
    return (
        b"<html><body><p>" + words.encode() + b"</p>" + b"<div>" * depth + b"deep" + b"</div>" * depth + b"</body></html>"
    )
