"""BBj source files as text, one way for every reader (compile check, dedupe, corpus, tests)."""

from __future__ import annotations


def decode_source(raw: bytes) -> tuple[str, str]:
    """(text with LF line ends and no BOM, encoding): UTF-8 when it decodes, else Latin-1 (older
    BBj sources; it reads any byte, so this never fails)."""
    try:
        text, encoding = raw.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        text, encoding = raw.decode("latin-1"), "latin-1"
    return text.removeprefix("\ufeff").replace("\r\n", "\n").replace("\r", "\n"), encoding
