"""BBJ2xx: the front matter against schema/example.schema.json, each finding at its key's line."""

from __future__ import annotations

from collections.abc import Iterable

from curate.diagnostics import Diagnostic
from curate.example import Example
from curate.rules.base import Rule, RuleContext
from curate.vocabulary import schema_error_code


class MissingRequiredKey(Rule):
    """A required front matter key (title, type, generation) is missing.

    Bad:
        ---
        title: Read a record
        type: completion
        ---
    Good:
        ---
        title: Read a record
        type: completion
        generation: all
        ---
    """

    code = "BBJ201"
    name = "missing-required-key"
    summary = "Required front matter key is missing"

    def check(self, example: Example, ctx: RuleContext) -> Iterable[Diagnostic]:
        for key, message in example.schema_errors:
            if schema_error_code(key, message) == self.code:
                yield self.diag(example, example.front_matter_line - 1, f"front matter: {message}", hint="add the key to the front matter")


class UnknownKey(Rule):
    """The front matter has a key the schema does not know (often a typo).

    Bad:
        generations: bbj-gui
    Good:
        generation: bbj-gui
    """

    code = "BBJ202"
    name = "unknown-key"
    summary = "Unknown front matter key"

    def check(self, example: Example, ctx: RuleContext) -> Iterable[Diagnostic]:
        for key, message in example.schema_errors:
            if schema_error_code(key, message) == self.code:
                yield self.diag(example, example.line_of_key(key), message, hint="see training-data/FORMAT.md for the allowed keys")


class InvalidValue(Rule):
    """A front matter value breaks the schema: a wrong enum, type, pattern or list.

    Bad:
        type: tutorial
        tags: [Event Handling]
    Good:
        type: explanation
        tags: [event-handling]
    """

    code = "BBJ203"
    name = "invalid-value"
    summary = "Front matter value does not match the schema"

    def check(self, example: Example, ctx: RuleContext) -> Iterable[Diagnostic]:
        for key, message in example.schema_errors:
            if schema_error_code(key, message) == self.code:
                yield self.diag(example, example.line_of_key(key), message, hint="run `bbj-curate schema` to see what is allowed")
