"""`bbj-curate new`: scaffold a valid draft example from the shared templates."""

from __future__ import annotations

import re
from pathlib import Path

import click

from curate.schema import DIFFICULTIES, GENERATIONS, TYPES

TOPIC_FOLDER = re.compile(r"[A-Za-z0-9][A-Za-z0-9_-]*")  # one folder right under the data root, never a path
KEBAB_TAG = re.compile(r"[a-z0-9]+(-[a-z0-9]+)*")  # the schema's tag pattern


def _require_valid(text: str) -> None:
    """What `new` writes passes the schema: a skeleton nobody can commit is refused here."""
    from curate.frontmatter_yaml import load_front_matter
    from curate.schema import schema_errors

    problems = schema_errors(load_front_matter(text)[0])
    if problems:
        raise click.UsageError("the skeleton would not be valid: " + "; ".join(f"{key or 'front matter'}: {message}" for key, message in problems))


@click.command()
@click.option("--title", required=True, help="Title of the example (unique across the set).")
@click.option("--type", "type_", type=click.Choice(TYPES), required=True)
@click.option("--generation", "generations", multiple=True, type=click.Choice(["all", *GENERATIONS]), required=True, help="Repeat for several generations.")
@click.option("--topic", required=True, help="Topic folder under the data root (e.g. gui, strings).")
@click.option("--difficulty", type=click.Choice(DIFFICULTIES), default="basic", show_default=True)
@click.option("--tag", "tags", multiple=True, help="Kebab-case tag (repeatable).")
@click.option("--from-generation", type=click.Choice(GENERATIONS), help="Migration source generation.")
@click.option("--to-generation", type=click.Choice(GENERATIONS), help="Migration target generation.")
@click.option("--data-root", type=click.Path(path_type=Path, file_okay=False), default=None, help="Default: config data-root.")
@click.option("--force-topic", is_flag=True, help="Allow a topic that is not in the configured list.")
def new(title, type_, generations, topic, difficulty, tags, from_generation, to_generation, data_root, force_topic) -> None:  # type: ignore[no-untyped-def]
    """Write training-data/<topic>/<slug>.md with a valid skeleton and print its path."""
    from curate.atomic import write_text_atomic
    from curate.config import load_config
    from curate.lint import title_owner
    from curate.templates import migration_generations, new_example_path, render_skeleton

    config = load_config([data_root or Path.cwd()])
    root = data_root or (config.root / config.data_root)
    if not title.strip():
        raise click.BadParameter("must not be empty (the schema requires a title)", param_hint="--title")
    if not TOPIC_FOLDER.fullmatch(topic):
        raise click.BadParameter(
            f"{topic!r} is not one folder name (letters, digits, '-' and '_'); examples live in <data root>/<topic>/", param_hint="--topic"
        )
    if topic not in config.topics and not force_topic:
        raise click.UsageError(f"unknown topic {topic!r}; known topics: {', '.join(config.topics)} (or pass --force-topic)")
    if "all" in generations and len(generations) > 1:
        raise click.UsageError("'all' cannot be combined with other generations")
    owner = title_owner(title, config.replace(data_root=str(root)))
    if owner is not None:
        raise click.UsageError(f"title {title!r} is already used by {owner.display_path}; titles are unique across the set (BBJ208)")
    bad_tags = [tag for tag in tags if not KEBAB_TAG.fullmatch(tag)]
    if bad_tags:
        raise click.BadParameter(f"{', '.join(repr(t) for t in bad_tags)}: tags must be kebab-case, e.g. read-file", param_hint="--tag")
    generation: str | list[str] = generations[0] if len(generations) == 1 else list(generations)
    if type_ == "migration" and not (from_generation and to_generation):
        source, target = migration_generations(generations[0], from_generation, to_generation)
        click.echo(f"guessed a migration from {source} to {target}; pass --from-generation/--to-generation to choose", err=True)
    text = render_skeleton(title, type_, generation, difficulty, list(tags) or None, from_generation, to_generation)
    _require_valid(text)
    path = new_example_path(Path(root), topic, title)
    path.parent.mkdir(parents=True, exist_ok=True)
    write_text_atomic(path, text)
    click.echo(str(path))
