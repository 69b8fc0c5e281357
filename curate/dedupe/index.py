"""The persisted dedupe index, in the cache folder: per item its MinHash signature, its
zlib-compressed normalized text (to confirm a match without the source at hand) and what the
keeper choice needs. Only new or changed items (by content digest) are signed again.

Two files, like git's split index: `index.bin` holds a full snapshot and `index.delta` the
changes since (items added or changed, ids removed), tied to the snapshot by its CRC. A hook
run that changes one file rewrites only the small delta; once the delta outgrows
COMPACT_SHARE of the snapshot a new snapshot is written and the delta deleted. Both are written
atomically (temp file + rename). A damaged, stale-format or differently-configured snapshot is
rebuilt with a warning; an unusable delta is ignored, which is always safe: what it recorded
no longer matches the snapshot's digests and fingerprints, so those items are read again.

The query path never imports datasketch (its import pulls in scipy, about a second, too slow
for a pre-commit hook): it compares a signature with every stored row in numpy, about a
millisecond at 10,000 x 128, and misses less than LSH banding would."""

from __future__ import annotations

import fcntl
import hashlib
import time
import zlib
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from curate.atomic import write_bytes_atomic
from curate.dedupe import DedupeConfig, Item, Pair
from curate.dedupe.cluster import SEED, confirm_within, normalized_digest, prepare, scan
from curate.dedupe.normalize import NORMALIZER_VERSION, shingles
from curate.dedupe.signature import SCHEME
from curate.dedupe.store import Stored, decode, empty, encode, read_header
from curate.safeio import UnsafeFile, read_guarded

FORMAT_VERSION = 1
INDEX_FILE, DELTA_FILE = "index.bin", "index.delta"
COMPACT_MIN, COMPACT_SHARE = 256, 0.1  # delta size (entries) that triggers a new snapshot
LOCK_FILE = ".lock"  # held by a writer while it writes (so leftover temp files are a dead writer's)
MAX_INDEX_BYTES = 4 << 30  # far above 100,000 examples; a link to /dev/zero stops here


@dataclass(slots=True)
class Entry:
    id: str
    digest: str  # of kind + raw text: an unchanged digest needs no new signature
    normalized_digest: str  # equal for exact duplicates
    kind: str
    status: str | None
    richness: int
    order: float
    fingerprint: tuple[int, int] | None  # (size, mtime_ns) of a file item, for a cheap refresh

    @classmethod
    def from_row(cls, row: list[Any]) -> Entry:
        item_id, digest, normalized, kind, status, richness, order, fingerprint = row
        return cls(item_id, digest, normalized, kind, status, richness, order, (fingerprint[0], fingerprint[1]) if fingerprint else None)

    def row(self) -> list[object]:
        return [self.id, self.digest, self.normalized_digest, self.kind, self.status, self.richness, self.order, list(self.fingerprint or ())]

    def as_item(self) -> Item:
        return Item(self.id, "", self.kind, self.status, self.richness, self.order)


def item_digest(item: Item) -> str:
    return hashlib.blake2b(f"{item.kind}\0{item.text}".encode(), digest_size=16).hexdigest()


