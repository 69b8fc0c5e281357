"""Schema messages are plain words: every `pattern` in the schema carries an `errorMessage`, and
no message a user sees spells out a regex (Rich markup in the TUI ate its `[a-z0-9]`)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from curate.schema import schema_document, schema_errors


def nodes_with_pattern(node: Any, where: str = "") -> Iterator[tuple[str, dict[str, Any]]]:
    if isinstance(node, dict):
        if "pattern" in node:
            yield where, node
        for key, value in node.items():
            yield from nodes_with_pattern(value, f"{where}/{key}")
    elif isinstance(node, list):
        for index, value in enumerate(node):
            yield from nodes_with_pattern(value, f"{where}/{index}")


def test_every_pattern_says_in_words_what_it_wants() -> None:
    found = list(nodes_with_pattern(schema_document()))
    assert len(found) >= 5
    assert [where for where, node in found if not str(node.get("errorMessage", "")).startswith("must ")] == []


VALID = {"title": "Read a file", "type": "completion", "generation": "all"}


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        ({"tags": ["ok", "Read File"]}, "tags must be kebab-case, e.g. read-file (got 'Read File')"),
        ({"title": "   "}, "title must not be blank (got '   ')"),
        ({"requires_version": "23"}, "requires_version must be a BBj version, e.g. 23.10 (got '23')"),
        ({"reviewed": "17.05.2024"}, "reviewed must be a date, e.g. 2024-05-17 (got '17.05.2024')"),
        ({"reviewed": "2024-13-45"}, "reviewed must be a date, e.g. 2024-05-17 (got '2024-13-45')"),
        ({"lint_ignore": ["E501"]}, "lint_ignore must be a rule code, e.g. BBJ203 (got 'E501')"),
    ],
)
def test_pattern_errors_are_plain_words(extra: dict[str, Any], message: str) -> None:
    messages = [text for _, text in schema_errors({**VALID, **extra})]
    assert messages == [message]
    assert not any(c in message for c in "^$[]{}\\")
