"""Build `Item`s from what the project holds: parsed examples, ChatML records, raw BBj source."""

from __future__ import annotations

import os
import subprocess
from collections.abc import Mapping
from pathlib import Path

from curate.dedupe import Item
from curate.example import Example

GIT_TIMEOUT_S = 30
MAX_LISTED_PATHS = 200  # above this, ask git about their common folder instead of each file


def example_body(example: Example) -> str:
    """The Markdown after the front matter: what is trained on (the title and tags only describe)."""
    return "\n".join(example.text.split("\n")[example.body_line - 1 :])


def explanation_length(example: Example) -> int:
    section = example.section("explanation")
    return len(section.body.strip()) if section else 0


def items_from_examples(examples: list[Example]) -> list[Item]:
    """One item per example: status and explanation length for the keeper choice, and as
    `order` the file's first commit time (one `git log` for all), else its mtime."""
    return [item_for_example(e, e.display_path, order) for e, order in zip(examples, added_times([e.path for e in examples]))]


def item_for_example(example: Example, item_id: str, order: float) -> Item:
    return Item(item_id, example_body(example), "example", example.status, explanation_length(example), order)


def added_times(paths: list[Path]) -> list[float]:
    """Per path: its first commit time, else its mtime (an uncommitted file is the newest)."""
    committed = first_commit_times(paths)
    return [committed.get(os.path.abspath(p)) or _mtime(p) for p in paths]


def _mtime(path: Path) -> float:
    try:
        return path.stat().st_mtime
    except OSError:
        return float("inf")


def first_commit_times(paths: list[Path]) -> dict[str, float]:
    """Absolute path -> Unix time of the commit that added it; {} outside git or without git."""
    if not paths:
        return {}
    absolute = [os.path.abspath(p) for p in paths]
    base = os.path.commonpath([os.path.dirname(p) for p in absolute])
    spec = [os.path.relpath(p, base) for p in absolute] if len(absolute) <= MAX_LISTED_PATHS else ["."]
    argv = [
        "git",
        "-c",
        "core.quotePath=false",
        "-C",
        base,
        "log",
        "--no-renames",
        "--diff-filter=A",
        "--format=%x00%at",
        "--name-only",
        "--relative",
        "--",
        *spec,
    ]
    try:
        result = subprocess.run(argv, capture_output=True, text=True, timeout=GIT_TIMEOUT_S, check=False)
    except (OSError, subprocess.TimeoutExpired):
        return {}
    if result.returncode != 0:
        return {}
    times: dict[str, float] = {}
    for commit in result.stdout.split("\x00")[1:]:  # newest first: older commits overwrite
        stamp, *names = commit.strip("\n").split("\n")
        for name in filter(None, names):
            times[os.path.normpath(os.path.join(base, name))] = float(stamp)
    return times


def _content(message: Mapping[str, object]) -> str:
    content = message.get("content", "")
    if isinstance(content, list):  # [{"type": "text", "text": ...}, ...]
        return "\n".join(str(part.get("text", "")) for part in content if isinstance(part, Mapping))
    return str(content or "")


def items_from_chatml(records: list[dict], ids: list[str] | None = None) -> list[Item]:
    """One item per record: the user and assistant contents (the system prompt is the same
    everywhere and would only make records look alike). `order` is the record's position."""
    if ids is not None and len(ids) != len(records):
        raise ValueError(f"{len(ids)} ids for {len(records)} records")
    items = []
    for position, record in enumerate(records):
        messages = record.get("messages") if isinstance(record, Mapping) else None
        if not isinstance(messages, list):
            raise TypeError(f"record {position}: expected {{'messages': [...]}}")
        text = "\n\n".join(_content(m) for m in messages if isinstance(m, Mapping) and m.get("role") in ("user", "assistant"))
        items.append(Item(ids[position] if ids else f"record:{position}", text, "chatml", order=float(position)))
    return items


MAX_SOURCE_BYTES = 8_000_000  # as the compile check: larger files are not BBj programs


def read_source(path: Path) -> str:
    """BBj source as text through the guarded source reader (`curate.source_text`)."""
    from curate.source_text import read_source_file

    return read_source_file(path, MAX_SOURCE_BYTES)[0]


def items_from_sources(paths: list[Path]) -> list[Item]:
    """One item per source file, in the given order (`order` is the position); an unreadable
    file raises `curate.safeio.UnsafeFile`."""
    return [Item(Path(p).as_posix(), read_source(Path(p)), "source", order=float(position)) for position, p in enumerate(paths)]
