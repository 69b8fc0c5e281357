"""Dedupe findings as diagnostics: BBJ601 (near duplicate) and BBJ602 (exact duplicate after
normalization) on every member of a cluster except its keeper, at the member's title line.
Both are errors: a commit hook must stop a duplicate from entering the training set."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from curate.diagnostics import Diagnostic, Severity
from curate.timebudget import over_budget

if TYPE_CHECKING:
    from curate.config import CurateConfig
    from curate.dedupe import Cluster, Pair
    from curate.example import Example

NEAR_DUPLICATE = "BBJ601"
EXACT_DUPLICATE = "BBJ602"


def _closest(cluster: Cluster, member: str) -> Pair:
    """The pair that best explains why `member` is flagged: with the keeper, else its closest."""
    own = [p for p in cluster.pairs if member in (p.a, p.b)]
    return max(own, key=lambda p: (cluster.keeper in (p.a, p.b), p.jaccard, p.score))


def cluster_diagnostics(clusters: list[Cluster], locate: Callable[[str], tuple[str, int]], show: Callable[[str], str] = str) -> list[Diagnostic]:
    """`locate(id)` gives (display path, title line); `show(id)` how to name another member."""
    diags = []
    for cluster in clusters:
        keep = f"keep {show(cluster.keeper)} ({cluster.reason})"
        for member in cluster.members:
            if member == cluster.keeper:
                continue
            pair = _closest(cluster, member)
            other = show(pair.b if pair.a == member else pair.a)
            path, line = locate(member)
            if pair.jaccard == 1.0 and pair.score == 1.0:
                code, message = EXACT_DUPLICATE, f"exact duplicate of {other} after normalization; {keep}"
            else:
                code, message = NEAR_DUPLICATE, f"near duplicate of {other} (Jaccard {pair.jaccard:.2f}, similarity {pair.score:.2f}); {keep}"
            hint = f"merge what this file adds into {show(cluster.keeper)} and delete it, or make it teach something else"
            diags.append(Diagnostic(path, line, 1, code, Severity.ERROR, message, hint=hint))
    return diags


def check_examples(examples: list[Example], config: CurateConfig, budget: float | None = None) -> list[Diagnostic]:
    """The `bbj-curate check` step's findings: cluster the examples from scratch; an example
    over `budget` seconds of dedupe work is left out with a BBJ007 finding."""
    if len(examples) < 2:
        return []
    from curate.dedupe import DedupeConfig, items_from_examples
    from curate.dedupe.cluster import clustering

    by_path = {e.display_path: e for e in examples}
    settings = DedupeConfig(threshold=config.dedupe_threshold, item_budget=budget)
    clusters, late = clustering(items_from_examples(examples), settings)
    late_diags = [over_budget(item.id, settings.item_budget or 0) for item in late]
    return late_diags + cluster_diagnostics(clusters, lambda member: (member, by_path[member].line_of_key("title")))
