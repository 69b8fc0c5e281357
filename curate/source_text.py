"""BBj source files as text, one way for every reader (compile check, dedupe, corpus, tests)."""

from __future__ import annotations

from pathlib import Path

from curate.safeio import UnsafeFile, read_guarded

BINARY = "BBJ002"


def decode_source(raw: bytes) -> tuple[str, str]:
    """(text with LF line ends and no BOM, encoding): UTF-8 when it decodes, else Latin-1 (older
    BBj sources; it reads any byte, so this never fails)."""
    try:
        text, encoding = raw.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        text, encoding = raw.decode("latin-1"), "latin-1"
    return text.removeprefix("\ufeff").replace("\r\n", "\n").replace("\r", "\n"), encoding


def read_source_file(path: Path, limit: int) -> tuple[str, str]:
    """(text, encoding) of one BBj source file through the guarded reader; UnsafeFile (BBJ001
    unreadable, BBJ002 binary, BBJ003 too large) when it cannot be read as source."""
    return source_text(read_guarded(path, limit))


def source_text(raw: bytes) -> tuple[str, str]:
    """(text, encoding) of BBj source bytes; UnsafeFile (BBJ002) for binary content."""
    if b"\x00" in raw:
        line = raw.count(b"\n", 0, raw.index(b"\x00")) + 1
        raise UnsafeFile(BINARY, "binary content (NUL bytes): not a BBj source file", line)
    return decode_source(raw)
