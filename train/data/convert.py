"""Curated Markdown examples -> ChatML training records, one template per example type.

Examples are read only through curate's loader and pass the same checks as `bbj-curate check`
(`curate.trainable`): an example that does not load, breaks the schema, fails lint, the
compile check or dedupe is skipped with its diagnostics (file, line, stable code)."""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from curate.checks import CheckOptions, run_checks
from curate.config import CurateConfig
from curate.diagnostics import Diagnostic, Severity
from curate.example import CodeBlock, Example
from curate.trainable import errors_by_path, is_trainable
from curate.vocabulary import STATUSES
from train.data.chatml import (
    append_expected,
    generation_label,
    render_code_block,
    system_prompt,
    text_outside_blocks,
)
from train.data.templates import user_prompt

NO_CODE = "TRN101"
MIGRATION_SIDES = "TRN102"
NO_EXPLANATION = "TRN103"
SKIP_CODES = {
    NO_CODE: "no code block under `## Code`",
    MIGRATION_SIDES: "migration without both a `### Before (...)` and an `### After (...)` code block",
    NO_EXPLANATION: "missing or empty `## Explanation` section",
}


@dataclass
class LoadedExamples:
    """Trainable examples, why the others were skipped, and (path, content hash) of every input."""

    examples: list[Example] = field(default_factory=list)
    skipped: list[Diagnostic] = field(default_factory=list)
    filtered_by_status: int = 0
    files: int = 0
    inputs: list[tuple[str, str]] = field(default_factory=list)


@dataclass
class Converted:
    """The records of a conversion, what was skipped, and (path, content hash) of every input."""

    records: list[dict[str, Any]] = field(default_factory=list)
    skipped: list[Diagnostic] = field(default_factory=list)
    filtered_by_status: int = 0
    files: int = 0
    inputs: list[tuple[str, str]] = field(default_factory=list)


def load_examples(paths: list[Path], config: CurateConfig, statuses: tuple[str, ...] | None, jobs: int | None = None) -> LoadedExamples:
    """The examples under `paths` that are trainable (`curate.trainable`): every check of
    `bbj-curate check` runs (schema, lint, compile, dedupe) with `statuses` as the statuses
    that train; an example of such a status with an error is skipped with its errors.
    `statuses=None` takes every status but rejected."""
    trains = list(statuses) if statuses is not None else [s for s in STATUSES if s != "rejected"]
    run = run_checks(paths, config.replace(trainable_statuses=trains), CheckOptions(jobs=jobs))
    errors = errors_by_path(run.diagnostics)
    result = LoadedExamples(files=run.files)
    loaded = {example.display_path for example in run.examples}
    result.skipped.extend(diag for path, found in errors.items() if path not in loaded for diag in found)
    for example in run.examples:
        if not is_trainable(example.status, [], trains):
            result.filtered_by_status += 1
        elif example.display_path in errors:
            result.skipped.extend(errors[example.display_path])
        else:
            result.examples.append(example)
    result.examples.sort(key=lambda e: e.id)
    result.skipped.sort(key=Diagnostic.sort_key)
    result.inputs = sorted((e.display_path, e.content_hash) for e in run.examples)
    return result


def convert_paths(paths: list[Path], config: CurateConfig, statuses: tuple[str, ...] | None, jobs: int | None = None) -> Converted:
    """Check every example under `paths` and convert the trainable ones; records come out
    sorted by id."""
    loaded = load_examples(paths, config, statuses, jobs)
    records, unconvertible = convert_examples(loaded.examples, config.root)
    skipped = sorted(loaded.skipped + unconvertible, key=Diagnostic.sort_key)
    return Converted(records, skipped, loaded.filtered_by_status, loaded.files, loaded.inputs)


def _generations(example: Example) -> list[str]:
    return example.generations or ["all"]


def _first_paragraph(text: str) -> str:
    prose = text_outside_blocks(text)
    return prose.split("\n\n", 1)[0].strip()


def _render_blocks(blocks: list[CodeBlock]) -> str:
    """Each block under its own fence label: a label is never rewritten to `bbj`, so only code
    the compile check saw as BBj reaches training as BBj."""
    return "\n\n".join(render_code_block(b.code, b.filename, b.language) for b in blocks)


def _section_text(example: Example, key: str) -> str:
    section = example.section(key)
    return section.body.strip() if section else ""


