"""Every example's title (as BBJ208 compares it), for the set-level title check at commit time.
Parsing 10,000 files on every `git commit` would cost seconds, so the keys are cached under the
cache folder by file fingerprint (size, mtime): a commit reads only the files that changed. A
plain `title:` line is read from the file's first bytes; a title that needs YAML to read
(quoted, a block scalar) is read by loading the file."""

from __future__ import annotations

import json
import os
import re
import stat
from pathlib import Path

from curate.atomic import write_text_atomic
from curate.config import CurateConfig
from curate.discover import walk_examples
from curate.example import load_example
from curate.safeio import UnsafeFile, read_json_guarded

TITLE_LINE = re.compile(rb"^title:[ \t]*(.*?)[ \t]*$", re.MULTILINE)
HEAD_BYTES = 4096  # the front matter comes first
VERSION = 1
CACHE_LIMIT = 256 << 20


def read_title_key(path: Path) -> str:
    """The BBJ208 key of a file's title, '' when it has none or cannot be read (bbj-validate
    reports such a file). Opened non-blocking, regular files only: a FIFO never stalls."""
    from curate.rules.metadata import title_key

    try:
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK)
        with os.fdopen(fd, "rb") as handle:
            head = handle.read(HEAD_BYTES) if stat.S_ISREG(os.fstat(fd).st_mode) else b""
    except OSError:
        return ""
    found = TITLE_LINE.search(head)
    raw = found.group(1).decode("utf-8", "replace") if found else ""
    if raw and raw[0] not in "'\"|>&*!{[#" and " #" not in raw:
        return title_key(raw)
    if not head:
        return ""
    example, _ = load_example(path)
    return title_key(example.title) if example is not None else ""


def set_titles(config: CurateConfig) -> dict[str, str]:
    """Path -> title key of every example under the data root, refreshing the cache."""
    cache = config.cache_subdir("titles.json")
    try:
        cached = read_json_guarded(cache, CACHE_LIMIT, cache.parent)  # a planted FIFO or device link: rebuilt, never read
        entries = cached["entries"] if cached.get("version") == VERSION else {}
    except (UnsafeFile, ValueError, KeyError, TypeError, AttributeError):
        entries = {}
    fresh: dict[str, list[object]] = {}
    for item_id, path, fingerprint in walk_examples(config.root / config.data_root, config):
        entry = entries.get(item_id)
        if isinstance(entry, list) and len(entry) == 3 and entry[0] == list(fingerprint) and entry[1] == path:
            fresh[item_id] = entry
        else:
            fresh[item_id] = [list(fingerprint), path, read_title_key(Path(path))]
    if fresh != entries:
        try:
            write_text_atomic(cache, json.dumps({"version": VERSION, "entries": fresh}))
        except OSError:
            pass  # a read-only cache folder only costs the next run its speed
    return {str(entry[1]): str(entry[2]) for entry in fresh.values()}
