"""The pre-commit path: changed example files against the whole corpus through the persisted
index under `<cache>/dedupe/`, built on first use and then refreshed like git's index: a file
whose (size, mtime) is unchanged is not read again; new and changed files are signed, deleted
ones dropped. Ids are paths relative to the project root, so the index survives `cd`."""

from __future__ import annotations

import os
import sys
from pathlib import Path

from curate.config import CurateConfig
from curate.dedupe import DedupeConfig, Item
from curate.dedupe.check import cluster_diagnostics
from curate.dedupe.cluster import clusters_from_pairs
from curate.dedupe.index import DedupeIndex
from curate.dedupe.items import added_times, item_for_example
from curate.diagnostics import Diagnostic
from curate.discover import display_path, topic_of, walk_examples
from curate.example import Example, load_example
from curate.lint import finalize
from curate.timebudget import over_budget

RACY_NS = 2_000_000_000  # a file touched this close to the last save may have changed unseen


def corpus_id(path: Path, root: Path) -> str:
    return Path(os.path.relpath(os.path.abspath(path), root)).as_posix()


def _load(paths: list[Path], config: CurateConfig) -> dict[str, tuple[Example, Item]]:
    """Examples that load (broken ones are the lint hook's business), keyed by corpus id."""
    examples = []
    for path in paths:
        example, _ = load_example(path, display_path(path), topic_of(path, config))
        if example is not None:
            examples.append(example)
    orders = added_times([e.path for e in examples])
    loaded = {}
    for example, order in zip(examples, orders):
        item_id = corpus_id(example.path, config.root)
        loaded[item_id] = (example, item_for_example(example, item_id, order))
    return loaded


def refresh(index: DedupeIndex, corpus_root: Path, config: CurateConfig, force: set[str]) -> dict[str, tuple[Example, Item]]:
    """Bring the index in line with the files under `corpus_root`; returns what was read."""
    unchanged: list[str] = []
    to_read: list[Path] = []
    fingerprints: dict[str, tuple[int, int]] = {}
    racy_after = index.saved_ns - RACY_NS
    for item_id, path, fingerprint in walk_examples(corpus_root, config):
        if item_id not in force and index.fingerprint(item_id) == fingerprint and fingerprint[1] < racy_after:
            unchanged.append(item_id)
        else:
            to_read.append(Path(path))
            fingerprints[item_id] = fingerprint
    loaded = _load(to_read, config)
    index.update([item for _, item in loaded.values()], keep=unchanged, fingerprints=fingerprints)
    return loaded


def check_against_corpus(changed_paths: list[Path], corpus_root: Path, config: CurateConfig, budget: float | None = None) -> list[Diagnostic]:
    """Diagnostics for every near-duplicate cluster a changed file belongs to (on each member
    but the keeper), finalized for the member they are on as `bbj-curate check` finalizes
    them (`lint_ignore`, severity overrides, the training gate: a draft's are warnings); the
    index is saved afterwards, so the next call starts from it. `budget` bounds the seconds of
    work per file: a changed file over it is a BBJ007 finding, a corpus file over it is left
    out of the index with a warning."""
    index = DedupeIndex.open(config.cache_subdir("dedupe"), DedupeConfig(threshold=config.dedupe_threshold, item_budget=budget))
    changed = {corpus_id(p, config.root): Path(p) for p in changed_paths if Path(p).is_file()}
    loaded = refresh(index, corpus_root, config, force=set(changed))
    inside = os.path.abspath(corpus_root) + os.sep
    loaded.update(_load([p for p in changed.values() if not os.path.abspath(p).startswith(inside)], config))
    queried = [item for item_id, (_, item) in loaded.items() if item_id in changed]
    pairs = {}
    for pair in index.query(queried):
        pairs[tuple(sorted((pair.a, pair.b)))] = (pair.a, pair.b, pair.jaccard, pair.score)
    index.save()
    for warning in index.warnings:  # an index rebuilt, or a cache folder that cannot be written
        print(f"warning: {warning}", file=sys.stderr)
    late = [display_path(config.root / member) for member in dict.fromkeys(index.over_budget) if member not in changed]
    if late:
        print(f"warning: left out of the dedupe index (over the {budget:g} s budget per file): {', '.join(late)}", file=sys.stderr)
    members = {m for a, b, _, _ in pairs.values() for m in (a, b)}
    meta = [loaded[m][1] if m in loaded else index.entry(m).as_item() for m in members]  # type: ignore[union-attr]
    clusters = clusters_from_pairs(meta, list(pairs.values()))

    flagged: dict[str, Example | None] = {}  # display path -> example, for the findings' gate

    def locate(member: str) -> tuple[str, int]:
        path = config.root / member
        example = loaded[member][0] if member in loaded else load_example(path, display_path(path))[0]
        flagged[display_path(path)] = example
        return display_path(path), example.line_of_key("title") if example else 1

    found = cluster_diagnostics(clusters, locate, show=lambda member: display_path(config.root / member))
    over = [over_budget(display_path(changed[m]), budget or 0) for m in dict.fromkeys(index.over_budget) if m in changed]
    return over + [out for diag in found for out in finalize([diag], config, flagged.get(diag.path))]
