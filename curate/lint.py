"""Run the lint rules over files: load each example, apply enabled rules, honour `lint_ignore`
and severity overrides, then run the project-wide rules. Large sets fan out over processes."""

from __future__ import annotations

import os
from collections.abc import Iterable
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field, replace
from pathlib import Path

from curate.config import CurateConfig
from curate.diagnostics import Diagnostic, Severity
from curate.discover import Target, discover, display_path, topic_of
from curate.example import Example, load_example
from curate.rules.base import ProjectRule, Rule, RuleContext, all_rules, is_enabled
from curate.timebudget import OverBudget, file_budget, over_budget
from curate.trainable import is_gate_code, is_record_only, not_gated, refused_ignore

PARALLEL_THRESHOLD = 400


@dataclass
class LintResult:
    diagnostics: list[Diagnostic] = field(default_factory=list)
    examples: list[Example] = field(default_factory=list)
    files: int = 0


def enabled_rules(config: CurateConfig) -> list[Rule]:
    return [cls() for cls in all_rules() if is_enabled(cls.code, config)]


def finalize(diags: Iterable[Diagnostic], config: CurateConfig, example: Example | None = None) -> list[Diagnostic]:
    """Drop what is disabled or ignored in the file's `lint_ignore`; apply severity overrides;
    then the training gate (`curate.trainable`): `lint_ignore` cannot silence a gate code on
    an example that trains, and compile/dedupe errors do not block a draft or rejected one."""
    ignored: set[str] = set()
    status = example.status if example is not None else ""
    if example is not None and isinstance(example.meta.get("lint_ignore"), list):
        ignored = {str(c).upper() for c in example.meta["lint_ignore"]}
    trains = status in config.trainable_statuses
    out = []
    for diag in diags:
        if not is_enabled(diag.code, config):
            continue
        refused = False
        if diag.code in ignored:
            refused = trains and is_gate_code(diag.code) and diag.severity is Severity.ERROR
            if not refused:
                continue
        override = config.severity.get(diag.code)
        diag = replace(diag, severity=Severity(override)) if override else diag
        if refused:
            diag = refused_ignore(diag, status)
        elif example is not None and not trains and is_record_only(example.meta.get("status")):
            diag = not_gated(diag, status)
        out.append(diag)
    return out


def lint_example(example: Example, rules: list[Rule], ctx: RuleContext) -> list[Diagnostic]:
    diags: list[Diagnostic] = []
    for rule in rules:
        if not isinstance(rule, ProjectRule):
            diags.extend(rule.check(example, ctx))
    return diags


def lint_target(target: Target, config: CurateConfig) -> tuple[Example | None, list[Diagnostic]]:
    example, notes = load_example(target.path, target.display, target.topic)
    if example is None:
        return None, finalize(notes, config)
    diags = notes + lint_example(example, enabled_rules(config), RuleContext(config))
    return example, finalize(diags, config, example)


def _lint_chunk(args: tuple[list[Target], CurateConfig, float | None]) -> list[tuple[Example | None, list[Diagnostic]]]:
    targets, config, budget = args
    rules = enabled_rules(config)
    ctx = RuleContext(config)
    results: list[tuple[Example | None, list[Diagnostic]]] = []
    for target in targets:
        try:
            with file_budget(budget):
                example, notes = load_example(target.path, target.display, target.topic)
                diags = notes if example is None else notes + lint_example(example, rules, ctx)
        except OverBudget:
            example, diags = None, [over_budget(target.display, budget or 0)]
        results.append((example, finalize(diags, config, example)))
    return results


def lint_paths(paths: list[Path], config: CurateConfig, jobs: int | None = None, budget: float | None = None) -> LintResult:
    """Lint every example under `paths`; `budget` (seconds) bounds the work on each file
    (the hooks set it, so one hostile file cannot stall a commit)."""
    targets, problems = discover(paths, config)
    result = LintResult(diagnostics=finalize(problems, config), files=len(targets) + len(problems))
    jobs = jobs or os.cpu_count() or 1
    chunks = [(targets[i::jobs], config, budget) for i in range(jobs)] if jobs > 1 and len(targets) >= PARALLEL_THRESHOLD else [(targets, config, budget)]
    if len(chunks) > 1:
        with ProcessPoolExecutor(max_workers=jobs) as pool:
            outputs = [item for chunk in pool.map(_lint_chunk, chunks) for item in chunk]
    else:
        outputs = _lint_chunk(chunks[0])
    for example, diags in outputs:
        result.diagnostics.extend(diags)
        if example is not None:
            result.examples.append(example)
    result.examples.sort(key=lambda e: e.display_path)
    ctx = RuleContext(config)
    by_path = {e.display_path: e for e in result.examples}
    for rule in enabled_rules(config):
        if isinstance(rule, ProjectRule):
            for diag in rule.check_all(result.examples, ctx):
                result.diagnostics.extend(finalize([diag], config, by_path.get(diag.path)))
    result.diagnostics.sort(key=Diagnostic.sort_key)
    return result


def title_holders(keys: set[str], config: CurateConfig, skip: set[str] | None = None) -> list[Example]:
    """The examples under the data root (but the absolute paths in `skip`) whose title has one
    of the BBJ208 `keys`, found through the cached title index (`curate.title_index`)."""
    from curate.rules.metadata import title_key
    from curate.title_index import set_titles

    holders = []
    for name, key in set_titles(config).items():
        path = Path(name)
        if key in keys and os.path.abspath(path) not in (skip or set()):
            example, _ = load_example(path, display_path(path), topic_of(path, config))
            if example is not None and title_key(example.title) in keys:
                holders.append(example)
    return holders


def title_owner(title: str, config: CurateConfig) -> Example | None:
    """The example of the set that already has `title` (compared as BBJ208 compares)."""
    from curate.rules.metadata import title_key

    return next(iter(title_holders({title_key(title)}, config)), None)
