"""What retrieval ranks and shows: one `Document` per curated example and per BBj API class,
and the store that keeps parsed documents across restarts, keyed by file path and content hash
(a cache: anything unreadable in it is a miss)."""

from __future__ import annotations

import json
import logging
from dataclasses import dataclass
from pathlib import Path

from curate.atomic import write_text_atomic
from curate.example import Example
from curate.safeio import UnsafeFile, read_guarded
from curate.vocabulary import ALL_GENERATIONS, GENERATIONS
from curate.vocabulary.generation_table import GUI_OBJECTS

log = logging.getLogger("bbj_mcp.retrieval")

SKIPPED_STATUSES = frozenset({"rejected", "needs-work"})
SNIPPET_CHARS = 3000  # one example in the prompt
API_SNIPPET_CHARS = 1200  # one API class: its own methods, not the inherited hundreds
MAX_STORE_BYTES = 1 << 30  # the document store of a very large example set


@dataclass(frozen=True, slots=True)
class Document:
    """One retrievable thing: `text` is what is ranked, `snippet` what goes into the prompt."""

    id: str
    generations: frozenset[str]
    approved: bool
    text: str
    snippet: str

    def fits(self, generation: str) -> bool:
        return generation in self.generations or (generation != ALL_GENERATIONS and ALL_GENERATIONS in self.generations)


@dataclass(frozen=True, slots=True)
class Hit:
    id: str
    score: float
    snippet: str


def example_document(example: Example) -> Document | None:
    """The example as a document, or None when it must not be retrieved (its reason is logged)."""
    if example.status in SKIPPED_STATUSES:
        return None
    labels = example.generations or [ALL_GENERATIONS]
    if not all(label == ALL_GENERATIONS or label in GENERATIONS for label in labels):
        log.info("not indexed: %s: generation %s is not a known label", example.display_path, labels)
        return None
    from train.data.chatml import render_code_block

    description = str(example.meta.get("description") or "")
    prose = "\n".join(section.body for section in example.sections)
    text = "\n".join([example.title, description, " ".join(example.tags), prose])
    blocks = example.blocks_in("code") or example.code_blocks
    code = "\n\n".join(render_code_block(b.code, b.filename, b.language or "bbj") for b in blocks)
    snippet = f"Example {example.id} ({', '.join(labels)}): {example.title}\n\n{code}".strip()
    if len(snippet) > SNIPPET_CHARS:
        snippet = snippet[:SNIPPET_CHARS].rstrip() + "\n[...]"
    return Document(example.id, frozenset(labels), example.status == "approved", text, snippet)


def api_documents() -> list[Document]:
    """One document per API class: its name, ancestry and methods (names split into words)."""
    from bbj_mcp.api_lookup import ancestors, api_data

    data = api_data()
    products = {name.lower() for name in data["factories"].values()}
    gui_roots = {"bbjsysgui", "bbjcontrol", "bbjwindow"}
    docs = []
    for name, methods in sorted(data["classes"].items()):
        lineage = ancestors(name)
        gui = name.lower() in products | gui_roots or any(a.lower() in gui_roots for a in lineage)
        generations = GUI_OBJECTS if gui else frozenset({ALL_GENERATIONS})
        inherited = f" (extends {', '.join(lineage[:4])})" if lineage else ""
        snippet = f"BBj API class {name}{inherited}. Methods: {', '.join(methods)}"
        if len(snippet) > API_SNIPPET_CHARS:
            snippet = snippet[:API_SNIPPET_CHARS].rsplit(",", 1)[0] + ", ..."
        # the class name counts three times: a query naming a control should find that control
        # before the classes that merely have many methods mentioning it
        text = f"{name} {name} {name} {' '.join(lineage)} {' '.join(methods)}"
        docs.append(Document(f"api:{name}", frozenset(generations), True, text, snippet))
    return docs


STORE_VERSION = 1


def load_store(path: Path) -> dict[str, Document | None]:
    """The stored documents; an unreadable, foreign or older store is an empty one (a cache)."""
    if not path.exists():
        return {}
    try:
        data = json.loads(read_guarded(path, MAX_STORE_BYTES))
        if data.get("version") != STORE_VERSION:
            return {}
        return {key: None if row is None else Document(row[0], frozenset(row[1]), bool(row[2]), row[3], row[4]) for key, row in data["documents"].items()}
    except (UnsafeFile, ValueError, KeyError, TypeError, IndexError, AttributeError) as exc:
        log.info("retrieval store %s not used: %s", path, exc)
        return {}


def save_store(path: Path, documents: dict[str, Document | None]) -> None:
    """Atomically; a folder that cannot be written only costs the next start its parsing."""
    rows = {key: None if d is None else [d.id, sorted(d.generations), d.approved, d.text, d.snippet] for key, d in documents.items()}
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        write_text_atomic(path, json.dumps({"version": STORE_VERSION, "documents": rows}))
    except OSError as exc:
        log.info("retrieval store %s not written: %s", path, exc)
