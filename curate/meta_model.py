"""Typed front matter: a pydantic v2 model mirroring schema/example.schema.json exactly."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator

GenerationName = Literal["character", "vpro5", "bbj-gui", "dwc"]
KebabTag = Annotated[str, Field(pattern=r"^[a-z0-9]+(-[a-z0-9]+)*$")]
RuleCode = Annotated[str, Field(pattern=r"^BBJ[0-9]{3}$")]


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
    to_generation: GenerationName | list[GenerationName] | None = None
    status: Literal["draft", "in-review", "approved", "needs-work", "rejected"] | None = None
    reviewer: str | None = None
    reviewed: Annotated[str, Field(pattern=r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$")] | None = None
    review_note: str | None = None
    source: str | None = None
    lint_ignore: list[RuleCode] | None = None

    @field_validator("*", mode="before")
    @classmethod
    def _no_explicit_null(cls, value: Any) -> Any:
        """`key:` with no value is YAML null; the schema rejects it, so the model does too
        (an absent key is still None through the field's default, which is not validated)."""
        if value is None:
            raise ValueError("null is not allowed: give a value or remove the key")
        return value

    @field_validator("generation", "to_generation")
    @classmethod
    def _unique_non_empty(cls, value: Any) -> Any:
        if isinstance(value, list) and (not value or len(set(value)) != len(value)):
            raise ValueError("a generation list must be non-empty and without repeats")
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
