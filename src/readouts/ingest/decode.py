"""Turns the bytes of one input into text; reads bytes, produces a ``Decoded`` text and its encoding.

Order: a byte-order mark decides; then NUL bytes mean binary; then strict
UTF-8; then charset-normalizer. Anything not UTF-8 is read with a warning
that names the encoding, so a user can see when the guess mattered.
"""

from __future__ import annotations

import codecs
from dataclasses import dataclass

import charset_normalizer

from readouts.errors import BinaryInputError, EmptyInputError

_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)
# Short Western texts fit several single-byte code pages about equally well;
# Windows-1252 (a superset of Latin-1's printable range) is by far the likeliest.
_PREFERRED_ON_TIE = "cp1252"
_TIE_MARGIN = 0.1
# Control characters other than tab, newline, carriage return and form feed.
_CONTROL = {chr(c) for c in range(32) if c not in (9, 10, 12, 13)} | {"\x7f"}
_CONTROL_SHARE_LIMIT = 0.01


@dataclass(frozen=True)
class Decoded:
    text: str
    encoding: str
    warning: str | None = None


def decode_bytes(data: bytes, source: str) -> Decoded:
    """The text of ``data``; raises EmptyInputError or BinaryInputError naming ``source``."""
    if not data:
        raise EmptyInputError(source, "the input is empty", "give a file that holds an article")
    decoded = _decode_with_bom(data, source) or _decode_plain(data, source)
    if not decoded.text.strip():
        raise EmptyInputError(source, "the input holds only whitespace", "give a file that holds an article")
    _refuse_control_characters(decoded.text, source)
    return decoded


def _decode_with_bom(data: bytes, source: str) -> Decoded | None:
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            try:
                text = data.decode(encoding)
            except UnicodeDecodeError as exc:
                raise _binary(source, f"it starts with a {encoding} byte-order mark but is not {encoding}") from exc
            # utf-8-sig leaves nothing behind; utf-16/32 decoders drop the mark themselves.
            return Decoded(text, "utf-8" if encoding == "utf-8-sig" else encoding)
    return None


def _decode_plain(data: bytes, source: str) -> Decoded:
    if b"\x00" in data:
        raise _binary(source, "it contains NUL bytes, so it is a binary file, not text")
    try:
        return Decoded(data.decode("utf-8"), "utf-8")
    except UnicodeDecodeError:
        pass
    encoding = _guess_encoding(data)
    if encoding is None:
        raise _binary(source, "its bytes are not text in any known encoding")
    warning = (
        f"{source} is not UTF-8; it was read as {encoding}. "
        "If characters look wrong, save the file as UTF-8 and run again."
    )
    return Decoded(data.decode(encoding, errors="replace"), encoding, warning)


def _guess_encoding(data: bytes) -> str | None:
    results = list(charset_normalizer.from_bytes(data))
    if not results:
        return None
    best = min(results, key=lambda r: r.chaos)
    for result in results:
        if result.encoding == _PREFERRED_ON_TIE and result.chaos <= best.chaos + _TIE_MARGIN:
            return result.encoding
    return best.encoding


def _refuse_control_characters(text: str, source: str) -> None:
    sample = text[:65536]
    controls = sum(1 for ch in sample if ch in _CONTROL)
    if controls > max(2, len(sample) * _CONTROL_SHARE_LIMIT):
        raise _binary(source, f"it holds {controls} control characters, so it is a binary file, not text")


def _binary(source: str, reason: str) -> BinaryInputError:
    return BinaryInputError(source, reason, "give a .txt, .md or .html article, or a .jsonl/.csv corpus")
