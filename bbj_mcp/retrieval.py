"""Generation-aware retrieval over the curated examples and the BBj API data, for the prompt of
`generate_bbj_code`.

- Documents (`bbj_mcp.documents`): every example under the data root (read through curate's
  guarded reader and parser) that is not rejected or marked needs-work, and one per API class.
- Filter: an example fits a requested generation when its `generation` lists it or is `all`;
  a request for `all` (portable code) takes only `all` examples. API classes that only the GUI
  generations have (BBjSysGui and the controls it makes) are labelled like the
  `bbjsysgui-api` / `bbjapi-control` entries of the generation-pattern table.
- Rank: BM25 (`bm25s`), approved examples before the others.
- Freshness: the folder is re-scanned at most every `refresh_interval` seconds; when a file's
  size or time changed, its content hash decides, and the index is rebuilt only when the set of
  content hashes changed. Unchanged files are never parsed twice, across restarts too (the
  document store, `bbj_mcp.documents`).
- Seam: `Ranker` is the one interface the index needs; an embedding model can replace or join
  BM25 by implementing it (none is shipped: none can be downloaded here).
"""

from __future__ import annotations

import hashlib
import logging
import os
import re
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Protocol

from bbj_mcp.documents import Document, Hit, api_documents, example_document, load_store, save_store
from curate.config import CurateConfig
from curate.discover import Target, discover
from curate.example import ExampleLoadError, decode_example, parse_example, read_example_bytes
from curate.vocabulary import ALL_GENERATIONS, GENERATIONS

if TYPE_CHECKING:
    import numpy as np
    from numpy.typing import NDArray

log = logging.getLogger("bbj_mcp.retrieval")

WORD = re.compile(r"[A-Za-z_][A-Za-z0-9_]*|[0-9]+")
CAMEL = re.compile(r"[A-Z]?[a-z]+|[A-Z]+(?![a-z])|[0-9]+")


def tokens(text: str) -> list[str]:
    """Lower-cased words, and the parts of camelCase and snake_case names too, so a query for
    'button callback' finds `setCallback` and `addButton`."""
    out: list[str] = []
    for word in WORD.findall(text):
        out.extend(_word_tokens(word))
    return out


@lru_cache(maxsize=1 << 16)
def _word_tokens(word: str) -> tuple[str, ...]:
    """A word and its parts; cached: code and prose repeat their words a lot."""
    parts = [p.lower() for p in CAMEL.findall(word)]
    return (word.lower(), *parts) if len(parts) > 1 else (word.lower(),)


class Ranker(Protocol):
    """Scores every document for a query (higher is better, 0 is 'no match'). BM25 is the
    default; an embedding model (cosine similarity) or a hybrid fits the same two methods."""

    def fit(self, texts: Sequence[str]) -> None: ...

    def scores(self, query: str) -> NDArray[np.float64]: ...


class BM25Ranker:
    """BM25 from the maintained `bm25s` library, over `tokens()`."""

    def __init__(self) -> None:
        self._model: object | None = None
        self._size = 0
        self._stopwords: frozenset[str] = frozenset()

    def fit(self, texts: Sequence[str]) -> None:
        import bm25s
        from bm25s.stopwords import STOPWORDS_EN

        self._stopwords = frozenset(STOPWORDS_EN)
        self._size = len(texts)
        model = bm25s.BM25()
        if texts:
            model.index([self._tokens(t) or [""] for t in texts], show_progress=False)
        self._model = model

    def _tokens(self, text: str) -> list[str]:
        return [t for t in tokens(text) if t not in self._stopwords]

    def scores(self, query: str) -> NDArray[np.float64]:
        import numpy as np

        if self._model is None or not self._size:
            return np.zeros(self._size)
        ids = self._model.get_tokens_ids(self._tokens(query))  # type: ignore[attr-defined]
        if not ids:
            return np.zeros(self._size)
        return np.asarray(self._model.get_scores(ids), dtype=np.float64)  # type: ignore[attr-defined]


class Collection:
    """Documents and their fitted ranker; `search` filters by generation and ranks. The
    generation masks are computed once, so a query over 10,000 documents is a few array ops."""

    def __init__(self, documents: list[Document], ranker: Ranker) -> None:
        import numpy as np

        self.documents = documents
        self.ranker = ranker
        ranker.fit([d.text for d in documents])
        self._masks = {g: np.array([d.fits(g) for d in documents], dtype=bool) for g in (*GENERATIONS, ALL_GENERATIONS)}
        self._approved = np.array([d.approved for d in documents], dtype=bool)

    def search(self, query: str, generation: str, k: int) -> list[Hit]:
        import numpy as np

        if k <= 0 or not self.documents:
            return []
        scores = np.asarray(self.ranker.scores(query), dtype=float)
        candidates = np.flatnonzero((scores > 0) & self._masks[generation])
        # approved first, then by score; ties by position (documents are in path order), so
        # the same query always gives the same answer
        order = candidates[np.lexsort((candidates, -scores[candidates], ~self._approved[candidates]))][:k]
        return [Hit(self.documents[i].id, float(scores[i]), self.documents[i].snippet) for i in order.tolist()]


@dataclass(frozen=True, slots=True)
class _Seen:
    signature: tuple[int, int]  # size, mtime_ns
    digest: str
    document: Document | None