def _task(example: Example) -> str:
    title = example.title.strip().rstrip(".")
    description = str(example.meta.get("description") or "").strip()
    return f"{title}.\n\n{description}" if description and description.rstrip(".") != title else f"{title}."


def example_record(example: Example, root: Path | None = None) -> dict[str, Any]:
    """The ChatML record of one example; raises ValueError(code) when the example cannot make one.

    The example's Expected Behavior/Output close the user turn of a completion (they specify
    the task) and the assistant turn of the other types (they describe the answer)."""
    code_blocks = example.blocks_in("code")
    explanation = _section_text(example, "explanation")
    behavior, output = _section_text(example, "expected behavior"), _section_text(example, "expected output")
    generations = _generations(example)
    target = "; ".join(generation_label(g) for g in generations)
    source_generation = None
    kind = example.type
    if kind != "explanation" and not code_blocks:
        raise ValueError(NO_CODE)
    if kind in ("comprehension", "explanation", "migration") and not explanation:
        raise ValueError(NO_EXPLANATION)
    if kind == "completion":
        user = append_expected(user_prompt(kind, example.id, task=_task(example), target=target), behavior, output)
        short = _first_paragraph(explanation)
        assistant = _render_blocks(code_blocks) + (f"\n\n{short}" if short else "")
    elif kind == "comprehension":
        user = user_prompt(kind, example.id, code=_render_blocks(code_blocks), target=target)
        assistant = append_expected(explanation, behavior, output)
    elif kind == "migration":
        before = [b for b in code_blocks if b.migration_side == "before"]
        after = [b for b in code_blocks if b.migration_side == "after"]
        if not before or not after:
            raise ValueError(MIGRATION_SIDES)
        source_generation = str(example.meta.get("from_generation") or "")
        generations = example.generations_of("to_generation") or generations[:1]
        target_label = " and ".join(generation_label(g) for g in generations)
        user = user_prompt(kind, example.id, code=_render_blocks(before), target=target_label, source=generation_label(source_generation or "all"))
        assistant = append_expected(f"{_render_blocks(after)}\n\n{explanation}", behavior, output)
    else:
        user = user_prompt(kind, example.id, task=_task(example), target=target)
        missing = [b for b in code_blocks if b.code.strip() and b.code not in explanation]
        assistant = append_expected(explanation + (f"\n\nFor example:\n\n{_render_blocks(missing)}" if missing else ""), behavior, output)
    messages = [
        {"role": "system", "content": system_prompt(generations, source_generation or None)},
        {"role": "user", "content": user},
        {"role": "assistant", "content": assistant.strip()},
    ]
    return {"messages": messages, "meta": example_meta(example, root)}


def example_meta(example: Example, root: Path | None = None) -> dict[str, Any]:
    """Where the record came from; `path` is relative to the project root, so it does not
    depend on the folder the command ran in."""
    meta: dict[str, Any] = {
        "id": example.id,
        "title": example.title,
        "path": _relative(example.path, root) if root else Path(example.display_path).as_posix(),
        "type": example.type,
        "generation": example.meta.get("generation", "all"),
        "difficulty": example.meta.get("difficulty"),
        "topic": example.topic,
        "source": example.meta.get("source") or "curated",
        "status": example.status,
    }
    if example.type == "migration":
        meta["from_generation"] = example.meta.get("from_generation")
        meta["to_generation"] = example.meta.get("to_generation")
    return meta


def _relative(path: Path, root: Path) -> str:
    """`path` relative to the project root, without resolving symlinks (no system calls)."""
    relative = os.path.relpath(path, root)
    return Path(relative).as_posix() if not relative.startswith("..") else Path(path).as_posix()


def convert_examples(examples: list[Example], root: Path | None = None) -> tuple[list[dict[str, Any]], list[Diagnostic]]:
    records: list[dict[str, Any]] = []
    skipped: list[Diagnostic] = []
    for example in examples:
        try:
            records.append(example_record(example, root))
        except ValueError as exc:
            code = str(exc)
            line = _line_for(example, code)
            skipped.append(Diagnostic(example.display_path, line, 1, code, Severity.ERROR, SKIP_CODES[code]))
    return records, skipped


def _line_for(example: Example, code: str) -> int:
    key = "explanation" if code == NO_EXPLANATION else "code"
    section = example.section(key)
    return section.line if section else example.line_of_key("type")
