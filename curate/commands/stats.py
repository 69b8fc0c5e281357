"""`bbj-curate stats`: counts by generation x type, difficulty, topic and status as tables."""

from __future__ import annotations

import json
import sys
from collections import Counter
from pathlib import Path

import click

from curate.example import Example
from curate.schema import DIFFICULTIES, GENERATIONS, STATUSES, TYPES


def collect(examples: list[Example]) -> dict[str, object]:
    """Counts the stats screen and the CLI share; a multi-generation example counts once per label."""
    by_gen_type: Counter[tuple[str, str]] = Counter()
    for example in examples:
        for generation in example.generations or ["?"]:
            by_gen_type[(generation, example.type or "?")] += 1
    return {
        "examples": len(examples),
        "generation_x_type": {f"{g}|{t}": n for (g, t), n in sorted(by_gen_type.items())},
        "difficulty": dict(Counter(str(e.meta.get("difficulty", "unset")) for e in examples)),
        "topic": dict(Counter(e.topic or "?" for e in examples)),
        "status": dict(Counter(e.status for e in examples)),
    }


@click.command()
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path))
@click.option("--format", "fmt", type=click.Choice(["table", "json"]), default="table", show_default=True)
def stats(paths: tuple[Path, ...], fmt: str) -> None:
    """Count examples by generation x type, difficulty, topic and status."""
    from curate import progress
    from curate.config import load_config
    from curate.discover import discover
    from curate.errors import require_existing
    from curate.example import load_example

    paths = paths or (Path("training-data"),)
    require_existing(paths)
    config = load_config(list(paths))
    targets, _ = discover(list(paths), config)
    examples = []
    progress.enable(sys.stderr)
    with progress.task("load", len(targets)) as advance:
        for t in targets:
            example, _ = load_example(t.path, t.display, t.topic)
            if example is not None:
                examples.append(example)
            advance(1)
    data = collect(examples)
    if fmt == "json":
        click.echo(json.dumps(data, indent=2, sort_keys=True))
        return
    from rich.console import Console
    from rich.table import Table

    console = Console()
    grid = data["generation_x_type"]
    assert isinstance(grid, dict)
    generations = [*("all",), *GENERATIONS, *sorted({k.split("|")[0] for k in grid} - {"all", *GENERATIONS})]
    table = Table("generation", *TYPES, "total", title=f"{data['examples']} examples: generation x type")
    for generation in generations:
        row = [grid.get(f"{generation}|{t}", 0) for t in TYPES]
        table.add_row(generation, *(str(n) for n in row), str(sum(row)))
    console.print(table)
    for name, order in (("difficulty", DIFFICULTIES), ("topic", config.topics), ("status", STATUSES)):
        counts = data[name]
        assert isinstance(counts, dict)
        side = Table(name, "examples", title=f"by {name}")
        for key in [*order, *sorted(set(counts) - set(order))]:
            if counts.get(key):
                side.add_row(key, str(counts[key]))
        console.print(side)
