"""The front matter contract, twice: the JSON Schema file (for other tools and editors) and a
pydantic v2 model (`curate.meta_model.ExampleMeta`, typed access). A test feeds both the same fixtures."""

from __future__ import annotations

import json
import re
from functools import cache
from importlib import resources
from typing import Any

from curate.vocabulary import DIFFICULTIES, GENERATIONS, STATUSES, TYPES

__all__ = ["DIFFICULTIES", "GENERATIONS", "STATUSES", "TYPES", "schema_document", "schema_errors", "schema_validator"]


@cache
def schema_document() -> dict[str, Any]:
    """The JSON Schema shipped inside the package (schema/example.schema.json)."""
    text = resources.files("curate").joinpath("data/example.schema.json").read_text("utf-8")
    return json.loads(text)


def _inline_refs(node: Any, defs: dict[str, Any]) -> Any:
    """Replace local `$ref`s by their targets: the same schema, validated without lookups."""
    if isinstance(node, dict):
        ref = node.get("$ref", "")
        if ref.startswith("#/$defs/"):
            return _inline_refs(defs[ref.removeprefix("#/$defs/")], defs)
        return {k: _inline_refs(v, defs) for k, v in node.items() if k != "$defs"}
    if isinstance(node, list):
        return [_inline_refs(v, defs) for v in node]
    return node


@cache
def schema_validator() -> Any:
    from jsonschema import Draft202012Validator

    document = schema_document()
    return Draft202012Validator(_inline_refs(document, document.get("$defs", {})), format_checker=Draft202012Validator.FORMAT_CHECKER)


def __getattr__(name: str) -> Any:
    """`ExampleMeta` (pydantic) loads on first use, keeping pydantic off the hook path."""
    if name == "ExampleMeta":
        from curate.meta_model import ExampleMeta

        return ExampleMeta
    raise AttributeError(name)


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
    return list(dict.fromkeys(errors))  # a value failing two checks with one errorMessage is said once


def _describe(error: Any) -> str:
    key = ".".join(str(p) for p in error.absolute_path)
    if error.validator == "enum":
        allowed = ", ".join(str(v) for v in error.validator_value)
        return f"'{key}' must be one of: {allowed} (got {error.instance!r})"
    if error.validator in ("pattern", "format") and "errorMessage" in error.schema:
        # the schema's plain words ("must be kebab-case, e.g. read-file"), never the regex
        return f"{error.absolute_path[0]} {error.schema['errorMessage']} (got {error.instance!r})"
    if error.validator == "oneOf" and key == "generation":
        return f"'generation' must be 'all', one of {', '.join(GENERATIONS)}, or a unique non-empty list of those (got {error.instance!r})"
    return f"'{key}': {error.message}" if key else error.message
