"""The one guarded way to read JSON Lines (training splits, legacy exports, eval samples,
ratings, metrics): every line ends as a value or as a dropped line with a stable reason,
and nothing in the file can block, exhaust memory or crash the reader.

The file is opened through `curate.safeio` (regular files only, size cap, symlinks confined).
Lines split on LF only (a U+2028 inside a JSON string never splits a record) and are capped:
a line over `max_line_bytes` is streamed past in chunks without being held, and dropped as
`line-too-long`. Reasons are `key` or `key:detail` (e.g. `line-too-long:5242880-bytes`);
`DroppedLine.message` says the same for a person.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, BinaryIO

from curate.safeio import open_guarded, unencodable

MAX_LINE_BYTES = 1 << 20
SKIP_CHUNK = 1 << 16
BOM = b"\xef\xbb\xbf"


@dataclass(frozen=True)
class DroppedLine:
    """A line that did not become a value: `reason` is stable, `message` is for people."""

    line: int
    reason: str
    message: str

    def __str__(self) -> str:
        return f"line {self.line}: {self.message}"


@dataclass(frozen=True)
class JsonLine:
    """One good line: its number, its JSON value and the encoding it was read with."""

    line: int
    value: Any
    encoding: str = "utf-8"


def capped_lines(handle: BinaryIO, max_line_bytes: int = MAX_LINE_BYTES) -> Iterator[tuple[int, bytes | None, int]]:
    """(1-based number, bytes without the line ending or None when over the cap, length in
    bytes) of each LF-separated line. Never holds more than `max_line_bytes` + 1 bytes."""
    number = 0
    while True:
        chunk = handle.readline(max_line_bytes + 1)
        if not chunk:
            return
        number += 1
        length = len(chunk)
        ended = chunk.endswith(b"\n")
        while not ended and length > max_line_bytes:  # over the cap: read past the rest of the line
            rest = handle.readline(SKIP_CHUNK)
            if not rest:
                break
            length += len(rest)
            ended = rest.endswith(b"\n")
        if ended:
            length -= 1
        if length > max_line_bytes:
            yield number, None, length
            continue
        line = chunk.rstrip(b"\n").removesuffix(b"\r")
        yield number, line, len(line)


@dataclass
class JsonLines:
    """Iterates the good lines of one JSONL file as `JsonLine`; the others land in `dropped`
    (in line order). `lines` is the number of lines read. Opening raises `UnsafeFile`.

    `encodings` are tried in order (legacy exports: utf-8, then cp1252, then latin-1, which
    reads any byte); `objects` drops values that are not JSON objects; `blank` drops blank
    lines with the reason `blank-line` instead of skipping them silently. A value holding a
    lone surrogate (a `\\ud800` escape: never writable as UTF-8) is dropped as
    `invalid-unicode`, naming where it sits."""

    path: Path
    max_line_bytes: int = MAX_LINE_BYTES
    limit: int | None = None
    root: Path | None = None
    encodings: tuple[str, ...] = ("utf-8",)
    objects: bool = True
    blank: bool = False
    dropped: list[DroppedLine] = field(default_factory=list)
    lines: int = 0

    def __iter__(self) -> Iterator[JsonLine]:
        with open_guarded(self.path, self.limit, self.root) as handle:
            for number, raw, length in capped_lines(handle, self.max_line_bytes):
                self.lines = number
                if raw is None:
                    self._drop(number, f"line-too-long:{length}-bytes", f"line is {length:,} bytes; the limit is {self.max_line_bytes:,}")
                    continue
                item = self._parse(number, raw.removeprefix(BOM))
                if item is not None:
                    yield item

    def _parse(self, number: int, raw: bytes) -> JsonLine | None:
        decoded = self._decode(number, raw)
        if decoded is None:
            return None
        text, encoding = decoded
        if not text.strip():
            if self.blank:
                self._drop(number, "blank-line", "blank line")
            return None
        try:
            value = json.loads(text)
        except ValueError as exc:
            self._drop(number, "malformed-json", f"not JSON ({exc})")
            return None
        except RecursionError:
            self._drop(number, "malformed-json", "not JSON (nested too deeply)")
            return None
        if self.objects and not isinstance(value, dict):
            self._drop(number, f"not-an-object:{type(value).__name__}", f"expected a JSON object, got {type(value).__name__}")
            return None
        if (where := unencodable(value)) is not None:
            self._drop(number, "invalid-unicode", f"{where} holds a lone surrogate (not valid Unicode)")
            return None
        return JsonLine(number, value, encoding)

    def _decode(self, number: int, raw: bytes) -> tuple[str, str] | None:
        first_error: UnicodeDecodeError | None = None
        for encoding in self.encodings:
            try:
                return raw.decode(encoding), encoding
            except UnicodeDecodeError as exc:
                first_error = first_error or exc
        column = first_error.start + 1 if first_error else 1
        byte = f"0x{raw[column - 1]:02x} " if first_error else ""
        self._drop(number, "not-utf8", f"not UTF-8 (byte {byte}at column {column})")
        return None

    def _drop(self, number: int, reason: str, message: str) -> None:
        self.dropped.append(DroppedLine(number, reason, message))
