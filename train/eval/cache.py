"""The resumable completion cache: one JSON line per finished completion, keyed by (model
identity, conversation, sample, seed, decoding parameters). Appended and flushed as each
completion ends, so an eval killed half way resumes where it stopped and, with deterministic
decoding or a seeded server, gives the same report. A torn last line (the kill) is ignored.
Failed generations (`error`, `timeout`) are not cached: a rerun tries them again."""

from __future__ import annotations

import hashlib
import json
import os
import threading
from pathlib import Path
from typing import Any

from curate.jsonl import JsonLines
from curate.safeio import UnsafeFile, printable_path
from train.eval.client import Completion

CACHE_LIMIT = 1 << 30


def cache_key(model: dict[str, Any], messages: list[dict[str, str]], sample: int, seed: int, params: dict[str, Any]) -> str:
    payload = {"model": model, "messages": messages, "sample": sample, "seed": seed, "params": params}
    return hashlib.sha256(json.dumps(payload, sort_keys=True, ensure_ascii=False).encode("utf-8")).hexdigest()


class CompletionCache:
    """`get(key)` / `put(key, completion)`; `path=None` keeps nothing (`--no-cache`)."""

    def __init__(self, path: Path | None) -> None:
        self.path = path
        self.entries: dict[str, Completion] = {}
        self.hits = 0
        self._lock = threading.Lock()
        self.warning: str | None = None
        self._handle = None
        if path is not None and os.path.lexists(path):
            try:
                self._load(path)
            except UnsafeFile as exc:  # a planted FIFO or device link: run without the cache, as the compile cache does
                self.warning = f"completion cache {printable_path(path)} not used: {exc.message}"
                return
        if path is not None:
            path.parent.mkdir(parents=True, exist_ok=True)
            self._handle = open(path, "a", encoding="utf-8")  # noqa: SIM115 - kept open for appends, closed in close()

    def _load(self, path: Path) -> None:
        """Entries of the cache file; lines torn by a kill (or otherwise unreadable) are skipped."""
        for item in JsonLines(path, limit=CACHE_LIMIT, max_line_bytes=CACHE_LIMIT):
            try:
                self.entries[str(item.value["key"])] = Completion.from_json(item.value["completion"])
            except (ValueError, KeyError, TypeError):
                continue

    def get(self, key: str) -> Completion | None:
        found = self.entries.get(key)
        if found is not None:
            self.hits += 1
        return found

    def put(self, key: str, completion: Completion) -> None:
        if completion.status != "ok":
            return
        with self._lock:
            self.entries[key] = completion
            if self._handle is not None:
                self._handle.write(json.dumps({"key": key, "completion": completion.to_json()}, ensure_ascii=False) + "\n")
                self._handle.flush()

    def close(self) -> None:
        if self._handle is not None:
            self._handle.close()
            self._handle = None
