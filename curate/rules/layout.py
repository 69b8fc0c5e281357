"""BBJ112-113: where the file lives. The example's id is `<topic>/<stem>`, so the stem must be
kebab-case and the folder one of the configured topics."""

from __future__ import annotations

import re
from collections.abc import Iterable

from curate.diagnostics import Diagnostic
from curate.example import Example
from curate.rules.base import Rule, RuleContext

KEBAB_FILE_NAME = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*\.md$")


class FileNameNotKebabCase(Rule):
    """The file name is not lower-case kebab-case ending in `.md`.

    Bad:
        training-data/gui/Open_Window.md
    Good:
        training-data/gui/open-window.md
    """

    code = "BBJ112"
    name = "file-name-not-kebab-case"
    summary = "File name is not kebab-case (a-z, 0-9, '-') with a .md suffix"

    def check(self, example: Example, ctx: RuleContext) -> Iterable[Diagnostic]:
        if not KEBAB_FILE_NAME.match(example.path.name):
            yield self.diag(example, 1, f"file name '{example.path.name}' is not kebab-case", hint="rename it like 'open-a-window.md'")


class UnknownTopic(Rule):
    """The file is not in a topic folder listed in `[tool.bbj-curate] topics`.

    Bad:
        training-data/misc/open-window.md
        training-data/open-window.md
    Good:
        training-data/gui/open-window.md
    """

    code = "BBJ113"
    name = "unknown-topic"
    summary = "File is not under a known topic folder"

    def check(self, example: Example, ctx: RuleContext) -> Iterable[Diagnostic]:
        topics = ctx.config.topics
        hint = f"known topics: {', '.join(topics)} (configure `topics` to add one)"
        if not example.topic:
            yield self.diag(example, 1, "file is not in a topic folder", hint=hint)
        elif example.topic not in topics:
            yield self.diag(example, 1, f"folder '{example.topic}' is not a known topic", hint=hint)
