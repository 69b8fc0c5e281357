"""Run the lint rules over files: load each example, apply enabled rules, honour `lint_ignore`
and severity overrides, then run the project-wide rules. Large sets fan out over processes."""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field, replace
from functools import partial
from pathlib import Path

from curate.config import CurateConfig
from curate.diagnostics import Diagnostic, Severity
from curate.discover import Target, discover, display_path, topic_of
from curate.example import MAX_FILE_BYTES, Example, ExampleLoadError, decode_example, load_example, parse_example
from curate.noqa import UNUSED_NOQA, Noqa, by_line
from curate.progress import task
from curate.rules.base import ProjectRule, Rule, RuleContext, all_rules, is_enabled
from curate.safeio import UnsafeFile
from curate.stdin import Document
from curate.timebudget import OverBudget, file_budget, over_budget
from curate.trainable import gate, is_gate_code, refused_ignore

PARALLEL_THRESHOLD = 400
CHUNKS_PER_WORKER = 8


@dataclass
class LintResult:
    diagnostics: list[Diagnostic] = field(default_factory=list)
    examples: list[Example] = field(default_factory=list)
    files: int = 0


def enabled_rules(config: CurateConfig) -> list[Rule]:
    return [cls() for cls in all_rules() if is_enabled(cls.code, config)]


def finalize(diags: Iterable[Diagnostic], config: CurateConfig, example: Example | None = None, noqa: Sequence[Noqa] = ()) -> list[Diagnostic]:
    """Drop what is disabled, ignored in the file's `lint_ignore` or by a `rem noqa:` comment on
    the finding's line (`curate.noqa`); apply severity overrides; then the training gate
    (`curate.trainable.gate`): neither can silence a gate code on an example that trains, and
    compile/dedupe errors do not block a draft or rejected one that does not. Code without an
    example (the MCP check tool passes its `noqa`) is judged as if it trained: a compile error stays."""
    ignored: set[str] = set()
    status = example.status if example is not None else ""
    if example is not None and isinstance(example.meta.get("lint_ignore"), list):
        ignored = {str(c).upper() for c in example.meta["lint_ignore"]}
    lines = by_line(example.noqa if example is not None else noqa)
    used = example.noqa_used if example is not None else set()
    trains = status in config.trainable_statuses if example is not None else bool(noqa)
    out = []
    for diag in diags:
        if not is_enabled(diag.code, config):
            continue
        by_noqa = diag.code in lines.get(diag.line, ())
        if by_noqa:
            used.add((diag.line, diag.code))
        refused = ""
        if by_noqa or diag.code in ignored:
            if not (trains and is_gate_code(diag.code) and diag.severity is Severity.ERROR):
                continue
            refused = "lint_ignore" if diag.code in ignored else "noqa"
        override = config.severity.get(diag.code)
        diag = replace(diag, severity=Severity(override)) if override else diag
        out.append(refused_ignore(diag, status, refused) if refused else gate(diag, status, trains))
    return out


LINT_FAMILIES = ("BBJ0", "BBJ1", "BBJ2", "BBJ3", "BBJ4", "BBJ7", "BBJ8", "BBJ9")  # what the lint step judges (BBJ5 compile, BBJ6 dedupe)


def unused_noqa(examples: Iterable[Example], config: CurateConfig, families: Iterable[str]) -> list[Diagnostic]:
    """BBJ306 for each `rem noqa:` code that silenced nothing, judged only where this run could
    have reported it: an enabled code of a family whose check ran (`families`), so `bbj-curate
    lint` does not call a compile-error suppression unused. An unknown code is reported where
    the code block rules (BBJ3xx) run."""
    from curate.rules.base import known_codes, unknown_code_message

    judged_families = tuple(families)
    known = known_codes()
    found: list[Diagnostic] = []
    for example in examples:
        for comment in example.noqa:
            for code in comment.codes:
                if code not in known:
                    judged, message = is_enabled("BBJ3", config), f"noqa: {unknown_code_message(code, exact=True)}"
                else:
                    judged = code.startswith(judged_families) and is_enabled(code, config) and (comment.line, code) not in example.noqa_used
                    message = f"unused noqa: no {code} finding on this line; remove the code from the comment"
                if judged and code != UNUSED_NOQA:
                    diag = Diagnostic(example.display_path, comment.line, comment.col, UNUSED_NOQA, Severity.WARNING, message)
                    found.extend(finalize([diag], config, example))
    return found


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


