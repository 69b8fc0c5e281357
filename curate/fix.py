"""`--fix`: apply each fixable rule's repair to the file text and write it back atomically.
File-level repairs (byte order mark, CRLF) happen on load and are kept only while BBJ004/BBJ005
are enabled for the file; code content is never touched."""

from __future__ import annotations

import difflib
from dataclasses import dataclass, field
from pathlib import Path

from curate.config import CurateConfig
from curate.diagnostics import Diagnostic
from curate.discover import Target, discover, topic_of
from curate.example import MAX_FILE_BYTES, Example, ExampleLoadError, decode_example, load_example, parse_example, read_example_bytes
from curate.lint import enabled_rules, finalize, lint_example
from curate.rules.base import Rule, RuleContext
from curate.safeio import UnsafeFile, WriteRefused, write_if_unchanged
from curate.stdin import Document

MAX_PASSES = 3


@dataclass
class FixResult:
    """What `--fix` did: findings repaired, and each changed file's text before and after."""

    fixed: int = 0
    changes: list[tuple[str, str, str]] = field(default_factory=list)  # (display path, before, after)

    def diff(self) -> str:
        """A unified diff of every change (what `--diff` prints instead of writing)."""
        return "".join(
            "".join(difflib.unified_diff(before.splitlines(True), after.splitlines(True), f"a/{display}", f"b/{display}"))
            for display, before, after in self.changes
        )


def fix_paths(paths: list[Path], config: CurateConfig, write: bool = True) -> FixResult:
    """Fix every file under `paths` (written back atomically unless `write` is False)."""
    targets, _ = discover(paths, config)
    rules = {rule.code: rule for rule in enabled_rules(config) if rule.fixable}
    ctx = RuleContext(config)
    result = FixResult()
    for target in targets:
        example, notes = load_example(target.path, target.display, target.topic)
        if example is None:
            continue
        try:
            original = read_example_bytes(target.path, target.display)
        except ExampleLoadError:
            continue
        text, fixed = _fixed_text(example, notes, original, rules, ctx, config, target)
        if text.encode("utf-8") != original:
            if write:
                try:  # compare-and-swap: an edit saved meanwhile, a read-only file or a link out is left alone
                    write_if_unchanged(target.path, original, text.encode("utf-8"))
                except WriteRefused:
                    continue  # still unfixed: the check that follows reports its findings
            result.fixed += fixed
            result.changes.append((target.display, original.decode("utf-8", "replace"), text))
    return result


def fix_document(document: Document, config: CurateConfig) -> tuple[bytes, FixResult]:
    """The stdin document with the safe fixes applied, and what changed (nothing is written:
    `bbj-curate lint --fix -` prints the fixed document, as ruff does)."""
    target = Target(document.path, document.display, topic_of(document.path, config) if document.named else None)
    result = FixResult()
    try:
        text, notes = decode_example(document.checked_bytes(MAX_FILE_BYTES), document.display)
        example = parse_example(text, target.path, target.display, target.topic)
    except (ExampleLoadError, UnsafeFile):
        return document.raw, result  # the check that follows reports why
    rules = {rule.code: rule for rule in enabled_rules(config) if rule.fixable}
    fixed_text, fixed = _fixed_text(example, notes, document.raw, rules, RuleContext(config), config, target)
    if fixed_text.encode("utf-8") == document.raw:
        return document.raw, result
    result.fixed = fixed
    result.changes.append((document.display, document.raw.decode("utf-8", "replace"), fixed_text))
    return fixed_text.encode("utf-8"), result


def _fixed_text(
    example: Example, notes: list[Diagnostic], original: bytes, rules: dict[str, Rule], ctx: RuleContext, config: CurateConfig, target: Target
) -> tuple[str, int]:
    """The file text after every enabled fix, and how many findings that fixed."""
    kept = {d.code for d in finalize(notes, config, example) if d.fixable}
    text, fixed = _apply_fixes(example, rules, ctx, config, target)
    return _restore_disabled_normalizations(text, original, kept), fixed + len(kept)


def _apply_fixes(example: Example, rules: dict[str, Rule], ctx: RuleContext, config: CurateConfig, target: Target) -> tuple[str, int]:
    """Rounds of every enabled fixable finding until none is left (at most MAX_PASSES); a fix
    that would leave the file unparseable is dropped with everything after it. Returns the text
    and how many of the first round's fixable findings are gone."""
    first: int | None = None
    remaining = 0
    for _ in range(MAX_PASSES + 1):
        found = finalize(lint_example(example, list(rules.values()), ctx), config, example)
        fixable = [d for d in found if d.fixable and d.code in rules]
        first = len(fixable) if first is None else first
        remaining = len(fixable)
        if not fixable or _ == MAX_PASSES:
            break
        for code in sorted({d.code for d in fixable}):
            candidate = rules[code].fix(example, example.text)
            try:
                example = parse_example(candidate, target.path, target.display, target.topic)
            except ExampleLoadError:
                return example.text, max(0, first - remaining)
    return example.text, max(0, (first or 0) - remaining)


def _restore_disabled_normalizations(text: str, original: bytes, kept: set[str]) -> str:
    """The loader strips a byte order mark and CRLF before any rule runs; put them back when
    their codes (BBJ004, BBJ005) are ignored for this file, so --fix only does what is enabled."""
    if "BBJ005" not in kept and b"\r\n" in original:
        text = text.replace("\n", "\r\n")
    if "BBJ004" not in kept and original.startswith(b"\xef\xbb\xbf"):
        text = "\ufeff" + text
    return text
