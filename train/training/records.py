"""The stages' inputs: corpus texts, ChatML conversations and the general-code mix-in.

Every bad line becomes a diagnostic with its file and line (never a traceback); a missing file
or folder names the config key that points at it."""

from __future__ import annotations

import os
import random
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from curate.diagnostics import Diagnostic, Severity
from curate.jsonl import JsonLines, capped_lines
from curate.safeio import UnsafeFile, check_file, open_guarded, printable_path
from train.config import RunConfig
from train.data.chatml import conversation_problem
from train.training.errors import TrainingError, fail

MAX_REPORTED = 20
MAX_INPUT_BYTES = 4 << 30  # every record is held in memory for a run: a bigger file is a mistake


@dataclass(frozen=True)
class StageInputs:
    """Files one run reads, by the config key that names them."""

    files: dict[str, Path]


def stage_inputs(config: RunConfig) -> StageInputs:
    """The input files of the configured stages; raises TRN010 naming the key of the first
    missing or refused one (a FIFO, a device, a link out of the repository, a file over the cap)."""
    data = config.data
    files: dict[str, Path] = {}
    if "cpt" in config.stages:
        files["data.corpus"] = _existing_file("data.corpus", data.corpus)
    if "sft" in config.stages:
        if not data.split_dir.is_dir():
            raise fail(str(data.split_dir), "TRN010", f"data.split_dir: folder not found: {data.split_dir}")
        for split in ("train", "validation"):
            path = data.split_dir / f"{split}.jsonl"
            if not os.path.lexists(path):
                raise fail(str(path), "TRN010", f"data.split_dir: {data.split_dir} has no {split}.jsonl")
            files[f"data.split_dir/{split}.jsonl"] = _existing_file("data.split_dir", path)
    if data.general_code_share > 0 and data.general_code is not None:
        files["data.general_code"] = _existing_file("data.general_code", data.general_code)
    return StageInputs(files)


def data_counts(config: RunConfig) -> dict[str, int]:
    """Records in each input file of the configured stages (non-blank lines; an over-long line
    counts, the run drops it), for `--dry-run`; missing or refused inputs raise TRN010 as a
    real run would."""
    counts = {}
    for key, path in stage_inputs(config).files.items():
        try:
            with open_guarded(path, MAX_INPUT_BYTES) as handle:
                counts[f"{key} ({path})"] = sum(1 for _, raw, _ in capped_lines(handle) if raw is None or raw.strip())
        except UnsafeFile as exc:
            raise _refused(key, path, exc) from None
    return counts


def _existing_file(key: str, path: Path) -> Path:
    if not path.parent.is_dir():
        raise fail(str(path), "TRN010", f"{key}: folder not found: {path.parent}")
    if not os.path.lexists(path):
        raise fail(str(path), "TRN010", f"{key}: file not found: {path}")
    try:
        check_file(path, MAX_INPUT_BYTES)
    except UnsafeFile as exc:
        raise _refused(key, path, exc) from None
    return path


def _refused(key: str, path: Path, exc: UnsafeFile) -> TrainingError:
    return fail(printable_path(path), "TRN010", f"{key}: {exc.message}")


def read_texts(path: Path) -> list[str]:
    """The 'text' of every corpus line (lines with 'messages' are skipped: they belong to Stage 2)."""
    texts: list[str] = []
    for line, record, problems in _json_lines(path):
        if "messages" in record and "text" not in record:
            continue
        text = record.get("text")
        if not isinstance(text, str) or not text.strip():
            problems.append(_bad(path, line, "expected {'text': non-empty string, 'meta': {...}}"))
            continue
        texts.append(text)
    return texts


def read_conversations(path: Path, *, texts_allowed: bool = False) -> list[list[dict[str, str]]]:
    """The 'messages' of every ChatML line, checked: known roles, string content, an assistant turn."""
    conversations: list[list[dict[str, str]]] = []
    for line, record, problems in _json_lines(path):
        if texts_allowed and "text" in record and "messages" not in record:
            continue
        messages: Any = record.get("messages")
        reason = conversation_problem(messages)
        if reason:
            problems.append(_bad(path, line, reason))
            continue
        conversations.append([{"role": m["role"], "content": m["content"]} for m in messages])
    return conversations


def _json_lines(path: Path) -> Iterator[tuple[int, dict[str, Any], list[Diagnostic]]]:
    """Yields (line, record, problems) through the guarded JSONL reader and raises TRN011 with
    every problem (the reader's dropped lines first, in line order) once the file is read."""
    problems: list[Diagnostic] = []
    reader = JsonLines(path, limit=MAX_INPUT_BYTES)
    try:
        for item in reader:
            yield item.line, item.value, problems
    except UnsafeFile as exc:
        raise fail(printable_path(path), "TRN010", f"cannot read: {exc.message}") from None
    problems[:0] = [_bad(path, dropped.line, dropped.message) for dropped in reader.dropped]
    if problems:
        raise TrainingError(sorted(problems, key=lambda d: d.line)[:MAX_REPORTED])


def _bad(path: Path, line: int, message: str) -> Diagnostic:
    return Diagnostic(str(path), line, 1 if line else 0, "TRN011", Severity.ERROR, message)


def require_some(items: list, path: Path, what: str) -> None:
    if not items:
        raise fail(str(path), "TRN012", f"no usable {what} in {path}")


def mix_in(domain: list, general: list, share: float, seed: int) -> tuple[list, int]:
    """Domain items plus general ones so that `share` of the result is general (sampled, no repeats)."""
    if share <= 0 or not general:
        return list(domain), 0
    wanted = round(share / (1.0 - share) * len(domain))
    chosen = random.Random(seed).sample(general, min(wanted, len(general)))
    mixed = list(domain) + chosen
    random.Random(seed + 1).shuffle(mixed)
    return mixed, len(chosen)