class ExampleIndex:
    """The curated examples of one folder, kept current with the files (thread-safe)."""

    def __init__(
        self,
        root: Path,
        config: CurateConfig,
        ranker: Callable[[], Ranker] = BM25Ranker,
        refresh_interval: float = 5.0,
        store: Path | None = None,
    ) -> None:
        self.root = root.absolute()  # stored documents are keyed by absolute path
        self.config = config
        self.make_ranker = ranker
        self.refresh_interval = refresh_interval
        self.store = store  # parsed documents by path and content hash, kept across restarts
        self._stored: dict[str, Document | None] = {}
        self.fingerprint = ""
        self.builds = 0
        self._files: dict[str, _Seen] = {}
        self._collection: Collection | None = None
        self._checked = float("-inf")
        self._listing: dict[str, tuple[int, int]] = {}
        self._lock = threading.Lock()

    def search(self, query: str, generation: str, k: int) -> list[Hit]:
        self.refresh()
        collection = self._collection
        return collection.search(query, generation, k) if collection else []

    def refresh(self, force: bool = False) -> bool:
        """Rebuild when the examples' content hashes changed; True when it rebuilt."""
        with self._lock:
            now = time.monotonic()
            if not force and self._collection is not None and now - self._checked < self.refresh_interval:
                return False
            self._checked = now
            listing = _listing(self.root)
            if listing == self._listing and self._collection is not None:
                return False  # no file added, removed, resized or touched: nothing to hash
            self._listing = listing
            if self.builds == 0 and self.store is not None:
                self._stored = load_store(self.store)
            files = self._scan()
            fingerprint = hashlib.sha256("\n".join(f"{path} {seen.digest}" for path, seen in sorted(files.items())).encode()).hexdigest()
            self._files = files
            if fingerprint == self.fingerprint and self._collection is not None:
                return False
            documents = [seen.document for _, seen in sorted(files.items()) if seen.document is not None]
            self._collection = Collection(documents, self.make_ranker())
            self.fingerprint = fingerprint
            self.builds += 1
            log.info("retrieval index built: %d of %d example files (%s)", len(documents), len(files), self.root)
            if self.store is not None:
                self._stored = {f"{path}\0{seen.digest}": seen.document for path, seen in files.items()}
                save_store(self.store, self._stored)
            return True

    def _scan(self) -> dict[str, _Seen]:
        """Every example file with its content hash; a file is read again only when its size or
        modification time changed, and parsed again only when its content changed."""
        if not self.root.is_dir():
            return {}
        targets, problems = discover([self.root], self.config)
        for problem in problems:
            log.info("not indexed: %s", problem.render())
        files: dict[str, _Seen] = {}
        for target in targets:
            key = str(target.path)
            try:
                stat = os.stat(target.path)
            except OSError as exc:
                log.info("not indexed: %s: %s", target.display, exc)
                continue
            signature = (stat.st_size, stat.st_mtime_ns)
            old = self._files.get(key)
            if old is not None and old.signature == signature:
                files[key] = old
                continue
            try:
                raw = read_example_bytes(target.path, target.display)  # guarded: regular files, size cap
            except ExampleLoadError as exc:
                log.info("not indexed: %s", "; ".join(d.render() for d in exc.diagnostics))
                continue
            digest = hashlib.sha256(raw).hexdigest()
            if old is not None and old.digest == digest:
                files[key] = _Seen(signature, digest, old.document)
                continue
            stored_key = f"{key}\0{digest}"
            if stored_key in self._stored:
                files[key] = _Seen(signature, digest, self._stored[stored_key])
                continue
            files[key] = _Seen(signature, digest, _parse(raw, target))
        return files


def _parse(raw: bytes, target: Target) -> Document | None:
    try:
        text, _ = decode_example(raw, target.display)
        return example_document(parse_example(text, target.path, target.display, target.topic))
    except ExampleLoadError as exc:
        log.info("not indexed: %s", "; ".join(d.render() for d in exc.diagnostics))
        return None


def _listing(root: Path) -> dict[str, tuple[int, int]]:
    """(size, mtime_ns) of every Markdown file under root: the cheap first look (a tenth of
    curate's discovery, which also resolves topics and exclusions) that tells whether anything
    may have changed at all."""
    out: dict[str, tuple[int, int]] = {}
    todo = [str(root)]
    while todo:
        try:
            entries = list(os.scandir(todo.pop()))
        except OSError:
            continue
        for entry in entries:
            if entry.name.startswith("."):
                continue
            try:
                if entry.is_dir(follow_symlinks=False):
                    todo.append(entry.path)
                elif entry.name.lower().endswith(".md"):
                    stat = entry.stat()
                    out[entry.path] = (stat.st_size, stat.st_mtime_ns)
            except OSError:
                continue
    return out


class Retriever:
    """What `generate_bbj_code` asks: the top examples and the best API class for a request."""

    def __init__(self, examples: ExampleIndex, api_ranker: Callable[[], Ranker] = BM25Ranker) -> None:
        self.examples = examples
        self._api_ranker = api_ranker
        self._api: Collection | None = None
        self._lock = threading.Lock()

    def _api_collection(self) -> Collection:
        with self._lock:
            if self._api is None:
                self._api = Collection(api_documents(), self._api_ranker())
            return self._api

    def retrieve(self, query: str, generation: str, k: int, api_k: int = 1) -> list[Hit]:
        return self.examples.search(query, generation, k) + self._api_collection().search(query, generation, api_k)
