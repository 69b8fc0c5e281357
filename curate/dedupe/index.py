"""The persisted dedupe index: one `index.npz` (no pickle) in the cache folder holding, per item,
its MinHash signature, its zlib-compressed normalized text (to confirm a match without the
source at hand) and what the keeper choice needs. Updated incrementally: only new or changed
items are signed again. Written atomically (temp file + rename), so a crash mid-save leaves the
previous index; an unreadable, stale-format or differently-configured file is rebuilt with a
warning in `warnings`.

The query path never imports datasketch (its import pulls in scipy, about a second, too slow
for a pre-commit hook): it compares one signature against every stored row with numpy, which
at 10,000 x 128 takes about a millisecond and misses less than LSH banding would."""

from __future__ import annotations

import hashlib
import io
import json
import os
import time
import zipfile
import zlib
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from curate.atomic import write_bytes_atomic
from curate.dedupe import DedupeConfig, Item, Pair
from curate.dedupe.cluster import SEED, confirm, normalized_digest, prepare, scan
from curate.dedupe.normalize import NORMALIZER_VERSION, shingles
from curate.dedupe.signature import SCHEME

FORMAT_VERSION = 1
INDEX_FILE = "index.npz"
STALE_TEMP_S = 600  # a leftover temp file this old is from a killed writer, not a live one


@dataclass
class Entry:
    id: str
    digest: str  # of kind + raw text: unchanged digest, no new signature
    normalized_digest: str  # equal for exact duplicates
    kind: str
    status: str | None
    richness: int
    order: float
    fingerprint: tuple[int, int] | None  # (size, mtime_ns) of a file item, for a cheap refresh

    def row(self) -> list[object]:
        return [self.id, self.digest, self.normalized_digest, self.kind, self.status, self.richness, self.order, list(self.fingerprint or ())]

    def as_item(self) -> Item:
        return Item(self.id, "", self.kind, self.status, self.richness, self.order)


def item_digest(item: Item) -> str:
    return hashlib.blake2b(f"{item.kind}\0{item.text}".encode(), digest_size=16).hexdigest()


