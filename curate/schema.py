"""The front matter contract, twice: the JSON Schema file (for other tools and editors) and a
pydantic v2 model (typed access in Python). A test feeds both the same fixtures."""

from __future__ import annotations

import datetime as dt
import json
import re
from functools import cache
from importlib import resources
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator

GENERATIONS = ("character", "vpro5", "bbj-gui", "dwc")
TYPES = ("completion", "comprehension", "migration", "explanation")
DIFFICULTIES = ("basic", "intermediate", "advanced")
STATUSES = ("draft", "in-review", "approved", "needs-work", "rejected")

GenerationName = Literal["character", "vpro5", "bbj-gui", "dwc"]
KebabTag = Annotated[str, Field(pattern=r"^[a-z0-9]+(-[a-z0-9]+)*$")]
RuleCode = Annotated[str, Field(pattern=r"^BBJ[0-9]{3}$")]


@cache
def schema_document() -> dict[str, Any]:
    """The JSON Schema shipped inside the package (schema/example.schema.json)."""
    text = resources.files("curate").joinpath("data/example.schema.json").read_text("utf-8")
    return json.loads(text)


@cache
def schema_validator() -> Any:
    from jsonschema import Draft202012Validator

    return Draft202012Validator(schema_document(), format_checker=Draft202012Validator.FORMAT_CHECKER)


class ExampleMeta(BaseModel):
    """Typed front matter; mirrors schema/example.schema.json exactly."""

    model_config = ConfigDict(extra="forbid", strict=True)

    title: Annotated[str, Field(min_length=1, pattern=r"\S")]
    type: Literal["completion", "comprehension", "migration", "explanation"]
    generation: Literal["all"] | GenerationName | list[GenerationName]
    difficulty: Literal["basic", "intermediate", "advanced"] | None = None
    tags: list[KebabTag] | None = None
    description: str | None = None
    requires_version: Annotated[str, Field(pattern=r"^[0-9]{1,2}\.[0-9]{2}$")] | None = None
    from_generation: GenerationName | None = None
    to_generation: GenerationName | None = None
    status: Literal["draft", "in-review", "approved", "needs-work", "rejected"] | None = None
    reviewer: str | None = None
    reviewed: Annotated[str, Field(pattern=r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$")] | None = None
    review_note: str | None = None
    source: str | None = None
    lint_ignore: list[RuleCode] | None = None

    @field_validator("generation")
    @classmethod
    def _unique_non_empty(cls, value: Any) -> Any:
        if isinstance(value, list) and (not value or len(set(value)) != len(value)):
            raise ValueError("generation list must be non-empty and without repeats")
        return value

    @field_validator("reviewed")
    @classmethod
    def _real_date(cls, value: str | None) -> str | None:
        if value is not None:
            dt.date.fromisoformat(value)
        return value

    @field_validator("lint_ignore", "tags")
    @classmethod
    def _unique_codes(cls, value: list[str] | None, info: Any) -> list[str] | None:
        if info.field_name == "lint_ignore" and value is not None and len(set(value)) != len(value):
            raise ValueError("lint_ignore entries must be unique")
        return value


def schema_errors(meta: dict[str, Any]) -> list[tuple[str, str]]:
    """(top-level key or '', message) for each JSON Schema violation, in a stable order."""
    errors = []
    for error in sorted(schema_validator().iter_errors(meta), key=lambda e: (list(e.absolute_path), e.message)):
        key = str(error.absolute_path[0]) if error.absolute_path else ""
        if error.validator == "additionalProperties":
            extra = re.findall(r"'([^']+)'", error.message)
            for name in extra or [""]:
                errors.append((name, f"unknown key '{name}'" if name else error.message))
            continue
        if error.validator == "required":
            errors.append(("", error.message))
            continue
        errors.append((key, _describe(error)))
    return errors


def _describe(error: Any) -> str:
    key = ".".join(str(p) for p in error.absolute_path)
    if error.validator == "enum":
        allowed = ", ".join(str(v) for v in error.validator_value)
        return f"'{key}' must be one of: {allowed} (got {error.instance!r})"
    if error.validator == "oneOf" and key == "generation":
        return f"'generation' must be 'all', one of {', '.join(GENERATIONS)}, or a unique non-empty list of those (got {error.instance!r})"
    return f"'{key}': {error.message}" if key else error.message
