"""docs/rules.md states what the code does: its code table is the registry and its pattern
table is GENERATION_PATTERNS, row for row."""

from __future__ import annotations

import re
from pathlib import Path

from curate.rules.base import all_rules
from curate.schema import GENERATIONS
from curate.vocabulary.generation_table import GENERATION_PATTERNS

DOC = Path(__file__).resolve().parents[2] / "docs" / "rules.md"
ROW = re.compile(r"^\|(.+)\|\s*$")


def table_rows(first_header: str) -> list[list[str]]:
    """Cells of the table whose first header cell is `first_header` (separator row dropped)."""
    rows: list[list[str]] = []
    inside = False
    for line in DOC.read_text("utf-8").split("\n"):
        match = ROW.match(line)
        if not match:
            if inside:
                break
            continue
        cells = [cell.strip() for cell in match.group(1).split("|")]
        if not inside:
            inside = cells[0] == first_header
            continue
        if not set(cells[0]) <= set("-: "):
            rows.append(cells)
    return rows


def test_code_table_matches_the_registry() -> None:
    documented = [(c[0], c[1].strip("`"), c[2], c[3] == "yes", c[4]) for c in table_rows("code")]
    actual = [(r.code, r.name, r.severity.value, r.fixable, r.summary) for r in all_rules()]
    assert documented == actual


def test_pattern_table_matches_generation_patterns() -> None:
    documented = [(c[0].strip("`"), c[1], c[2], c[3].strip("`")) for c in table_rows("pattern")]
    actual = [(p.name, p.what, ", ".join(g for g in GENERATIONS if g in p.allowed), p.sample) for p in GENERATION_PATTERNS]
    assert documented == actual
