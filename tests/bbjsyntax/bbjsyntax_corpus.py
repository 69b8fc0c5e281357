"""Where the shared reference corpus is and which of its files are BBj sources.

The list comes from its manifest.json, so caches that other tools leave next to the files
are never mistaken for corpus files."""

from __future__ import annotations

import json
from pathlib import Path

from shared_corpus import CORPUS, REASON

from curate.source_text import decode_source

SKIP_REASON = REASON


def read_text(path: Path) -> str:
    return decode_source(path.read_bytes())[0]


def corpus_files() -> list[Path]:
    """Every file of the corpus's files/ tree named in its manifest ([] when absent)."""
    manifest = CORPUS / "manifest.json"
    if manifest.is_file():
        entries = json.loads(manifest.read_text(encoding="utf-8"))["files"]
        paths = [CORPUS / e["path"] for e in entries if e["path"].startswith("files/")]
        return sorted(p for p in paths if p.is_file())
    if not CORPUS.is_dir():
        return []
    return sorted(p for p in (CORPUS / "files").rglob("*") if p.is_file() and not any(part.startswith(".") for part in p.parts))
