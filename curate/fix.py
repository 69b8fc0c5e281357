"""`--fix`: apply each fixable rule's repair to the file text and write it back atomically.
File-level repairs (byte order mark, CRLF) happen on load and are kept only while BBJ004/BBJ005
are enabled for the file; code content is never touched."""

from __future__ import annotations

from pathlib import Path

from curate.atomic import write_text_atomic
from curate.config import CurateConfig
from curate.discover import Target, discover
from curate.example import Example, ExampleLoadError, load_example, parse_example
from curate.lint import enabled_rules, finalize, lint_example
from curate.rules.base import Rule, RuleContext

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
        kept = {d.code for d in finalize(notes, config, example)}
        text = _apply_fixes(example, rules, ctx, config, target)
        text = _restore_disabled_normalizations(text, original, kept)
        if text.encode("utf-8") != original:
            write_text_atomic(target.path, text)
            changed += 1
    return changed


def _apply_fixes(example: Example, rules: dict[str, Rule], ctx: RuleContext, config: CurateConfig, target: Target) -> str:
    """Rounds of every enabled fixable finding until none is left (at most MAX_PASSES); a fix
    that would leave the file unparseable is dropped with everything after it."""
    for _ in range(MAX_PASSES):
        found = finalize(lint_example(example, list(rules.values()), ctx), config, example)
        codes = sorted({d.code for d in found if d.fixable and d.code in rules})
        if not codes:
            break
        for code in codes:
            candidate = rules[code].fix(example, example.text)
            try:
                example = parse_example(candidate, target.path, target.display, target.topic)
            except ExampleLoadError:
                return example.text
    return example.text


def _restore_disabled_normalizations(text: str, original: bytes, kept: set[str]) -> str:
    """The loader strips a byte order mark and CRLF before any rule runs; put them back when
    their codes (BBJ004, BBJ005) are ignored for this file, so --fix only does what is enabled."""
    if "BBJ005" not in kept and b"\r\n" in original:
        text = text.replace("\n", "\r\n")
    if "BBJ004" not in kept and original.startswith(b"\xef\xbb\xbf"):
        text = "\ufeff" + text
    return text
