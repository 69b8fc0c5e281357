"""`bbj-curate dedupe`: near-duplicate clusters of examples with a suggested keeper each.
Exit 1 when a cluster flags a member the gate blocks (as `bbj-curate check` does: a draft's
duplicate findings are warnings, see `curate.trainable`), 0 otherwise, 2 on usage errors."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import TYPE_CHECKING

import click

if TYPE_CHECKING:
    from curate.dedupe import Cluster
    from curate.example import Example

from curate.commands.options import CONFIG_HELP, resolve_config


@click.command()
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path))
@click.option(
    "--threshold", type=click.FloatRange(0, 1, min_open=True), default=None, help="Jaccard threshold (default: dedupe-threshold from the config, 0.7)."
)
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True, help="Output format.")
@click.option("--config", "config_file", type=click.Path(path_type=Path, dir_okay=False, exists=True), help=CONFIG_HELP)
def dedupe(paths: tuple[Path, ...], threshold: float | None, fmt: str, config_file: Path | None) -> None:
    """Find near-duplicate examples and suggest which to keep."""
    from curate import progress
    from curate.dedupe import DedupeConfig, find_clusters, items_from_examples
    from curate.discover import discover
    from curate.example import load_example

    paths = paths or (Path("training-data"),)
    config = resolve_config(paths, config_file, (), (), None)
    targets, problems = discover(list(paths), config)
    examples = []
    progress.enable(sys.stderr)
    with progress.task("load", len(targets)) as advance:
        for target in targets:
            example, notes = load_example(target.path, target.display, target.topic)
            if example is None:
                problems.extend(notes)
            else:
                examples.append(example)
            advance(1)
    for problem in problems:  # unreadable files are skipped, and said so
        click.echo(f"skipped {problem.render()}", err=True)
    clusters = find_clusters(items_from_examples(examples), DedupeConfig(threshold=threshold or config.dedupe_threshold))
    if fmt == "json":
        document = {
            "clusters": [
                {
                    "members": c.members,
                    "keeper": c.keeper,
                    "reason": c.reason,
                    "pairs": [{"a": p.a, "b": p.b, "jaccard": p.jaccard, "score": p.score} for p in c.pairs],
                }
                for c in clusters
            ]
        }
        click.echo(json.dumps(document, indent=2))
    else:
        click.echo(_text(clusters, len(examples)))
    raise click.exceptions.Exit(1 if _blocking(clusters, examples, config.trainable_statuses) else 0)


def _blocking(clusters: list[Cluster], examples: list[Example], trains: list[str]) -> bool:
    """Whether a flagged member (any but the keeper) is gated: drafts' duplicates do not block."""
    from curate.trainable import is_gated

    status = {e.display_path: e.status for e in examples}
    return any(is_gated(status[m], status[m] in trains) for c in clusters for m in c.members if m != c.keeper)


def _text(clusters: list[Cluster], examples: int) -> str:
    lines = []
    for number, cluster in enumerate(clusters, 1):
        lines.append(f"cluster {number}: {len(cluster.members)} examples; keep {cluster.keeper} ({cluster.reason})")
        for member in cluster.members:
            lines.append(f"  {'*' if member == cluster.keeper else '-'} {member}")
        for pair in cluster.pairs:
            lines.append(f"    {pair.a} ~ {pair.b}: Jaccard {pair.jaccard:.2f}, similarity {pair.score:.2f}")
    flagged = sum(len(c.members) - 1 for c in clusters)
    if clusters:
        lines.append(f"Found {len(clusters)} cluster{'s' if len(clusters) != 1 else ''}: {flagged} of {examples} examples duplicate a keeper.")
    else:
        lines.append(f"No near duplicates among {examples} example{'s' if examples != 1 else ''}.")
    return "\n".join(lines)
