"""The Stage 1 raw corpus: BBj source files (or the code blocks of curated examples), exact and
near duplicates removed, optionally syntax-filtered and decontaminated against the test
split, optionally turned into fill-in-the-middle samples. Every dropped document is reported
with why, so the corpus can be audited."""

from __future__ import annotations

import hashlib
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from curate.safeio import UnsafeFile, printable_path
from curate.source_text import BINARY, read_source_file
from train.data.card import reason_key
from train.data.chatml import SPECIAL_TOKEN, fenced_blocks
from train.data.fim import FIM_MARKERS, maybe_fim

DEFAULT_EXTENSIONS = (".bbj", ".src", ".bbl", ".aon")
MAX_SOURCE_BYTES = 2 * 1024 * 1024
DROP_REASONS = {"BBJ001": "unreadable", BINARY: "binary", "BBJ003": "too-large"}
MIN_CONTAINED_LINES = 3  # a test code block this long found verbatim in a source contaminates it


@dataclass
class Document:
    id: str
    text: str
    meta: dict[str, Any] = field(default_factory=dict)


@dataclass
class CorpusOptions:
    syntax_filter: bool = False
    test_split: Path | None = None
    fim_rate: float = 0.0
    seed: int = 0
    near_dedupe: bool = True
    benchmark_blocks: list[tuple[str, str]] = field(default_factory=list)  # (case id#n, reference code)
    dedupe_threshold: float | None = None  # `dedupe-threshold` of [tool.bbj-curate]; None: the detector's default


@dataclass
class CorpusResult:
    documents: list[Document] = field(default_factory=list)
    dropped: list[dict[str, str]] = field(default_factory=list)  # {"id", "reason"}

    def drop(self, doc_id: str, reason: str) -> None:
        self.dropped.append({"id": doc_id, "reason": reason})


def find_sources(roots: list[Path], extensions: tuple[str, ...], result: CorpusResult) -> list[Path]:
    """Every file with a wanted extension under the roots, in path order (the first of a set of
    duplicates is the one kept); hidden folders skipped, symlinked folders not followed."""
    wanted = {e.lower() if e.startswith(".") else f".{e.lower()}" for e in extensions}
    paths: list[Path] = []
    for root in roots:
        if not root.is_dir():
            if os.path.lexists(root):
                paths.append(root)  # a file, or something read_sources refuses (a FIFO, a device link)
            else:
                result.drop(printable_path(root), "not-found")
            continue
        found: list[Path] = []
        for folder, dirs, files in os.walk(root):
            dirs[:] = [d for d in dirs if not d.startswith(".")]
            found.extend(Path(folder) / name for name in files if Path(name).suffix.lower() in wanted)
        paths.extend(sorted(found, key=lambda p: p.as_posix()))
    return paths


def read_sources(paths: list[Path], result: CorpusResult) -> list[Document]:
    """One document per readable source file; the others are dropped with the reason
    (unreadable, binary, too large) through the guarded source reader."""
    documents = []
    for path in paths:
        doc_id = printable_path(path)
        try:
            text, encoding = read_source_file(path, MAX_SOURCE_BYTES)
        except UnsafeFile as exc:
            result.drop(doc_id, "binary" if exc.code == BINARY else f"{DROP_REASONS[exc.code]}:{exc.message}")
            continue
        documents.append(Document(doc_id, text, {"source": doc_id, "encoding": encoding}))
    return documents


def documents_from_examples(examples: list[Any]) -> list[Document]:
    """One document per BBj code block of each example (`<example id>#<n>`)."""
    documents = []
    for example in examples:
        for number, block in enumerate(example.code_blocks, start=1):
            if block.language in ("", "bbj", "bbx") and block.code.strip():
                meta = {"source": f"{example.display_path}:{block.first_line}", "example": example.id}
                if block.filename:
                    meta["filename"] = block.filename
                documents.append(Document(f"{example.id}#{number}", block.code, meta))
    return documents


def build_corpus(documents: list[Document], options: CorpusOptions, result: CorpusResult | None = None) -> CorpusResult:
    """Filter documents in a fixed order: empty/special tokens, exact duplicates, syntax,
    test contamination, near duplicates (last, so a dropped file never keeps a cluster)."""
    result = result or CorpusResult()
    survivors: list[Document] = []
    first_of: dict[str, str] = {}
    for doc in documents:
        if not doc.text.strip():
            result.drop(doc.id, "empty")
        elif SPECIAL_TOKEN.search(doc.text) or any(marker in doc.text for marker in FIM_MARKERS):
            result.drop(doc.id, "special-token")
        elif (digest := hashlib.sha256(doc.text.encode("utf-8")).hexdigest()) in first_of:
            result.drop(doc.id, f"exact-duplicate-of:{first_of[digest]}")
        else:
            first_of[digest] = doc.id
            doc.meta["sha256"] = digest
            survivors.append(doc)
    if options.syntax_filter:
        survivors = _syntax_filter(survivors, result)
    if options.test_split is not None:
        survivors = _decontaminate(survivors, test_code_blocks(options.test_split), result, "test", options.dedupe_threshold)
    if options.benchmark_blocks:
        survivors = _decontaminate(survivors, options.benchmark_blocks, result, "benchmark", options.dedupe_threshold)
    if options.near_dedupe and len(survivors) > 1:
        survivors = _near_dedupe(survivors, result, options.dedupe_threshold)
    result.documents = survivors
    return result


