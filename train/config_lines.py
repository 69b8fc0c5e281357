"""Where a key of a TOML config is written, so a config diagnostic names the line to edit
(the run config of `bbj-train run` and the eval config of `bbj-train eval` both use it)."""

from __future__ import annotations

import re
import tomllib
from collections.abc import Sequence

_TABLE = re.compile(r"\[([^\[\]]+)\]\s*(#.*)?")
_ARRAY_TABLE = re.compile(r"\[\[([^\[\]]+)\]\]\s*(#.*)?")
_ASSIGNMENT = re.compile(r"([A-Za-z0-9_.\-\"' ]+?)\s*=")


def key_line(text: str, location: Sequence[str | int]) -> int:
    """The line where the key at `location` (dotted parts; an int is the n-th `[[table]]`) is
    set: `key = ...` inside its `[table]`, a dotted `table.key = ...`, or the `[table]` header;
    when the key itself is not written (left at its default), its nearest written table's line.
    0 when nothing of it is in the file (a required key left out)."""
    written: dict[str, int] = {}
    arrays: dict[str, int] = {}
    table = ""
    for number, raw in enumerate(text.splitlines(), start=1):
        line = raw.strip()
        if array := _ARRAY_TABLE.fullmatch(line):
            name = dotted(array.group(1))
            arrays[name] = arrays.get(name, -1) + 1
            table = f"{name}.{arrays[name]}"
            written.setdefault(name, number)
            written.setdefault(table, number)
        elif header := _TABLE.fullmatch(line):
            table = dotted(header.group(1))
            written.setdefault(table, number)
        elif assignment := _ASSIGNMENT.match(line):
            parts = [*table.split("."), *dotted(assignment.group(1)).split(".")] if table else dotted(assignment.group(1)).split(".")
            for depth in range(1, len(parts) + 1):
                written.setdefault(".".join(parts[:depth]), number)
    keys = [str(part) for part in location]
    for depth in range(len(keys), 0, -1):
        found = written.get(".".join(keys[:depth]))
        if found is not None:
            return found
    return 0


def dotted(key: str) -> str:
    """A TOML key as written (`a . "b"`) in its plain dotted form (`a.b`)."""
    return ".".join(part.strip().strip("\"'") for part in key.split("."))


def toml_error_line(error: tomllib.TOMLDecodeError) -> int:
    """The line tomllib names in its message (`... (at line 3, column 5)`), else 0."""
    match = re.search(r"line (\d+)", str(error))
    return int(match.group(1)) if match else 0