class DedupeIndex:
    """Signatures keyed by item id and content digest; see the module docstring."""

    def __init__(self, path: Path, config: DedupeConfig):
        self.path = path
        self.config = config
        self.warnings: list[str] = []
        self.saved_ns = 0  # when the loaded file was written (for racy stat fingerprints)
        self._entries: dict[str, Entry] = {}
        self._signatures: dict[str, np.ndarray] = {}
        self._texts: dict[str, bytes] = {}
        self._matrix: tuple[list[str], np.ndarray] | None = None
        self._dirty = False

    @classmethod
    def open(cls, folder: Path, config: DedupeConfig | None = None) -> DedupeIndex:
        index = cls(Path(folder) / INDEX_FILE, config or DedupeConfig())
        if index.path.exists():
            try:
                index._load()
            except (OSError, ValueError, KeyError, TypeError, EOFError, zipfile.BadZipFile, zlib.error) as exc:
                index._reset(f"dedupe index {index.path} is unreadable ({exc.__class__.__name__}: {exc}); rebuilding it")
        return index

    def _header(self) -> dict[str, object]:
        return {"format": FORMAT_VERSION, "normalizer": NORMALIZER_VERSION, "scheme": SCHEME, "seed": SEED, "num_perm": self.config.num_perm, "shingle_size": self.config.shingle_size}

    def _reset(self, warning: str) -> None:
        self.warnings.append(warning)
        self._entries, self._signatures, self._texts, self._matrix = {}, {}, {}, None
        self._dirty = True

    def _load(self) -> None:
        with np.load(self.path, allow_pickle=False) as data:
            header = json.loads(data["header"].tobytes())
            if {k: header.get(k) for k in self._header()} != self._header():
                self._reset(f"dedupe index {self.path} was built with other settings or an older format; rebuilding it")
                return
            rows = json.loads(data["entries"].tobytes())
            signatures, offsets, blob = data["signatures"], data["offsets"], data["texts"].tobytes()
        if signatures.shape != (len(rows), self.config.num_perm) or signatures.dtype != np.uint32 or len(offsets) != len(rows) + 1:
            raise ValueError("arrays do not match the entry list")
        self.saved_ns = int(header.get("saved_ns", 0))
        for position, row in enumerate(rows):
            entry = Entry(*row[:7], tuple(row[7]) if row[7] else None)
            self._entries[entry.id] = entry
            self._signatures[entry.id] = signatures[position]
            self._texts[entry.id] = blob[offsets[position] : offsets[position + 1]]
        self._matrix = (list(self._entries), signatures)

    def __len__(self) -> int:
        return len(self._entries)

    def ids(self) -> list[str]:
        return sorted(self._entries)

    def entry(self, item_id: str) -> Entry | None:
        return self._entries.get(item_id)

    def update(self, items: Iterable[Item], *, keep: Iterable[str] = (), fingerprints: dict[str, tuple[int, int]] | None = None) -> list[str]:
        """Make the index hold exactly `items` plus the ids in `keep` (left as they are): new or
        changed items are signed, metadata of the others refreshed, everything else dropped.
        Returns the ids that were (re)signed."""
        wanted = {item.id: item for item in items}
        fingerprints = fingerprints or {}
        retained = set(wanted) | {i for i in keep if i in self._entries}
        for gone in set(self._entries) - retained:
            self._drop(gone)
        stale: list[Item] = []
        for item in wanted.values():
            entry = self._entries.get(item.id)
            if entry is None or entry.digest != item_digest(item):
                stale.append(item)
                continue
            refreshed = Entry(entry.id, entry.digest, entry.normalized_digest, item.kind, item.status, item.richness, item.order, fingerprints.get(item.id, entry.fingerprint))
            if refreshed != entry:
                self._entries[item.id] = refreshed
                self._dirty = True
        prepared = prepare(stale, self.config)
        for item in stale:
            self._drop(item.id)  # an item that normalizes to nothing is not indexed
        for position, item in enumerate(prepared.items):
            normalized = prepared.normalized[position]
            self._entries[item.id] = Entry(item.id, item_digest(item), normalized_digest(normalized), item.kind, item.status, item.richness, item.order, fingerprints.get(item.id))
            self._signatures[item.id] = prepared.signatures[position]
            self._texts[item.id] = zlib.compress(normalized.encode("utf-8"), 1)
        if stale:
            self._dirty, self._matrix = True, None
        return [item.id for item in prepared.items]

    def _drop(self, item_id: str) -> None:
        if self._entries.pop(item_id, None) is not None:
            del self._signatures[item_id], self._texts[item_id]
            self._dirty, self._matrix = True, None

    def _stacked(self) -> tuple[list[str], np.ndarray]:
        if self._matrix is None:
            ids = list(self._entries)
            matrix = np.stack([self._signatures[i] for i in ids]) if ids else np.empty((0, self.config.num_perm), dtype=np.uint32)
            self._matrix = (ids, matrix)
        return self._matrix

    def normalized_text(self, item_id: str) -> str:
        return zlib.decompress(self._texts[item_id]).decode("utf-8")

    def query(self, items: Iterable[Item]) -> list[Pair]:
        """Confirmed pairs (a = a queried item, b = an indexed item other than a itself)."""
        prepared = prepare(list(items), self.config)
        ids, matrix = self._stacked()
        found: list[Pair] = []
        for position, item in enumerate(prepared.items):
            for row in scan(prepared.signatures[position], matrix, self.config):
                other = ids[row]
                if other == item.id:
                    continue
                text = self.normalized_text(other)
                result = confirm(prepared.normalized[position], prepared.shingle_sets[position], text, shingles(text, self.config.shingle_size), self.config)
                if result:
                    found.append(Pair(item.id, other, round(result[0], 4), round(result[1], 4)))
        return sorted(found, key=lambda p: (p.a, p.b))

    def save(self) -> bool:
        """Write the index if it changed (atomically); True when it wrote."""
        if not self._dirty:
            return False
        ids, matrix = self._stacked()
        blobs = [self._texts[i] for i in ids]
        offsets = np.concatenate(([0], np.cumsum([len(b) for b in blobs], dtype=np.int64)))
        rows = [self._entries[i].row() for i in ids]
        header = {**self._header(), "saved_ns": time.time_ns()}
        buffer = io.BytesIO()
        np.savez(
            buffer,
            header=np.frombuffer(json.dumps(header).encode(), dtype=np.uint8),
            entries=np.frombuffer(json.dumps(rows).encode(), dtype=np.uint8),
            signatures=matrix,
            offsets=offsets,
            texts=np.frombuffer(b"".join(blobs), dtype=np.uint8),
        )
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self._remove_stale_temps()
        write_bytes_atomic(self.path, buffer.getvalue())
        self._dirty = False
        return True

    def _remove_stale_temps(self) -> None:
        cutoff = time.time() - STALE_TEMP_S
        for leftover in self.path.parent.glob(f".{INDEX_FILE}.*.tmp"):
            try:
                if leftover.stat().st_mtime < cutoff:
                    leftover.unlink()
            except OSError:
                pass
