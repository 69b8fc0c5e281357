"""Near-duplicate detection for examples, ChatML records and raw BBj source: MinHash
signatures, datasketch's MinHashLSH for candidates, every candidate confirmed by an exact
Jaccard of the shingle sets and a rapidfuzz score, then clusters with a suggested keeper.

This module only defines the data types; numpy, datasketch and rapidfuzz load on first use so
`bbj-curate lint` never pays for them. See docs/dedupe.md."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from curate.config import CurateConfig
    from curate.dedupe.index import DedupeIndex
    from curate.diagnostics import Diagnostic
    from curate.example import Example

__all__ = [
    "Cluster",
    "DedupeConfig",
    "DedupeIndex",
    "Item",
    "Pair",
    "check_against_corpus",
    "find_clusters",
    "find_leaks",
    "items_from_chatml",
    "items_from_examples",
    "items_from_sources",
]


@dataclass
class Item:
    """Anything to deduplicate; `kind` picks the normalizer (see curate/dedupe/normalize.py)."""

    id: str  # a path, "legacy:<line>", ...
    text: str  # raw text, read as `kind` says
    kind: str = "example"  # "example" | "chatml" | "source" | "text"
    status: str | None = None  # "approved" wins the keeper choice
    richness: int = 0  # e.g. explanation length; higher wins
    order: float = 0.0  # lower = older = preferred (git date, mtime or line number)


@dataclass
class DedupeConfig:
    """Defaults chosen with `bench/bench_dedupe.py --quality` (table in docs/dedupe.md)."""

    threshold: float = 0.7  # exact Jaccard of the shingle sets at or above which a pair is a near duplicate
    num_perm: int = 128  # MinHash permutations: estimate error about 0.04 at J=0.7
    shingle_size: int = 4  # tokens per shingle
    fuzzy_min: float = 0.5  # rapidfuzz ratio (0..1) a pair must also reach
    # Seconds of work (normalize and shingle, confirm a candidate) per item; an item over it is
    # left out and listed as over budget (the hooks set it: one pathological file must not stall a commit).
    item_budget: float | None = None

    def __post_init__(self) -> None:
        if not 0 < self.threshold <= 1:
            raise ValueError(f"threshold must be in (0, 1], got {self.threshold}")
        if not 0 <= self.fuzzy_min <= 1:
            raise ValueError(f"fuzzy_min must be in [0, 1], got {self.fuzzy_min}")
        if self.num_perm < 16 or self.shingle_size < 1:
            raise ValueError("num_perm must be at least 16 and shingle_size at least 1")

    @classmethod
    def at(cls, threshold: float | None) -> DedupeConfig:
        """The defaults at a configured `dedupe-threshold` (None keeps the default)."""
        return cls(threshold=threshold) if threshold else cls()


@dataclass
class Pair:
    a: str
    b: str
    jaccard: float  # exact, on the shingle sets
    score: float  # rapidfuzz ratio of the normalized texts, 0..1


@dataclass
class Cluster:
    members: list[str]
    keeper: str
    reason: str
    pairs: list[Pair] = field(default_factory=list)


def items_from_examples(examples: list[Example]) -> list[Item]:
    from curate.dedupe.items import items_from_examples as build

    return build(examples)


def items_from_chatml(records: list[dict], ids: list[str] | None = None) -> list[Item]:
    from curate.dedupe.items import items_from_chatml as build

    return build(records, ids)


def items_from_sources(paths: list[Path]) -> list[Item]:
    from curate.dedupe.items import items_from_sources as build

    return build(paths)


def find_clusters(items: list[Item], config: DedupeConfig | None = None) -> list[Cluster]:
    """Connected components of confirmed near-duplicate pairs, each with a suggested keeper."""
    from curate.dedupe.cluster import find_clusters as run

    return run(items, config or DedupeConfig())


def find_leaks(items: list[Item], others: list[Item], config: DedupeConfig | None = None) -> list[Pair]:
    """Confirmed pairs (a in items, b in others): e.g. test records with a twin in training."""
    from curate.dedupe.cluster import find_leaks as run

    return run(items, others, config or DedupeConfig())


def check_against_corpus(changed_paths: list[Path], corpus_root: Path, config: CurateConfig, budget: float | None = None) -> list[Diagnostic]:
    """The pre-commit check: changed files against the whole corpus via the persisted index;
    `budget`: seconds of work per file (BBJ007 on a changed file over it)."""
    from curate.dedupe.corpus import check_against_corpus as run

    return run(changed_paths, corpus_root, config, budget)


def __getattr__(name: str) -> object:
    if name == "DedupeIndex":
        from curate.dedupe.index import DedupeIndex

        return DedupeIndex
    raise AttributeError(f"module 'curate.dedupe' has no attribute {name!r}")
