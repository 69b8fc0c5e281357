"""BBJ204-208: front matter that is valid on its own but inconsistent: migration keys against
the type, `lint_ignore` codes nobody emits, and titles repeated across the set."""

from __future__ import annotations

import math
import os
import re
from collections.abc import Iterable, Iterator

from curate.diagnostics import Diagnostic
from curate.example import Example
from curate.rules.base import ProjectRule, Rule, RuleContext, unknown_code_message
from curate.schema import GENERATIONS, TYPES

MIGRATION_KEYS = ("from_generation", "to_generation")
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
    nothing while its author believes a finding was handled. An error, naming the closest
    known code (prefixes are not allowed here: `lint_ignore` takes exact codes), and a
    configuration error: `check`, `lint` and the hooks exit 2 when they report it, as for an
    unknown code in `[tool.bbj-curate]`.

    Bad:
        lint_ignore: [BBJ999]
    Good:
        lint_ignore: [BBJ302]
    """

    code = "BBJ207"
    name = "unknown-lint-ignore-code"
    summary = "lint_ignore names an unknown rule code"

    def check(self, example: Example, ctx: RuleContext) -> Iterable[Diagnostic]:
        entries = example.meta.get("lint_ignore")
        if not isinstance(entries, list):
            return
        for entry in entries:
            problem = unknown_code_message(str(entry), exact=True)
            if problem:
                yield self.diag(example, example.line_of_key("lint_ignore"), f"lint_ignore: {problem}")


def title_key(title: str) -> str:
    """Titles compare case-insensitively with runs of whitespace collapsed."""
    return WHITESPACE.sub(" ", title).strip().casefold()


class DuplicateTitle(ProjectRule):
    """Two examples share a title (compared case-insensitively, whitespace collapsed). The
    title belongs to an approved example before an unapproved one, then to a committed one
    before a new one (the older commit first), then to the first in path order; each other holder is
    reported at its `title:` line, naming the owner.

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
        for blamed, owner in self.duplicates(examples):
            yield self.diag(blamed, blamed.line_of_key("title"), f"title {blamed.title!r} is already used by {owner.display_path}")

    @staticmethod
    def duplicates(examples: list[Example]) -> Iterator[tuple[Example, Example]]:
        """(example to blame, the title's owner) for every title held more than once."""
        groups: dict[str, list[Example]] = {}
        for example in examples:
            title = example.meta.get("title")
            if isinstance(title, str) and title.strip():
                groups.setdefault(title_key(title), []).append(example)
        for group in groups.values():
            if len(group) < 2:
                continue
            from curate.dedupe.items import first_commit_times

            committed = first_commit_times([e.path for e in group])
            added = {id(e): committed.get(os.path.abspath(e.path), math.inf) for e in group}
            owner, *others = sorted(group, key=lambda e: (e.status != "approved", added[id(e)], e.display_path))
            for blamed in sorted(others, key=lambda e: e.display_path):
                yield blamed, owner
