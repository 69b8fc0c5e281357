"""Skeletons for new examples, shared by `bbj-curate new` and the review TUI's form, so a new
file is valid from its first save (status: draft) and only needs real content."""

from __future__ import annotations

import re
import unicodedata
from pathlib import Path

import yaml

from curate.schema import GENERATIONS, TYPES

CODE_PLACEHOLDER = "TODO: replace with the example program"
BEHAVIOR_PLACEHOLDER = "TODO: describe what the program does when it runs."
EXPLANATION_PLACEHOLDER = "TODO: explain how the code works and why it is written this way."
PLACEHOLDERS = (CODE_PLACEHOLDER, BEHAVIOR_PLACEHOLDER, EXPLANATION_PLACEHOLDER)
# Letters NFKD does not split into a base letter and accents.
TRANSLITERATIONS = str.maketrans({"ß": "ss", "æ": "ae", "Æ": "AE", "ø": "o", "Ø": "O", "œ": "oe", "Œ": "OE", "ł": "l", "Ł": "L", "đ": "d", "Đ": "D", "þ": "th"})

STARTER_CODE = {
    "character": f"print 'cs',@(10,5),\"{CODE_PLACEHOLDER}\"",
    "vpro5": f'print "{CODE_PLACEHOLDER}"',
    "bbj-gui": f'print "{CODE_PLACEHOLDER}"',
    "dwc": f'print "{CODE_PLACEHOLDER}"',
    "all": f'print "{CODE_PLACEHOLDER}"',
}


def slugify(title: str) -> str:
    """A kebab-case file stem from a title: 'Read a CSV file!' -> 'read-a-csv-file'; accented
    letters keep their base letter ('Größe ändern' -> 'grosse-andern') instead of vanishing."""
    ascii_title = unicodedata.normalize("NFKD", title.translate(TRANSLITERATIONS)).encode("ascii", "ignore").decode("ascii")
    slug = re.sub(r"[^a-z0-9]+", "-", ascii_title.lower()).strip("-")
    return slug[:60].rstrip("-") or "example"


def yaml_value(value: object) -> str:
    """One front matter value in flow style (`[a, b]` lists), safely quoted when needed."""
    dumped = yaml.safe_dump(value, allow_unicode=True, default_flow_style=True, width=1000).strip()
    return dumped.removesuffix("\n...").removesuffix("...").strip()


def _code_block(generation: str, title: str) -> str:
    first = STARTER_CODE.get(generation, STARTER_CODE["all"])
    return f"```bbj\nrem {title}\n{first}\n```"


def migration_generations(generation: str, from_generation: str | None, to_generation: str | None) -> tuple[str, str]:
    """A migration's (from, to) generations: the given ones, else a guess from `generation`
    (a migration usually moves older code to `generation`; Visual PRO/5 -> BBj GUI by default)."""
    source = from_generation or ("vpro5" if generation in ("bbj-gui", "all") else "bbj-gui")
    target = to_generation or (generation if generation in GENERATIONS and generation != source else "bbj-gui")
    return source, target


def render_skeleton(
    title: str,
    type_: str,
    generation: str | list[str],
    difficulty: str = "basic",
    tags: list[str] | None = None,
    from_generation: str | None = None,
    to_generation: str | None = None,
) -> str:
    """The full Markdown text of a new draft example of the given type."""
    if type_ not in TYPES:
        raise ValueError(f"unknown type {type_!r}; expected one of {', '.join(TYPES)}")
    meta: dict[str, object] = {"title": title, "type": type_, "generation": generation, "difficulty": difficulty}
    if tags:
        meta["tags"] = tags
    first_gen = generation[0] if isinstance(generation, list) else generation
    if type_ == "migration":
        meta["from_generation"], meta["to_generation"] = migration_generations(first_gen, from_generation, to_generation)
    meta["status"] = "draft"
    front = "\n".join(f"{key}: {yaml_value(value)}" for key, value in meta.items())
    parts = [f"---\n{front}\n---\n"]
    if type_ == "migration":
        parts.append(
            "## Code\n\n"
            f"### Before ({meta['from_generation']})\n\n{_code_block(str(meta['from_generation']), title + ' (before)')}\n\n"
            f"### After ({meta['to_generation']})\n\n{_code_block(str(meta['to_generation']), title + ' (after)')}\n"
        )
    else:
        parts.append(f"## Code\n\n{_code_block(first_gen, title)}\n")
    if type_ in ("completion", "comprehension"):
        parts.append(f"## Expected Behavior\n\n{BEHAVIOR_PLACEHOLDER}\n")
    parts.append(f"## Explanation\n\n{EXPLANATION_PLACEHOLDER}\n")
    return "\n".join(parts)


def new_example_path(data_root: Path, topic: str, title: str) -> Path:
    """training-data/<topic>/<slug>.md, with -2, -3... when the name is taken."""
    folder = data_root / topic
    stem = slugify(title)
    candidate = folder / f"{stem}.md"
    counter = 2
    while candidate.exists():
        candidate = folder / f"{stem}-{counter}.md"
        counter += 1
    return candidate
