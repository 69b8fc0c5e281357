"""The stages' inputs: corpus texts, ChatML conversations and the general-code mix-in.

Every bad line becomes a diagnostic with its file and line (never a traceback); a missing file
or folder names the config key that points at it."""

from __future__ import annotations

import json
import random
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from curate.diagnostics import Diagnostic, Severity
from train.config import RunConfig
from train.data.chatml import conversation_problem
from train.training.errors import TrainingError, fail

MAX_REPORTED = 20


@dataclass(frozen=True)
class StageInputs:
    """Files one run reads, by the config key that names them."""

    files: dict[str, Path]


def stage_inputs(config: RunConfig) -> StageInputs:
    """The input files of the configured stages; raises TRN010 naming the key of the first missing one."""
    data = config.data
    files: dict[str, Path] = {}
    if "cpt" in config.stages:
        files["data.corpus"] = _existing_file("data.corpus", data.corpus)
    if "sft" in config.stages:
        if not data.split_dir.is_dir():
            raise fail(str(data.split_dir), "TRN010", f"data.split_dir: folder not found: {data.split_dir}")
        for split in ("train", "validation"):
            path = data.split_dir / f"{split}.jsonl"
            if not path.is_file():
                raise fail(str(path), "TRN010", f"data.split_dir: {data.split_dir} has no {split}.jsonl")
            files[f"data.split_dir/{split}.jsonl"] = path
    if data.general_code_share > 0 and data.general_code is not None:
        files["data.general_code"] = _existing_file("data.general_code", data.general_code)
    return StageInputs(files)


def data_counts(config: RunConfig) -> dict[str, int]:
    """Records in each input file of the configured stages (non-blank lines), for `--dry-run`;
    missing inputs raise TRN010 as a real run would."""
    counts = {}
    for key, path in stage_inputs(config).files.items():
        with path.open("rb") as handle:
            counts[f"{key} ({path})"] = sum(1 for line in handle if line.strip())
    return counts


def _existing_file(key: str, path: Path) -> Path:
    if not path.parent.is_dir():
        raise fail(str(path), "TRN010", f"{key}: folder not found: {path.parent}")
    if not path.is_file():
        raise fail(str(path), "TRN010", f"{key}: file not found: {path}")
    return path


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
    """Yields (line, record, problems) and raises TRN011 with every problem once the file is read."""
    problems: list[Diagnostic] = []
    try:
        handle = path.open(encoding="utf-8")
    except OSError as exc:
        raise fail(str(path), "TRN010", f"cannot read: {exc}") from None
    with handle:
        try:
            for number, raw in enumerate(handle, start=1):
                if not raw.strip():
                    continue
                try:
                    record = json.loads(raw)
                except json.JSONDecodeError as exc:
                    problems.append(_bad(path, number, f"not JSON: {exc.msg}"))
                    continue
                if not isinstance(record, dict):
                    problems.append(_bad(path, number, "expected a JSON object"))
                    continue
                yield number, record, problems
        except UnicodeDecodeError as exc:
            problems.append(_bad(path, 0, f"not UTF-8: {exc.reason}"))
    if problems:
        raise TrainingError(problems[:MAX_REPORTED])


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
