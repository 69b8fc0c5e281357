"""Change a few front matter keys while every other byte of the file stays as it was.

Reviewers' files carry comments, key order and quoting that matter to them, so the review TUI
never re-dumps the YAML: it replaces the lines of the keys it changes (keeping a trailing
`# comment`), inserts missing keys just before the closing `---`, and then re-parses the result
to prove that only those keys changed."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import yaml

from curate.errors import CurateError
from curate.frontmatter_yaml import FrontMatterError, SafeLoader, load_front_matter

FENCE = "---"
CLOSERS = ("---", "...")
UNLIMITED_WIDTH = 2**31 - 1


class FrontMatterEditError(CurateError):
    """The file's front matter cannot be edited safely; the message says why."""


def scalar_yaml(value: Any) -> str:
    """One value on one line, quoted by PyYAML exactly as much as it needs (notes, dates, 'yes')."""
    dumped = yaml.safe_dump(value, allow_unicode=True, default_flow_style=True, width=UNLIMITED_WIDTH)
    text = dumped.strip().removesuffix("...").strip()
    if "\n" in text and isinstance(value, str):
        text = yaml.safe_dump(value, allow_unicode=True, default_style='"', width=UNLIMITED_WIDTH).strip()
    if "\n" in text:
        raise FrontMatterEditError(f"cannot write {value!r} on one front matter line")
    return text


def _split(data: bytes) -> tuple[str, list[str], int, str]:
    """(byte order mark, lines with their endings, index of the closing line, newline style)."""
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        raise FrontMatterEditError("the file is not valid UTF-8") from None
    bom = "\ufeff" if text.startswith("\ufeff") else ""
    lines = text[len(bom) :].splitlines(keepends=True)
    if not lines or lines[0].rstrip() != FENCE:
        raise FrontMatterEditError("the file does not start with a '---' front matter line")
    close = next((i for i in range(1, len(lines)) if lines[i].rstrip() in CLOSERS), None)
    if close is None:
        raise FrontMatterEditError("the front matter has no closing '---' line")
    newline = "\r\n" if lines[0].endswith("\r\n") else "\n"
    return bom, lines, close, newline


def _key_spans(front: list[str]) -> dict[str, tuple[int, int, int]]:
    """For each top-level key: (first line, end line exclusive, column where its value ends)."""
    source = "".join(line.rstrip("\r\n") + "\n" for line in front)
    try:
        node = yaml.compose(source, Loader=SafeLoader) if source.strip() else None
    except yaml.YAMLError as exc:
        raise FrontMatterEditError(f"the front matter is not valid YAML: {exc}") from None
    if node is None:
        return {}
    if not isinstance(node, yaml.MappingNode):
        raise FrontMatterEditError("the front matter is not a mapping of keys to values")
    spans: dict[str, tuple[int, int, int]] = {}
    for key_node, value_node in node.value:
        start = key_node.start_mark.line
        end_mark = value_node.end_mark
        end = end_mark.line if end_mark.column == 0 and end_mark.line > start else end_mark.line + 1
        while end - 1 > start and not front[end - 1].strip():
            end -= 1
        if key_node.start_mark.column != 0:
            raise FrontMatterEditError("the front matter layout is not supported by the editor (a key not at the start of its line)")
        spans[str(key_node.value)] = (start, end, end_mark.column if end - start == 1 else -1)
    return spans


def _trailing_comment(line: str, value_end: int) -> str:
    rest = line.rstrip("\r\n")[value_end:] if value_end >= 0 else ""
    return rest if rest.strip().startswith("#") else ""


def _replaced(front: list[str], updates: Mapping[str, Any], newline: str) -> list[str]:
    spans = _key_spans(front)
    out = list(front)
    removals: list[tuple[int, int, list[str]]] = []
    appended: list[str] = []
    for key, value in updates.items():
        span = spans.get(key)
        if value is None:
            if span:
                removals.append((span[0], span[1], []))
            continue
        if span is None:
            appended.append(f"{key}: {scalar_yaml(value)}{newline}")
            continue
        start, end, value_end = span
        comment = _trailing_comment(front[start], value_end) if end - start == 1 else ""
        ending = newline if front[end - 1].endswith("\n") else ""
        removals.append((start, end, [f"{key}: {scalar_yaml(value)}{comment}{ending}"]))
    for start, end, replacement in sorted(removals, reverse=True):
        out[start:end] = replacement
    if appended and out and not out[-1].endswith("\n"):
        out[-1] += newline
    return out + appended


def update_front_matter(data: bytes, updates: Mapping[str, Any]) -> bytes:
    """Return `data` with each key in `updates` set (a None value removes the key); values are
    plain strings, numbers, booleans or lists of those, written in YAML flow style.

    Raises FrontMatterEditError when the front matter cannot be parsed, or when re-reading the
    result shows any change other than the requested keys (never writes a surprise)."""
    bom, lines, close, newline = _split(data)
    try:
        before, *_ = load_front_matter("".join(lines).replace("\r\n", "\n"))
    except FrontMatterError as exc:
        raise FrontMatterEditError(exc.message) from None
    front = _replaced(lines[1:close], updates, newline)
    result = bom + lines[0] + "".join(front) + "".join(lines[close:])
    expected = {k: v for k, v in before.items() if k not in updates}
    expected.update({k: v for k, v in updates.items() if v is not None})
    try:
        after, *_ = load_front_matter(result[len(bom) :].replace("\r\n", "\n"))
    except FrontMatterError as exc:
        raise FrontMatterEditError(f"the edit would break the front matter: {exc.message}") from None
    if after != expected:
        raise FrontMatterEditError("the front matter layout is not supported by the editor; edit the file by hand")
    return result.encode("utf-8")
