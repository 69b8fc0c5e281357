"""`--fix`: apply each fixable rule's repair to the file text and write it back atomically.
File-level repairs (byte order mark, CRLF) happen on load; code content is never touched."""

from __future__ import annotations

from pathlib import Path

from curate.atomic import write_text_atomic
from curate.config import CurateConfig
from curate.discover import discover
from curate.example import load_example, parse_example
from curate.lint import enabled_rules, finalize, lint_example
from curate.rules.base import RuleContext

MAX_PASSES = 3


def fix_paths(paths: list[Path], config: CurateConfig) -> int:
    """Fix every file under `paths`; returns how many files changed."""
    targets, _ = discover(paths, config)
    rules = {rule.code: rule for rule in enabled_rules(config) if rule.fixable}
    ctx = RuleContext(config)
    changed = 0
    for target in targets:
        example, notes = load_example(target.path, target.display, target.topic)
        if example is None:
            continue
        original = target.path.read_bytes()
        text = example.text
        for _ in range(MAX_PASSES):
            found = finalize(lint_example(example, list(rules.values()), ctx), config, example)
            codes = sorted({d.code for d in found if d.fixable and d.code in rules})
            if not codes:
                break
            for code in codes:
                text = rules[code].fix(example, text)
                example = parse_example(text, target.path, target.display, target.topic)
        if text.encode("utf-8") != original:
            write_text_atomic(target.path, text)
            changed += 1
    return changed