def _lint_one(
    load: Callable[[], tuple[Example | None, list[Diagnostic]]], display: str, rules: list[Rule], ctx: RuleContext, budget: float | None
) -> tuple[Example | None, list[Diagnostic]]:
    """Load one example (`load`) and run the per-file rules on it within the time budget."""
    try:
        with file_budget(budget):
            example, notes = load()
            diags = notes if example is None else notes + lint_example(example, rules, ctx)
    except OverBudget:
        example, diags = None, [over_budget(display, budget or 0)]
    return example, finalize(diags, ctx.config, example)


def _lint_chunk(args: tuple[list[Target], CurateConfig, float | None]) -> list[tuple[Example | None, list[Diagnostic]]]:
    targets, config, budget = args
    rules = enabled_rules(config)
    ctx = RuleContext(config)
    return [_lint_one(partial(load_example, t.path, t.display, t.topic), t.display, rules, ctx, budget) for t in targets]


def lint_paths(paths: list[Path], config: CurateConfig, jobs: int | None = None, budget: float | None = None) -> LintResult:
    """Lint every example under `paths`; `budget` (seconds) bounds the work on each file
    (the hooks set it, so one hostile file cannot stall a commit)."""
    targets, problems = discover(paths, config)
    result = LintResult(diagnostics=finalize(problems, config), files=len(targets) + len(problems))
    jobs = jobs or os.cpu_count() or 1
    outputs: list[tuple[Example | None, list[Diagnostic]]] = []
    with task("lint", len(targets)) as advance:
        if jobs > 1 and len(targets) >= PARALLEL_THRESHOLD:
            size = max(1, -(-len(targets) // (jobs * CHUNKS_PER_WORKER)))  # several chunks a worker: the bar moves
            chunks = [(targets[i : i + size], config, budget) for i in range(0, len(targets), size)]
            from concurrent.futures import ProcessPoolExecutor  # here: multiprocessing costs every hook 10 ms to import

            with ProcessPoolExecutor(max_workers=jobs) as pool:
                for chunk in pool.map(_lint_chunk, chunks):
                    outputs.extend(chunk)
                    advance(len(chunk))
        else:
            rules, ctx = enabled_rules(config), RuleContext(config)
            for t in targets:
                outputs.append(_lint_one(partial(load_example, t.path, t.display, t.topic), t.display, rules, ctx, budget))
                advance(1)
    return _collect(result, outputs, config)


def lint_document(document: Document, config: CurateConfig, budget: float | None = None) -> LintResult:
    """Lint one example read from stdin (`bbj-curate lint -`), as if it were the file at
    `document.path` (its topic folder and file name rules included)."""

    def load() -> tuple[Example | None, list[Diagnostic]]:
        try:
            text, notes = decode_example(document.checked_bytes(MAX_FILE_BYTES), document.display)
        except UnsafeFile as exc:
            return None, [Diagnostic(document.display, exc.line, 1, exc.code, Severity.ERROR, exc.message)]
        except ExampleLoadError as exc:
            return None, exc.diagnostics
        try:
            return parse_example(text, document.path, document.display, topic_of(document.path, config)), notes
        except ExampleLoadError as exc:
            return None, notes + exc.diagnostics

    outputs = [_lint_one(load, document.display, enabled_rules(config), RuleContext(config), budget)]
    return _collect(LintResult(files=1), outputs, config)


def _collect(result: LintResult, outputs: list[tuple[Example | None, list[Diagnostic]]], config: CurateConfig) -> LintResult:
    """The per-file findings and examples into `result`, then the project-wide rules."""
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
        if key not in keys:  # almost every example: no Path built for it
            continue
        path = Path(name)
        if os.path.abspath(path) not in (skip or set()):
            example, _ = load_example(path, display_path(path), topic_of(path, config))
            if example is not None and title_key(example.title) in keys:
                holders.append(example)
    return holders


def title_owner(title: str, config: CurateConfig) -> Example | None:
    """The example of the set that already has `title` (compared as BBJ208 compares)."""
    from curate.rules.metadata import title_key

    return next(iter(title_holders({title_key(title)}, config)), None)
