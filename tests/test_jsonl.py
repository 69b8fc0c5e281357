"""The one guarded JSONL reader: every line ends as a value or a dropped line with a stable
reason; an over-long line is streamed past without being held (measured with tracemalloc);
the legacy import, which used to read such a line whole, drops it the same way."""

from __future__ import annotations

import json
import tracemalloc
from pathlib import Path

import pytest

from curate.jsonl import JsonLines
from curate.safeio import UnsafeFile

HUGE = 32 << 20


def write(path: Path, data: bytes) -> Path:
    path.write_bytes(data)
    return path


def test_every_line_is_a_value_or_dropped_with_a_reason(tmp_path: Path) -> None:
    lines = [
        b'\xef\xbb\xbf{"a": 1}',  # BOM: read
        b'{"b": 2}\r',  # CRLF: read
        b"",  # blank: skipped
        b"{not json",
        b"[1, 2]",
        b'{"role": "\\ud800"}',
        b'{"c": "\xff"}',
        b"[" * 100_000,  # nesting past the parser's recursion limit
    ]
    reader = JsonLines(write(tmp_path / "in.jsonl", b"\n".join(lines) + b"\n"))
    values = [(item.line, item.value) for item in reader]
    assert values == [(1, {"a": 1}), (2, {"b": 2})]
    assert [(d.line, d.reason) for d in reader.dropped] == [
        (4, "malformed-json"), (5, "not-an-object:list"), (6, "invalid-unicode"), (7, "not-utf8"), (8, "malformed-json"),
    ]  # fmt: skip
    assert "role holds a lone surrogate" in reader.dropped[2].message and "byte 0xff at column 8" in reader.dropped[3].message
    assert reader.lines == 8


def test_fallback_encodings_and_blank_lines_for_legacy_exports(tmp_path: Path) -> None:
    reader = JsonLines(write(tmp_path / "in.jsonl", b'{"t": "caf\xe9"}\n  \n{"t": "\x81"}'), encodings=("utf-8", "cp1252", "latin-1"), blank=True)
    assert [(i.line, i.value["t"], i.encoding) for i in reader] == [(1, "café", "cp1252"), (3, "\x81", "latin-1")]
    assert [(d.line, d.reason) for d in reader.dropped] == [(2, "blank-line")]


@pytest.mark.parametrize(("size", "kept"), [(63, True), (64, True), (65, False)])
def test_the_cap_is_on_the_line_without_its_ending(tmp_path: Path, size: int, kept: bool) -> None:
    line = b'{"a": "' + b"x" * (size - 9) + b'"}'
    for ending in (b"\n", b""):  # the last line may have no line ending
        reader = JsonLines(write(tmp_path / "in.jsonl", line + ending + b'{"b": 1}\n' if ending else b'{"b": 1}\n' + line), max_line_bytes=64)
        assert len(list(reader)) == (2 if kept else 1)
        assert [d.reason for d in reader.dropped] == ([] if kept else [f"line-too-long:{size}-bytes"])


def test_an_over_long_line_is_streamed_past_not_held(tmp_path: Path) -> None:
    path = tmp_path / "in.jsonl"
    with path.open("wb") as handle:
        handle.write(b'{"a": 1}\n{"x": "')
        handle.write(b"y" * HUGE)
        handle.write(b'"}\n{"b": 2}\n')
    tracemalloc.start()
    try:
        reader = JsonLines(path, max_line_bytes=4096)
        values = [item.value for item in reader]
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert values == [{"a": 1}, {"b": 2}]
    assert [(d.line, d.reason) for d in reader.dropped] == [(2, f"line-too-long:{HUGE + 9}-bytes")]
    assert peak < 1 << 20, f"held {peak:,} bytes for a {HUGE:,}-byte line"


def test_legacy_import_streams_past_an_over_long_line(tmp_path: Path) -> None:
    from train.data.legacy import ImportOptions, import_legacy

    good = {"messages": [{"role": "user", "content": "Print hello in BBj."}, {"role": "assistant", "content": '```bbj\nprint "hello"\n```'}]}
    path = tmp_path / "legacy.jsonl"
    with path.open("wb") as handle:
        handle.write(json.dumps(good).encode() + b'\n{"text": "')
        handle.write(b"z" * HUGE)
        handle.write(b'"}\n')
    tracemalloc.start()
    try:
        result = import_legacy(path, ImportOptions(max_line_bytes=1 << 16, near_dedupe=False))
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert result.outcomes[2] == ("dropped", [f"line-too-long:{HUGE + 12}-bytes"]) and result.outcomes[1][0] in ("kept", "fixed")
    assert result.input_lines == 2
    assert peak < 8 << 20, f"held {peak:,} bytes for a {HUGE:,}-byte line"


def test_a_planted_file_is_refused_before_reading(tmp_path: Path) -> None:
    (tmp_path / "zero.jsonl").symlink_to("/dev/zero")
    with pytest.raises(UnsafeFile, match="character device"):
        list(JsonLines(tmp_path / "zero.jsonl"))
