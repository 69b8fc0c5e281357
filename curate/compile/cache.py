"""The verdict cache: one SQLite file, `<cache-dir>/compile/verdicts.sqlite3`, so unchanged
programs are never checked twice.

A key is the sha256 of the cache format, the checker's identity and version, and every file's
name and code. A verdict stores findings with physical lines, so the mapping to Markdown lines
is redone on every run. SQLite gives atomic, concurrent-safe writes (hooks may run in
parallel); an entry that does not decode is a miss and is rewritten, a file that is not a
database is replaced, and a cache that cannot be written at all only costs speed."""

from __future__ import annotations

import hashlib
import json
import sqlite3
from collections.abc import Iterable
from pathlib import Path

from curate.compile.checkers import Checker
from curate.compile.program import Finding, Program

CACHE_FORMAT = 1
DB_NAME = "verdicts.sqlite3"
BATCH = 500


def verdict_key(program: Program, checker: Checker) -> str:
    payload = [CACHE_FORMAT, checker.identity, checker.version, [[f.name, f.text] for f in program.files]]
    data = json.dumps(payload, ensure_ascii=False, separators=(",", ":")).encode("utf-8", "surrogatepass")
    return hashlib.sha256(data).hexdigest()


class VerdictCache:
    """Reads and writes verdicts in batches; `problem` says why it is disabled, if it is."""

    def __init__(self, folder: Path) -> None:
        self.path = folder / DB_NAME
        self.problem: str | None = None
        self._db: sqlite3.Connection | None = None
        try:
            folder.mkdir(parents=True, exist_ok=True)
            self._db = self._open()
        except (OSError, sqlite3.OperationalError) as exc:  # unwritable, locked: run without it
            self.problem = f"compile cache disabled ({self.path}): {exc}"
        except sqlite3.DatabaseError:  # not a database, or a malformed one: start afresh
            self._db = self._replace_broken_file()

    def _open(self) -> sqlite3.Connection:
        db = sqlite3.connect(self.path, timeout=30, isolation_level=None, check_same_thread=False)
        try:
            db.execute("PRAGMA journal_mode=WAL")
            db.execute("CREATE TABLE IF NOT EXISTS verdicts (key TEXT PRIMARY KEY, findings TEXT NOT NULL) WITHOUT ROWID")
        except sqlite3.Error:
            db.close()
            raise
        return db

    def _replace_broken_file(self) -> sqlite3.Connection | None:
        try:
            for suffix in ("", "-wal", "-shm"):
                Path(f"{self.path}{suffix}").unlink(missing_ok=True)
            return self._open()
        except (OSError, sqlite3.Error) as exc:
            self.problem = f"compile cache disabled ({self.path}): {exc}"
            return None

    def get_many(self, keys: Iterable[str]) -> dict[str, list[Finding]]:
        """The verdicts found; undecodable entries are left out (and later rewritten)."""
        wanted = list(dict.fromkeys(keys))
        found: dict[str, list[Finding]] = {}
        if self._db is None:
            return found
        try:
            for start in range(0, len(wanted), BATCH):
                chunk = wanted[start : start + BATCH]
                marks = ",".join("?" * len(chunk))
                for key, payload in self._db.execute(f"SELECT key, findings FROM verdicts WHERE key IN ({marks})", chunk):
                    findings = _decode(payload)
                    if findings is not None:
                        found[key] = findings
        except sqlite3.Error as exc:
            self._failed(exc, "unreadable")
        return found

    def put_many(self, verdicts: dict[str, list[Finding]]) -> None:
        if self._db is None or not verdicts:
            return
        rows = [(key, json.dumps([[f.file, f.line, f.col, f.code, f.message] for f in findings])) for key, findings in verdicts.items()]
        for _ in range(2):  # once more on a fresh file when the old one was malformed
            if self._db is None:
                return
            try:
                with self._db:
                    self._db.execute("BEGIN IMMEDIATE")
                    self._db.executemany("INSERT OR REPLACE INTO verdicts (key, findings) VALUES (?, ?)", rows)
                return
            except sqlite3.Error as exc:
                self._failed(exc, "not written")

    def _failed(self, exc: sqlite3.Error, what: str) -> None:
        """A malformed database (found only when a page is read) is replaced: a cache holds
        nothing that cannot be recomputed. A locked or unwritable one disables the cache."""
        if isinstance(exc, sqlite3.DatabaseError) and not isinstance(exc, sqlite3.OperationalError):
            self.close()
            self._db = self._replace_broken_file()
            if self._db is not None:
                return
        self.close()
        self.problem = self.problem or f"compile cache {what} ({self.path}): {exc}"

    def close(self) -> None:
        if self._db is not None:
            self._db.close()
            self._db = None


def _decode(payload: object) -> list[Finding] | None:
    try:
        items = json.loads(payload) if isinstance(payload, str) else None
        if not isinstance(items, list):
            return None
        findings = []
        for file, line, col, code, message in items:
            if not (isinstance(file, str) and isinstance(line, int) and isinstance(col, int) and isinstance(code, str) and isinstance(message, str)):
                return None
            findings.append(Finding(file, line, col, code, message))
        return findings
    except (ValueError, TypeError):
        return None
