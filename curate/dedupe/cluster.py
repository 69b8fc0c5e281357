"""From items to confirmed pairs and clusters: exact duplicates by hash of the normalized text,
near-duplicate candidates from datasketch's MinHashLSH, each candidate confirmed by an exact
Jaccard of the shingle sets and a rapidfuzz ratio before it is reported."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from itertools import combinations

import numpy as np

from curate.dedupe import Cluster, DedupeConfig, Item, Pair
from curate.dedupe.normalize import jaccard, normalize, shingles
from curate.dedupe.signature import SCHEME, estimated_jaccard, sign
from curate.progress import task
from curate.timebudget import BudgetTimer, OverBudget, file_budget
from curate.vocabulary import NEVER_KEEPER_STATUSES, RECORD_ONLY_STATUSES

SEED = 1
LSH_RECALL = 0.98  # least chance that a pair exactly at the threshold becomes a candidate
CHUNK = 65_536  # candidate pairs screened per numpy pass
ESTIMATE_MARGIN = 0.15  # skip the exact check when the MinHash estimate is this far below (≈4σ at 128)


@dataclass
class Prepared:
    """Items with non-empty normalized text, their shingle sets and signatures (same order)."""

    items: list[Item]
    normalized: list[str]
    shingle_sets: list[np.ndarray]
    signatures: np.ndarray
    over_budget: list[Item] = field(default_factory=list)  # left out: their work ran past config.item_budget

    def digest(self, index: int) -> str:
        return normalized_digest(self.normalized[index])


def normalized_digest(normalized: str) -> str:
    return hashlib.blake2b(normalized.encode("utf-8"), digest_size=16).hexdigest()


def prepare(items: list[Item], config: DedupeConfig) -> Prepared:
    seen: set[str] = set()
    kept: list[Item] = []
    texts: list[str] = []
    sets: list[np.ndarray] = []
    over: list[Item] = []
    with BudgetTimer(config.item_budget) as timer:
        for item in items:
            if item.id in seen:
                raise ValueError(f"duplicate item id {item.id!r}")
            seen.add(item.id)
            try:
                with timer.file():
                    text = normalize(item.text, item.kind)
                    shingle_set = shingles(text, config.shingle_size) if text else None
            except OverBudget:
                over.append(item)
                continue
            if shingle_set is not None:  # nothing to compare: an empty item is nobody's duplicate
                kept.append(item)
                texts.append(text)
                sets.append(shingle_set)
    return Prepared(kept, texts, sets, sign(sets, config.num_perm, SEED), over)


def confirm_within(mine: Prepared, i: int, right_text: str, right_set: np.ndarray, config: DedupeConfig) -> tuple[float, float] | None:
    """`confirm` for item `i` of `mine` within config.item_budget; over it, the item is listed
    in `mine.over_budget` and the pair is not reported."""
    try:
        with file_budget(config.item_budget):
            return confirm(mine.normalized[i], mine.shingle_sets[i], right_text, right_set, config)
    except OverBudget:
        if mine.items[i] not in mine.over_budget:
            mine.over_budget.append(mine.items[i])
        return None


def confirm(left_text: str, left_set: np.ndarray, right_text: str, right_set: np.ndarray, config: DedupeConfig) -> tuple[float, float] | None:
    """(jaccard, score) when the pair is a near duplicate, else None."""
    from rapidfuzz import fuzz

    similarity = jaccard(left_set, right_set)
    if similarity < config.threshold:
        return None
    score = fuzz.ratio(left_text, right_text) / 100.0
    return (similarity, score) if score >= config.fuzzy_min else None


def lsh_bands(threshold: float, num_perm: int) -> tuple[int, int]:
    """(bands, rows): the most rows per band (fewest chance candidates) that still make a pair
    at the threshold a candidate with probability LSH_RECALL. Candidates are cheap to confirm;
    a pair LSH misses is never seen again. datasketch's own optimizer weighs both errors alike
    and, at 0.7 and 128 permutations, misses about one pair in five right at the threshold."""
    for rows in range(num_perm // 2, 0, -1):
        bands = num_perm // rows
        if 1 - (1 - threshold**rows) ** bands >= LSH_RECALL:
            return bands, rows
    return num_perm, 1


def _lsh(signatures: np.ndarray, keys: list[int], config: DedupeConfig):  # type: ignore[no-untyped-def]
    from datasketch import LeanMinHash, MinHashLSH

    lsh = MinHashLSH(num_perm=config.num_perm, params=lsh_bands(config.threshold, config.num_perm))
    with lsh.insertion_session() as session:
        for key in keys:
            session.insert(key, LeanMinHash(seed=SEED, hashvalues=signatures[key], scheme=SCHEME), check_duplication=False)
    return lsh


def _bucket_pairs(lsh) -> set[tuple[int, int]]:  # type: ignore[no-untyped-def]
    """Pairs that share a bucket in some band: what querying every item would return, without
    hashing every band of every item a second time."""
    pairs: set[tuple[int, int]] = set()
    for table in lsh.hashtables:
        for bucket in table.keys():  # noqa: SIM118 - a datasketch storage, not a dict
            members = table.get(bucket)
            if len(members) > 1:
                pairs.update(combinations(sorted(members), 2))
    return pairs


def _confirm_candidates(mine: Prepared, theirs: Prepared, candidates: list[tuple[int, int]], config: DedupeConfig) -> list[tuple[int, int, float, float]]:
    """(i, j, jaccard, score) for the candidates (i in mine, j in theirs) that are near duplicates;
    the MinHash estimate screens them first, in chunks to bound memory."""
    found = []
    with task("dedupe", len(candidates)) as advance:
        for start in range(0, len(candidates), CHUNK):
            chunk = np.array(candidates[start : start + CHUNK], dtype=np.int64).reshape(-1, 2)
            left, right = chunk[:, 0], chunk[:, 1]
            estimate = (mine.signatures[left] == theirs.signatures[right]).mean(axis=1)
            keep = estimate >= config.threshold - ESTIMATE_MARGIN
            advance(len(chunk) - int(keep.sum()))  # screened out by the estimate
            for i, j in zip(left[keep].tolist(), right[keep].tolist()):
                result = confirm_within(mine, i, theirs.normalized[j], theirs.shingle_sets[j], config)
                if result:
                    found.append((i, j, *result))
                advance(1)
    return found


def confirmed_pairs(prepared: Prepared, config: DedupeConfig) -> list[tuple[int, int, float, float]]:
    """(i, j, jaccard, score) for exact duplicates and confirmed near duplicates, i < j."""
    groups: dict[str, list[int]] = {}
    for index in range(len(prepared.items)):
        groups.setdefault(prepared.digest(index), []).append(index)
    found = [(group[0], other, 1.0, 1.0) for group in groups.values() for other in group[1:]]
    representatives = [group[0] for group in groups.values()]
    if len(representatives) < 2:
        return found
    candidates = sorted(_bucket_pairs(_lsh(prepared.signatures, representatives, config)))
    return found + _confirm_candidates(prepared, prepared, candidates, config)


def find_clusters(items: list[Item], config: DedupeConfig) -> list[Cluster]:
    return clustering(items, config)[0]


def clustering(items: list[Item], config: DedupeConfig) -> tuple[list[Cluster], list[Item]]:
    """The clusters, and the items left out because their work ran past config.item_budget."""
    prepared = prepare(items, config)
    pairs = confirmed_pairs(prepared, config)
    clusters = clusters_from_pairs(prepared.items, [(prepared.items[i].id, prepared.items[j].id, s, f) for i, j, s, f in pairs])
    return clusters, prepared.over_budget


def find_leaks(items: list[Item], others: list[Item], config: DedupeConfig) -> list[Pair]:
    mine, theirs = prepare(items, config), prepare(others, config)
    if not mine.items or not theirs.items:
        return []
    from datasketch import LeanMinHash

    lsh = _lsh(theirs.signatures, list(range(len(theirs.items))), config)
    candidates = [(i, j) for i in range(len(mine.items)) for j in lsh.query(LeanMinHash(seed=SEED, hashvalues=mine.signatures[i], scheme=SCHEME))]
    leaks = [Pair(mine.items[i].id, theirs.items[j].id, round(s, 4), round(f, 4)) for i, j, s, f in _confirm_candidates(mine, theirs, candidates, config)]
    return sorted(leaks, key=lambda p: (p.a, p.b))


def scan(signature: np.ndarray, matrix: np.ndarray, config: DedupeConfig) -> np.ndarray:
    """Rows of a persisted signature matrix worth confirming against one signature."""
    return np.flatnonzero(estimated_jaccard(signature, matrix) >= config.threshold - ESTIMATE_MARGIN)


def clusters_from_pairs(items: list[Item], pairs: list[tuple[str, str, float, float]]) -> list[Cluster]:
    """Connected components of the confirmed pairs, each with its keeper and why. A rejected
    example is in no cluster: its rejection already records that it loses (and must be
    committable, so it is not flagged either)."""
    left_out = {item.id for item in items if item.status in RECORD_ONLY_STATUSES}
    pairs = [pair for pair in pairs if pair[0] not in left_out and pair[1] not in left_out]
    parent: dict[str, str] = {}

    def root(node: str) -> str:
        parent.setdefault(node, node)
        while parent[node] != node:
            parent[node] = parent[parent[node]]
            node = parent[node]
        return node

    for a, b, _, _ in pairs:
        parent[root(a)] = root(b)
    members: dict[str, list[str]] = {}
    for node in list(parent):
        members.setdefault(root(node), []).append(node)
    edges: dict[str, list[Pair]] = {}
    for a, b, similarity, score in pairs:
        first, second = sorted((a, b))
        edges.setdefault(root(a), []).append(Pair(first, second, round(similarity, 4), round(score, 4)))
    by_id = {item.id: item for item in items}
    clusters = []
    for key, group in members.items():
        group.sort()
        keeper, reason = choose_keeper([by_id[m] for m in group])
        clusters.append(Cluster(group, keeper.id, reason, sorted(edges[key], key=lambda p: (p.a, p.b))))
    return sorted(clusters, key=lambda c: c.members[0])


def keeper_key(item: Item) -> tuple[bool, bool, int, float, str]:
    return (item.status != "approved", item.status in NEVER_KEEPER_STATUSES, -item.richness, item.order, item.id)


def choose_keeper(members: list[Item]) -> tuple[Item, str]:
    """Approved first, then anything but a draft, then the richest explanation, then the
    oldest, then path order."""
    ranked = sorted(members, key=keeper_key)
    keeper, runner_up = ranked[0], ranked[1]
    if keeper.status == "approved" and runner_up.status != "approved":
        return keeper, "the only approved member"
    if keeper.status not in NEVER_KEEPER_STATUSES and runner_up.status in NEVER_KEEPER_STATUSES:
        return keeper, f"{runner_up.status} examples never keep a cluster"
    if keeper.richness != runner_up.richness:
        return keeper, f"richest explanation ({keeper.richness} vs {runner_up.richness} characters)"
    if keeper.order != runner_up.order:
        return keeper, "oldest (added first)"
    return keeper, "first in path order (no other difference)"