class DedupeIndex:
    """A snapshot (`_base`) plus an overlay of changes (`_upserts`, `_removed`)."""

    def __init__(self, folder: Path, config: DedupeConfig):
        self.folder = Path(folder)
        self.config = config
        self.warnings: list[str] = []
        self.over_budget: list[str] = []  # ids left out: their work ran past config.item_budget
        self.saved_ns = 0  # when the index was last written (for racy stat fingerprints)
        self._base: Stored = empty(config.num_perm)
        self._base_crc: int | None = None
        self._position: dict[str, int] = {}
        self._upserts: dict[str, tuple[Entry, np.ndarray, bytes]] = {}
        self._removed: set[str] = set()  # snapshot ids dropped or superseded by an upsert
        self._matrix: tuple[list[str], np.ndarray] | None = None
        self._dirty = False

    @property
    def path(self) -> Path:
        return self.folder / INDEX_FILE

    @classmethod
    def open(cls, folder: Path, config: DedupeConfig | None = None) -> DedupeIndex:
        index = cls(folder, config or DedupeConfig())
        index._load()
        return index

    def _settings(self) -> dict[str, object]:
        return {
            "format": FORMAT_VERSION,
            "normalizer": NORMALIZER_VERSION,
            "scheme": SCHEME,
            "seed": SEED,
            "num_perm": self.config.num_perm,
            "shingle_size": self.config.shingle_size,
        }

    def _read(self, path: Path) -> Stored | str:
        """The file's content, or why it cannot be used."""
        try:
            raw = read_guarded(path, MAX_INDEX_BYTES, self.folder)
            header = read_header(raw)
            if {k: header.get(k) for k in self._settings()} != self._settings():
                return "was built with other settings or an older format"
            return decode(raw, header, self.config.num_perm)
        except UnsafeFile as exc:
            return f"is unreadable ({exc.message})"
        except (OSError, ValueError, KeyError, TypeError, IndexError) as exc:
            return f"is unreadable ({exc.__class__.__name__}: {exc})"

    def _load(self) -> None:
        if not self.path.exists():
            self._dirty = True
            return
        base = self._read(self.path)
        if isinstance(base, str):
            self.warnings.append(f"dedupe index {self.path} {base}; rebuilding it")
            self._dirty = True
            return
        self._base, self._base_crc = base, int(base.header["crc32"])  # type: ignore[call-overload]
        self._position = {str(row[0]): n for n, row in enumerate(base.rows)}
        self.saved_ns = int(base.header.get("saved_ns", 0))  # type: ignore[call-overload]
        delta_path = self.folder / DELTA_FILE
        delta = self._read(delta_path) if delta_path.exists() else None
        if isinstance(delta, Stored) and delta.header.get("base_crc32") == self._base_crc:
            self._removed = {str(i) for i in delta.header.get("removed", [])}  # type: ignore[attr-defined]
            for n, row in enumerate(delta.rows):
                entry = Entry.from_row(row)
                self._upserts[entry.id] = (entry, delta.signatures[n], delta.text(n))
            self.saved_ns = int(delta.header.get("saved_ns", 0))  # type: ignore[call-overload]

    def __len__(self) -> int:
        return len(self._position) - len(self._removed) + len(self._upserts)

    def _live(self) -> set[str]:
        return (set(self._position) - self._removed) | set(self._upserts)

    def ids(self) -> list[str]:
        return sorted(self._live())

    def entry(self, item_id: str) -> Entry | None:
        if item_id in self._upserts:
            return self._upserts[item_id][0]
        position = self._position.get(item_id)
        return None if position is None or item_id in self._removed else Entry.from_row(self._base.rows[position])

    def fingerprint(self, item_id: str) -> tuple[int, int] | None:
        """The stored (size, mtime_ns) of a file item: the hook's cheap change test."""
        if item_id in self._upserts:
            return self._upserts[item_id][0].fingerprint
        position = self._position.get(item_id)
        if position is None or item_id in self._removed:
            return None
        stored = self._base.rows[position][7]
        return (stored[0], stored[1]) if stored else None  # type: ignore[index]

    def _stored(self, item_id: str) -> tuple[np.ndarray, bytes]:
        if item_id in self._upserts:
            return self._upserts[item_id][1], self._upserts[item_id][2]
        position = self._position[item_id]
        return self._base.signatures[position], self._base.text(position)

    def _put(self, entry: Entry, signature: np.ndarray, text: bytes) -> None:
        self._upserts[entry.id] = (entry, signature, text)
        if entry.id in self._position:
            self._removed.add(entry.id)
        self._dirty, self._matrix = True, None

    def _drop(self, item_id: str) -> None:
        self._upserts.pop(item_id, None)
        if item_id in self._position:
            self._removed.add(item_id)
        self._dirty, self._matrix = True, None

    def update(self, items: Iterable[Item], *, keep: Iterable[str] = (), fingerprints: dict[str, tuple[int, int]] | None = None) -> list[str]:
        """Make the index hold exactly `items` plus the ids in `keep` (left as they are): new or
        changed items are signed, metadata of the others refreshed, everything else dropped.
        Returns the ids that were (re)signed."""
        wanted = {item.id: item for item in items}
        fingerprints = fingerprints or {}
        live = self._live()
        for gone in live - set(wanted) - set(keep):
            self._drop(gone)
        stale: list[Item] = []
        for item in wanted.values():
            entry = self.entry(item.id)
            if entry is None or entry.digest != item_digest(item):
                stale.append(item)
                continue
            refreshed = Entry(
                entry.id, entry.digest, entry.normalized_digest, item.kind, item.status, item.richness, item.order, fingerprints.get(item.id, entry.fingerprint)
            )
            if refreshed != entry:
                self._put(refreshed, *self._stored(item.id))
        prepared = prepare(stale, self.config)
        self.over_budget.extend(item.id for item in prepared.over_budget)
        signed = {item.id for item in prepared.items}
        for item in stale:
            if item.id not in signed and self.entry(item.id) is not None:
                self._drop(item.id)  # an item that now normalizes to nothing leaves the index
        for position, item in enumerate(prepared.items):
            normalized = prepared.normalized[position]
            entry = Entry(
                item.id, item_digest(item), normalized_digest(normalized), item.kind, item.status, item.richness, item.order, fingerprints.get(item.id)
            )
            self._put(entry, prepared.signatures[position], zlib.compress(normalized.encode("utf-8"), 6))
        return sorted(signed)

    def _stacked(self) -> tuple[list[str], np.ndarray]:
        """Every live id and its signature row, for a vectorized scan."""
        if self._matrix is None:
            keep = [n for n, row in enumerate(self._base.rows) if row[0] not in self._removed] if self._removed else None
            base_ids = [str(row[0]) for row in self._base.rows]
            ids = base_ids if keep is None else [base_ids[n] for n in keep]
            matrix = self._base.signatures if keep is None else self._base.signatures[keep]
            if self._upserts:
                ids = ids + list(self._upserts)
                matrix = np.concatenate([matrix, np.stack([s for _, s, _ in self._upserts.values()])])
            self._matrix = (ids, matrix)
        return self._matrix

    def normalized_text(self, item_id: str) -> str:
        return zlib.decompress(self._stored(item_id)[1]).decode("utf-8")

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
                result = confirm_within(prepared, position, text, shingles(text, self.config.shingle_size), self.config)
                if result:
                    found.append(Pair(item.id, other, round(result[0], 4), round(result[1], 4)))
        self.over_budget.extend(item.id for item in prepared.over_budget)
        return sorted(found, key=lambda p: (p.a, p.b))

    def save(self) -> bool:
        """Write what changed (atomically): the delta, or a new snapshot. True when it wrote.
        Writers hold the folder's lock, so the temp files found under it are a killed writer's
        and are removed. A cache folder that cannot be written (a file in its place, a folder
        named like the index, no permission) only costs the cache: a warning, as the compile
        cache does, never a failed check."""
        if not self._dirty:
            return False
        try:
            self.folder.mkdir(parents=True, exist_ok=True)
            with open(self.folder / LOCK_FILE, "a+b") as lock:
                fcntl.flock(lock, fcntl.LOCK_EX)
                self._remove_stale_temps()
                return self._write()
        except OSError as exc:
            self.warnings.append(f"dedupe index not saved in {self.folder} ({exc.strerror or exc.__class__.__name__}); ran without the cache")
            self._dirty = False
            return False

    def _write(self) -> bool:
        if not (self.folder / ".gitignore").exists():  # `git add -A` must never pick up a cache
            write_bytes_atomic(self.folder / ".gitignore", b"# a cache written by bbj-curate: never commit it\n*\n")
        self.saved_ns = time.time_ns()
        header = {**self._settings(), "saved_ns": self.saved_ns}
        overlay = len(self._upserts) + len(self._removed - set(self._upserts))
        if self._base_crc is not None and overlay <= max(COMPACT_MIN, COMPACT_SHARE * len(self._position)):
            entries = list(self._upserts.values())
            signatures = np.stack([s for _, s, _ in entries]) if entries else np.empty((0, self.config.num_perm), dtype=np.uint32)
            delta_header = {**header, "base_crc32": self._base_crc, "removed": sorted(self._removed)}
            write_bytes_atomic(self.folder / DELTA_FILE, encode(delta_header, [e.row() for e, _, _ in entries], signatures, [t for _, _, t in entries]))
        else:
            ids, matrix = self._stacked()
            rows = [self.entry(i).row() for i in ids]  # type: ignore[union-attr]
            texts = [self._stored(i)[1] for i in ids]
            data = encode(header, rows, matrix, texts)
            write_bytes_atomic(self.path, data)
            (self.folder / DELTA_FILE).unlink(missing_ok=True)  # a crash before this leaves a delta the new CRC disowns
            self._base = decode(data, read_header(data), self.config.num_perm)
            self._base_crc = int(self._base.header["crc32"])  # type: ignore[call-overload]
            self._position = {i: n for n, i in enumerate(ids)}
            self._upserts, self._removed, self._matrix = {}, set(), None
        self._dirty = False
        return True

    def _remove_stale_temps(self) -> None:
        """Under the lock no live writer has a temp file open: every one left is a killed
        writer's (69 MB after 9 kills in the audit)."""
        for leftover in self.folder.glob(".*.tmp"):
            try:
                leftover.unlink()
            except OSError:
                pass