def _syntax_filter(documents: list[Document], result: CorpusResult) -> list[Document]:
    from curate.bbjsyntax import check_source

    kept = []
    for doc in documents:
        issues = [issue for issue in check_source(doc.text) if issue.severity == "error"]
        if issues:
            first = issues[0]
            more = f" (+{len(issues) - 1} more)" if len(issues) > 1 else ""
            result.drop(doc.id, f"syntax:{first.code} line {first.line}: {first.message}{more}")
        else:
            kept.append(doc)
    return kept


def _squeeze(code: str) -> str:
    """Code with each line stripped and blank lines removed, for verbatim containment."""
    return "\n".join(line.strip() for line in code.split("\n") if line.strip())


def test_code_blocks(split_dir: Path) -> list[tuple[str, str]]:
    """(test record id#n, code) for every fenced block in the test split's records."""
    from train.data.split import read_split, record_id

    blocks: list[tuple[str, str]] = []
    for record in read_split(split_dir, required=("test",))["test"]:
        contents = "\n\n".join(str(m.get("content", "")) for m in record["messages"] if m.get("role") != "system")
        blocks.extend((f"{record_id(record)}#{n}", b.code) for n, b in enumerate(fenced_blocks(contents), start=1) if b.code.strip())
    return blocks


def _decontaminate(documents: list[Document], blocks: list[tuple[str, str]], result: CorpusResult, what: str, threshold: float | None) -> list[Document]:
    """Drop documents holding a long block verbatim or near-duplicating one; `what` names the
    blocks' origin in the reason (contains-test-code, benchmark-near-duplicate, ...)."""
    from curate.dedupe import DedupeConfig, Item, find_leaks

    contaminated: dict[str, str] = {}
    long_blocks = [(bid, squeezed) for bid, code in blocks if (squeezed := _squeeze(code)).count("\n") + 1 >= MIN_CONTAINED_LINES]
    for doc in documents:
        squeezed_doc = f"\n{_squeeze(doc.text)}\n"
        for block_id, squeezed in long_blocks:
            if f"\n{squeezed}\n" in squeezed_doc:
                contaminated[doc.id] = f"contains-{what}-code:{block_id}"
                break
    if blocks:
        items = [Item(doc.id, doc.text, "source", order=float(n)) for n, doc in enumerate(documents)]
        others = [Item(block_id, code, "source") for block_id, code in blocks]
        for pair in find_leaks(items, others, DedupeConfig.at(threshold)):
            contaminated.setdefault(pair.a, f"{what}-near-duplicate:{pair.b}")
    for doc in documents:
        if doc.id in contaminated:
            result.drop(doc.id, contaminated[doc.id])
    return [doc for doc in documents if doc.id not in contaminated]


def _near_dedupe(documents: list[Document], result: CorpusResult, threshold: float | None) -> list[Document]:
    from curate.dedupe import DedupeConfig, Item, find_clusters

    position = {doc.id: n for n, doc in enumerate(documents)}
    items = [Item(doc.id, doc.text, "source", order=float(n)) for n, doc in enumerate(documents)]
    dropped: set[str] = set()
    for cluster in find_clusters(items, DedupeConfig.at(threshold)):
        keeper = min(cluster.members, key=position.__getitem__)
        for member in sorted(cluster.members, key=position.__getitem__):
            if member != keeper:
                result.drop(member, f"near-duplicate-of:{keeper}")
                dropped.add(member)
    return [doc for doc in documents if doc.id not in dropped]


def samples(documents: list[Document], fim_rate: float, seed: int) -> list[dict[str, Any]]:
    """Output records `{"text", "meta"}`; with fim_rate > 0 some become FIM samples."""
    out = []
    for doc in documents:
        text, is_fim = maybe_fim(doc.id, doc.text, fim_rate, seed)
        out.append({"text": text, "meta": {"id": doc.id, **doc.meta, "fim": is_fim}})
    return out


def reason_counts(dropped: list[dict[str, str]]) -> dict[str, int]:
    counts: dict[str, int] = {}
    for entry in dropped:
        key = reason_key(entry["reason"])
        counts[key] = counts.get(key, 0) + 1
    return dict(sorted(counts.items()))
