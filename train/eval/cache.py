"""The resumable completion cache: one JSON line per finished completion, keyed by (model
identity, conversation, sample, seed, decoding parameters). Appended and flushed as each
completion ends, so an eval killed half way resumes where it stopped and, with deterministic
decoding or a seeded server, gives the same report. A torn last line (the kill) is ignored.
Failed generations (`error`, `timeout`) are not cached: a rerun tries them again."""

from __future__ import annotations

import hashlib
import json
import threading
from pathlib import Path
from typing import Any

from train.eval.client import Completion


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
        if path is not None and path.is_file():
            with open(path, encoding="utf-8", errors="replace") as handle:
                for line in handle:
                    try:
                        data = json.loads(line)
                        self.entries[str(data["key"])] = Completion.from_json(data["completion"])
                    except (ValueError, KeyError, TypeError):
                        continue  # a line torn by a kill
        self._handle = None
        if path is not None:
            path.parent.mkdir(parents=True, exist_ok=True)
            self._handle = open(path, "a", encoding="utf-8")  # noqa: SIM115 - kept open for appends, closed in close()

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
