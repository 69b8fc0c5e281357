"""The two statements of the front matter contract agree: the JSON Schema
(`curate.schema.schema_validator`, what BBJ2xx report) and the pydantic model
(`curate.schema.ExampleMeta`, what Python code types against) accept and reject the same
mappings. Each fixture also states the expected verdict, so both cannot drift together."""

from __future__ import annotations

from typing import Any

import pytest
from pydantic import ValidationError

from curate.rules.front_matter import InvalidValue, MissingRequiredKey, UnknownKey  # noqa: F401  (the rules that use the schema)
from curate.schema import DIFFICULTIES, GENERATIONS, STATUSES, TYPES, ExampleMeta, schema_errors, schema_validator

BASE: dict[str, Any] = {"title": "Read a record", "type": "completion", "generation": "all"}


def meta(**changes: Any) -> dict[str, Any]:
    """BASE with keys changed; a value of ... removes the key."""
    out = {**BASE, **changes}
    return {k: v for k, v in out.items() if v is not ...}


VALID: list[tuple[str, dict[str, Any]]] = [
    ("minimal", meta()),
    *[(f"type-{t}", meta(type=t)) for t in TYPES],
    *[(f"generation-{g}", meta(generation=g)) for g in GENERATIONS],
    ("generation-list-one", meta(generation=["dwc"])),
    ("generation-list-all-four", meta(generation=list(GENERATIONS))),
    *[(f"difficulty-{d}", meta(difficulty=d)) for d in DIFFICULTIES],
    *[(f"status-{s}", meta(status=s)) for s in STATUSES],
    ("tags", meta(tags=["event-handling", "gui", "x1"])),
    ("tags-empty", meta(tags=[])),
    (
        "every-key",
        meta(
            difficulty="advanced",
            tags=["sql"],
            description="d",
            requires_version="23.00",
            from_generation="vpro5",
            to_generation="bbj-gui",
            status="approved",
            reviewer="Ann",
            reviewed="2026-02-28",
            review_note="ok",
            source="original",
            lint_ignore=["BBJ302", "BBJ401"],
            type="migration",
        ),
    ),
    ("to-generation-list", meta(type="migration", from_generation="character", to_generation=["bbj-gui", "dwc"])),
    ("requires-version-one-digit", meta(requires_version="9.01")),
    ("reviewed-leap-day", meta(reviewed="2024-02-29")),
    ("lint-ignore-empty", meta(lint_ignore=[])),
    ("description-empty", meta(description="")),
    ("title-unicode", meta(title="Lire un enregistrement — déjà")),
]

INVALID: list[tuple[str, dict[str, Any]]] = [
    ("missing-title", meta(title=...)),
    ("missing-type", meta(type=...)),
    ("missing-generation", meta(generation=...)),
    ("empty-mapping", {}),
    ("unknown-key", meta(generations="all")),
    ("unknown-key-case", meta(Title="x")),
    ("title-empty", meta(title="")),
    ("title-blank", meta(title="   ")),
    ("title-number", meta(title=42)),
    ("title-null", meta(title=None)),
    ("title-list", meta(title=["a"])),
    ("title-bool", meta(title=True)),
    ("type-unknown", meta(type="tutorial")),
    ("type-case", meta(type="Completion")),
    ("generation-unknown", meta(generation="gui")),
    ("generation-list-empty", meta(generation=[])),
    ("generation-list-duplicate", meta(generation=["dwc", "dwc"])),
    ("generation-list-with-all", meta(generation=["all", "dwc"])),
    ("generation-list-unknown", meta(generation=["dwc", "web"])),
    ("generation-number", meta(generation=5)),
    ("generation-null", meta(generation=None)),
    ("difficulty-unknown", meta(difficulty="expert")),
    ("tags-not-list", meta(tags="gui")),
    ("tags-upper", meta(tags=["GUI"])),
    ("tags-space", meta(tags=["event handling"])),
    ("tags-underscore", meta(tags=["event_handling"])),
    ("tags-leading-dash", meta(tags=["-gui"])),
    ("tags-number", meta(tags=[1])),
    ("requires-version-bad", meta(requires_version="23")),
    ("requires-version-number", meta(requires_version=23.0)),
    ("from-generation-all", meta(type="migration", from_generation="all")),
    ("to-generation-list-empty", meta(type="migration", to_generation=[])),
    ("to-generation-list-repeats", meta(type="migration", to_generation=["dwc", "dwc"])),
    ("to-generation-list-all", meta(type="migration", to_generation=["all"])),
    ("status-unknown", meta(status="done")),
    ("reviewed-month-13", meta(reviewed="2026-13-01")),
    ("reviewed-feb-30", meta(reviewed="2026-02-30")),
    ("reviewed-not-leap", meta(reviewed="2026-02-29")),
    ("reviewed-short", meta(reviewed="2026-1-5")),
    ("reviewed-datetime", meta(reviewed="2026-01-05T10:00:00")),
    ("reviewed-number", meta(reviewed=20260105)),
    ("reviewer-number", meta(reviewer=7)),
    ("lint-ignore-lower", meta(lint_ignore=["bbj302"])),
    ("lint-ignore-short", meta(lint_ignore=["BBJ30"])),
    ("lint-ignore-string", meta(lint_ignore="BBJ302")),
    ("lint-ignore-duplicate", meta(lint_ignore=["BBJ302", "BBJ302"])),
    ("lint-ignore-number", meta(lint_ignore=[302])),
    ("source-list", meta(source=["a"])),
]
OPTIONAL_KEYS = (
    "difficulty",
    "tags",
    "description",
    "requires_version",
    "from_generation",
    "to_generation",
    "status",
    "reviewer",
    "reviewed",
    "review_note",
    "source",
    "lint_ignore",
)
# `difficulty:` with no value is YAML null: the schema rejects it (a forgotten value), so must the model.
INVALID += [(f"{key.replace('_', '-')}-null", meta(**{key: None})) for key in OPTIONAL_KEYS]


FIXTURES = [(name, value, True) for name, value in VALID] + [(name, value, False) for name, value in INVALID]
PARAMS = [
    pytest.param(
        name,
        value,
        valid,
        id=name,
    )
    for name, value, valid in FIXTURES
]


def pydantic_accepts(value: dict[str, Any]) -> bool:
    try:
        ExampleMeta.model_validate(value)
    except ValidationError:
        return False
    return True


def test_fixture_set_is_large_and_named_uniquely() -> None:
    names = [name for name, _, _ in FIXTURES]
    assert len(names) == len(set(names))
    assert len(VALID) >= 25 and len(INVALID) >= 25


def test_every_schema_key_is_exercised() -> None:
    keys = set(ExampleMeta.model_fields)
    assert keys == set(schema_validator().schema["properties"])
    assert keys <= {k for _, value, _ in FIXTURES for k in value}


@pytest.mark.parametrize(("name", "value", "valid"), PARAMS)
def test_json_schema_and_pydantic_agree(name: str, value: dict[str, Any], valid: bool) -> None:
    by_schema = schema_validator().is_valid(value)
    by_model = pydantic_accepts(value)
    assert (by_schema, by_model) == (valid, valid), f"schema says {by_schema}, pydantic says {by_model}, expected {valid}"
    assert (schema_errors(value) == []) is valid, "schema_errors (what BBJ201-203 report) must agree too"
