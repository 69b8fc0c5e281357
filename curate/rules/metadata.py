"""BBJ204-208: front matter that is valid on its own but inconsistent: migration keys against
the type, `lint_ignore` codes nobody emits, and titles repeated across the set."""

from __future__ import annotations

import re
from collections.abc import Iterable

from curate.diagnostics import Diagnostic, Severity
from curate.example import Example
from curate.rules.base import ProjectRule, Rule, RuleContext, known_codes
from curate.schema import GENERATIONS, TYPES

MIGRATION_KEYS = ("from_generation", "to_generation")
RULE_CODE = re.compile(r"^BBJ([0-9])[0-9]{2}$")
WHITESPACE = re.compile(r"\s+")


class MigrationKeysOnNonMigration(Rule):
    """`from_generation` or `to_generation` on an example whose type is not `migration`.

    Bad:
        type: completion
        from_generation: vpro5
    Good:
        type: migration
        from_generation: vpro5
        to_generation: bbj-gui
    """

    code = "BBJ204"
    name = "migration-keys-on-non-migration"
    summary = "from_generation/to_generation on a non-migration example"

    def check(self, example: Example, ctx: RuleContext) -> Iterable[Diagnostic]:
        if example.type in TYPES and example.type != "migration":
            for key in MIGRATION_KEYS:
                if key in example.meta:
                    yield self.diag(example, example.line_of_key(key), f"'{key}' is only meaningful for type: migration")


class MissingMigrationGeneration(Rule):
    """A migration lacks `from_generation` or `to_generation` (reported at the `type:` line).

    Bad:
        type: migration
        from_generation: vpro5
    Good:
        type: migration
        from_generation: vpro5
        to_generation: bbj-gui
    """

    code = "BBJ205"
    name = "missing-migration-generation"
    summary = "Migration lacks from_generation or to_generation"

    def check(self, example: Example, ctx: RuleContext) -> Iterable[Diagnostic]:
        if example.type == "migration":
            for key in MIGRATION_KEYS:
                if example.meta.get(key) is None:
                    yield self.diag(example, example.line_of_key("type"), f"a migration needs '{key}'")


class SameMigrationGeneration(Rule):
    """A migration whose `to_generation` is (or lists) its `from_generation` migrates nothing.

    Bad:
        from_generation: bbj-gui
        to_generation: bbj-gui
    Good:
        from_generation: vpro5
        to_generation: bbj-gui
    """

    code = "BBJ206"
    name = "same-migration-generation"
    summary = "Migration's to_generation is or lists its from_generation"

    def check(self, example: Example, ctx: RuleContext) -> Iterable[Diagnostic]:
        source, targets = example.meta.get("from_generation"), example.generations_of("to_generation")
        if isinstance(source, str) and source in GENERATIONS and source in targets:
            yield self.diag(example, example.line_of_key("to_generation"), f"to_generation names from_generation '{source}' itself")


class UnknownLintIgnoreCode(Rule):
    """`lint_ignore` names a code that no rule or checker emits (often a typo), so it silences
    nothing. Codes of a family with no catalogued code yet (e.g. checkers that do not register
    their codes) are not judged.

    Bad:
        lint_ignore: [BBJ999]
    Good:
        lint_ignore: [BBJ302]
    """

    code = "BBJ207"
    name = "unknown-lint-ignore-code"
    summary = "lint_ignore names an unknown rule code"
    severity = Severity.WARNING

    def check(self, example: Example, ctx: RuleContext) -> Iterable[Diagnostic]:
        entries = example.meta.get("lint_ignore")
        if not isinstance(entries, list):
            return
        known = known_codes()
        families = {code[3] for code in known}
        for entry in entries:
            match = RULE_CODE.match(str(entry))
            if match and entry not in known and match.group(1) in families:
                yield self.diag(
                    example, example.line_of_key("lint_ignore"), f"lint_ignore names unknown code '{entry}'", hint="`bbj-curate rules` lists every code"
                )


def title_key(title: str) -> str:
    """Titles compare case-insensitively with runs of whitespace collapsed."""
    return WHITESPACE.sub(" ", title).strip().casefold()


class DuplicateTitle(ProjectRule):
    """Two examples share a title (compared case-insensitively, whitespace collapsed). Each
    duplicate after the first (in path order) is reported at its `title:` line, naming the first.

    Bad:
        gui/open-window.md:     title: Open a window
        gui/open-a-window.md:   title: Open a Window
    Good:
        gui/open-window.md:     title: Open a window
        gui/open-a-window.md:   title: Open a window with a close button
    """

    code = "BBJ208"
    name = "duplicate-title"
    summary = "Title is already used by another example"

    def check_all(self, examples: list[Example], ctx: RuleContext) -> Iterable[Diagnostic]:
        first: dict[str, Example] = {}
        for example in sorted(examples, key=lambda e: e.display_path):
            title = example.meta.get("title")
            if not isinstance(title, str) or not title.strip():
                continue
            key = title_key(title)
            if key in first:
                yield self.diag(example, example.line_of_key("title"), f"title {title!r} is already used by {first[key].display_path}")
            else:
                first[key] = example
