"""Import legacy ChatML JSONL: read each line, normalize it, fix what can be fixed, drop what
cannot, then drop exact and near duplicates (the earliest line keeps). Every input line ends
with one outcome (kept, fixed, dropped) and its reasons; nothing in the input can crash it.

Reasons are `key` or `key:detail` (e.g. `near-duplicate-of:17`); the report counts lines per
key (`near-duplicate`), see card.reason_key."""

from __future__ import annotations

import hashlib
import json
import re
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from curate.config import DEFAULT_TOPICS
from curate.errors import CurateError
from curate.jsonl import MAX_LINE_BYTES, JsonLine, JsonLines
from curate.safeio import printable
from train.data.card import reason_key
from train.data.chatml import (
    DEFAULT_SYSTEM_PROMPT,
    SPECIAL_TOKEN,
    ChatMLTextError,
    normalize_role,
    parse_chatml_text,
    retag_bbj_fences,
)
from train.data.guess import guess

LEGACY_ENCODINGS = ("utf-8", "cp1252", "latin-1")
LEADING_BLANK_LINES = re.compile(r"\A(?:[ \t]*\n)+")


class Dropped(CurateError):
    """A line that cannot become a record; `reasons` are stable drop reasons."""

    def __init__(self, *reasons: str):
        super().__init__(", ".join(reasons))
        self.reasons = list(reasons)


@dataclass
class ImportOptions:
    system_prompt: str | None = None  # replace every system prompt with this text
    id_prefix: str = "legacy"
    max_line_bytes: int = MAX_LINE_BYTES
    near_dedupe: bool = True
    dedupe_threshold: float | None = None
    topics: list[str] = field(default_factory=lambda: list(DEFAULT_TOPICS))


@dataclass
class Candidate:
    """A record that survived parsing and repair, before deduplication."""

    line: int
    messages: list[dict[str, str]]
    fixes: list[str]


@dataclass
class ImportResult:
    records: list[dict[str, Any]] = field(default_factory=list)
    outcomes: dict[int, tuple[str, list[str]]] = field(default_factory=dict)
    input_lines: int = 0
    diagnostics: dict[int, list[dict[str, Any]]] = field(default_factory=dict)  # compile findings per line

    def report(self) -> dict[str, Any]:
        counts = {"kept": 0, "fixed": 0, "dropped": 0}
        reasons: dict[str, int] = {}
        lines = []
        for number in sorted(self.outcomes):
            outcome, why = self.outcomes[number]
            counts[outcome] += 1
            for key in dict.fromkeys(reason_key(reason) for reason in why):
                reasons[key] = reasons.get(key, 0) + 1
            entry: dict[str, Any] = {"line": number, "outcome": outcome, "reasons": why}
            if number in self.diagnostics:
                entry["diagnostics"] = self.diagnostics[number]
            lines.append(entry)
        return {"input_lines": self.input_lines, **counts, "reasons": dict(sorted(reasons.items())), "lines": lines}


def legacy_lines(path: Path, options: ImportOptions) -> JsonLines:
    """The guarded JSONL reader set for legacy exports: bytes that are not UTF-8 are read as
    Windows-1252 (what legacy exports on Windows wrote; it covers Latin-1's letters), falling
    back to Latin-1, which reads any byte; a blank line is dropped (every line has an outcome);
    a line over `max_line_bytes` is streamed past, never held, and dropped as line-too-long."""
    return JsonLines(path, max_line_bytes=options.max_line_bytes, encodings=LEGACY_ENCODINGS, objects=False, blank=True)


def raw_turns(value: Any) -> tuple[list[tuple[str, str]], list[str]]:
    """(role, content) pairs as written, from the `messages` or the `text` form, and the fixes
    already made (stray end-of-text tokens in the text form)."""
    if not isinstance(value, dict):
        raise Dropped(f"not-an-object:{type(value).__name__}")
    if "messages" in value or "conversations" in value:
        messages = value["messages"] if "messages" in value else value["conversations"]
        if not isinstance(messages, list):
            raise Dropped("messages-not-list")
        if not messages:
            raise Dropped("empty-messages")
        return _message_turns(messages)
    if "text" in value:
        if not isinstance(value["text"], str):
            raise Dropped("text-not-string")
        try:
            turns, stray = parse_chatml_text(value["text"])
        except ChatMLTextError as exc:
            raise Dropped(exc.reason) from None
        return turns, ["stray-marker"] if stray else []
    raise Dropped("no-messages")


def _message_turns(messages: list[Any]) -> tuple[list[tuple[str, str]], list[str]]:
    """(role, content) pairs and the fixes made: content given as a list of text parts
    (`[{"type": "text", "text": ...}]`, the OpenAI form) is joined into one string."""
    turns: list[tuple[str, str]] = []
    problems: list[str] = []
    fixes: list[str] = []
    for message in messages:
        if not isinstance(message, dict):
            problems.append("message-not-object")
            continue
        role = message.get("role", message.get("from"))
        content = message.get("content", message.get("value"))
        if isinstance(content, list):
            joined = _joined_text_parts(content)
            if joined is None:
                problems.append("content-part-not-text")
                continue
            content = joined
            fixes.append("content-parts")
        if not isinstance(role, str):
            problems.append("message-without-role" if role is None else "role-not-string")
        elif content is None:
            problems.append("message-without-content")
        elif not isinstance(content, str):
            problems.append("content-not-string")
        else:
            turns.append((role, content))
    if problems:
        raise Dropped(*dict.fromkeys(problems))
    return turns, fixes


def _joined_text_parts(parts: list[Any]) -> str | None:
    """The text of `[{"type": "text", "text": "..."}, ...]` (or plain strings), else None:
    an image or audio part cannot become a training turn."""
    texts = []
    for part in parts:
        if isinstance(part, str):
            texts.append(part)
        elif isinstance(part, dict) and part.get("type", "text") == "text" and isinstance(part.get("text"), str):
            texts.append(part["text"])
        else:
            return None
    return "\n".join(texts)


def clean_content(content: str) -> tuple[str, list[str]]:
    """Repairs that never change meaning: line ends, stray special tokens, fence tags, whitespace."""
    fixes = []
    if "\r" in content:
        content = content.replace("\r\n", "\n").replace("\r", "\n")
        fixes.append("crlf")
    if SPECIAL_TOKEN.search(content):
        content = SPECIAL_TOKEN.sub("", content)
        fixes.append("stray-marker")
    content, retagged = retag_bbj_fences(content)
    fixes.extend(f"fence-language:{tag}" for tag in dict.fromkeys(retagged))
    stripped = "\n".join(line.rstrip() for line in content.split("\n")).rstrip()
    if stripped != content:
        content = stripped
        fixes.append("trailing-whitespace")
    leading = LEADING_BLANK_LINES.sub("", content)
    if leading != content:
        content = leading
        fixes.append("leading-blank-lines")
    return content, fixes


def normalize_turns(turns: list[tuple[str, str]], options: ImportOptions) -> tuple[list[dict[str, str]], list[str]]:
    """Canonical [system, user, assistant, ...] messages and the fixes made, or Dropped."""
    fixes: list[str] = []
    problems: list[str] = []
    canonical: list[tuple[str, str]] = []
    for role, content in turns:
        name = normalize_role(role)
        if name is None:
            problems.append(f"unknown-role:{role.strip()[:40]}")
            continue
        if name != role:
            fixes.append(f"role-alias:{role.strip()[:40]}")
        content, content_fixes = clean_content(content)
        fixes.extend(content_fixes)
        canonical.append((name, content))
    if problems:
        raise Dropped(*dict.fromkeys(problems))
    systems = [content for role, content in canonical if role == "system"]
    leading = 0
    while leading < len(canonical) and canonical[leading][0] == "system":
        leading += 1
    if leading != len(systems):
        raise Dropped("misplaced-system")
    if len(systems) > 1:
        fixes.append("merged-system")
    system = "\n\n".join(s for s in systems if s)
    if options.system_prompt is not None:
        if system != options.system_prompt:
            fixes.append("system-replaced")
        system = options.system_prompt
    elif not system:
        system = DEFAULT_SYSTEM_PROMPT
        fixes.append("missing-system")
    dialogue = _merge_consecutive(canonical[leading:], fixes)
    _check_dialogue(dialogue)
    messages = [{"role": "system", "content": system}, *({"role": r, "content": c} for r, c in dialogue)]
    return messages, list(dict.fromkeys(fixes))


def _merge_consecutive(dialogue: list[tuple[str, str]], fixes: list[str]) -> list[tuple[str, str]]:
    merged: list[tuple[str, str]] = []
    for role, content in dialogue:
        if merged and merged[-1][0] == role:
            merged[-1] = (role, "\n\n".join(part for part in (merged[-1][1], content) if part))
            fixes.append("merged-turns")
        else:
            merged.append((role, content))
    return merged


def _check_dialogue(dialogue: list[tuple[str, str]]) -> None:
    roles = [role for role, _ in dialogue]
    problems = []
    if "user" not in roles:
        problems.append("missing-user")
    if "assistant" not in roles:
        problems.append("missing-assistant")
    if not problems:
        if roles[0] != "user":
            problems.append("assistant-first")
        if roles[-1] != "assistant":
            problems.append("unanswered-user-turn")
    if any(role == "user" and not content.strip() for role, content in dialogue):
        problems.append("empty-user")
    if any(role == "assistant" and not content.strip() for role, content in dialogue):
        problems.append("empty-assistant")
    if problems:
        raise Dropped(*problems)


def parse_line(line: JsonLine, options: ImportOptions) -> Candidate:
    """One decoded input line to a repaired candidate, or Dropped."""
    decoding = [] if line.encoding == "utf-8" else [f"decoded-{line.encoding.replace('-', '')}"]
    turns, fixes = raw_turns(line.value)
    messages, more = normalize_turns(turns, options)
    return Candidate(line.line, messages, list(dict.fromkeys(decoding + fixes + more)))


def exact_key(messages: list[dict[str, str]]) -> str:
    """Identity of a record's dialogue (the system prompt does not make two answers differ)."""
    dialogue = [(m["role"], m["content"]) for m in messages if m["role"] != "system"]
    return hashlib.sha256(json.dumps(dialogue, ensure_ascii=False).encode("utf-8")).hexdigest()


def import_legacy(path: Path, options: ImportOptions | None = None) -> ImportResult:
    """Read, repair and deduplicate one legacy JSONL file; records come out in line order."""
    options = options or ImportOptions()
    result = ImportResult()
    candidates: list[Candidate] = []
    first_of: dict[str, int] = {}
    reader = legacy_lines(path, options)
    for line in reader:
        number = line.line
        try:
            candidate = parse_line(line, options)
        except Dropped as exc:
            result.outcomes[number] = ("dropped", exc.reasons)
            continue
        except Exception as exc:  # noqa: BLE001 - a line no check foresaw must not stop the import: drop it, say so
            result.outcomes[number] = ("dropped", [f"unreadable:{exc.__class__.__name__}"])
            continue
        key = exact_key(candidate.messages)
        if key in first_of:
            result.outcomes[number] = ("dropped", [f"exact-duplicate-of:{first_of[key]}"])
            continue
        first_of[key] = number
        candidates.append(candidate)
    result.input_lines = reader.lines
    for dropped in reader.dropped:
        result.outcomes[dropped.line] = ("dropped", [dropped.reason])
    if options.near_dedupe and len(candidates) > 1:
        candidates = _drop_near_duplicates(candidates, options, result)
    for candidate in candidates:
        result.outcomes[candidate.line] = ("fixed", candidate.fixes) if candidate.fixes else ("kept", [])
        result.records.append(legacy_record(candidate, options, path))
    return result


def _drop_near_duplicates(candidates: list[Candidate], options: ImportOptions, result: ImportResult) -> list[Candidate]:
    """Drop every member of a near-duplicate cluster but its earliest line; the reason names
    the earliest line it was directly matched with."""
    from curate.dedupe import DedupeConfig, find_clusters, items_from_chatml

    ids = [str(c.line) for c in candidates]
    items = [replace(item, order=float(c.line)) for item, c in zip(items_from_chatml([{"messages": c.messages} for c in candidates], ids), candidates)]
    config = DedupeConfig.at(options.dedupe_threshold)
    dropped: set[int] = set()
    for cluster in find_clusters(items, config):
        lines = sorted(int(member) for member in cluster.members)
        keeper = lines[0]
        partners: dict[int, set[int]] = {}
        for pair in cluster.pairs:
            a, b = int(pair.a), int(pair.b)
            partners.setdefault(a, set()).add(b)
            partners.setdefault(b, set()).add(a)
        for line in lines[1:]:
            direct = partners.get(line, set())
            named = keeper if keeper in direct else min(direct, default=keeper)
            result.outcomes[line] = ("dropped", [f"near-duplicate-of:{named}"])
            dropped.add(line)
    return [c for c in candidates if c.line not in dropped]


def legacy_record(candidate: Candidate, options: ImportOptions, path: Path) -> dict[str, Any]:
    """The output record: messages plus where it came from and what the import guessed."""
    user = "\n\n".join(m["content"] for m in candidate.messages if m["role"] == "user")
    assistant = "\n\n".join(m["content"] for m in candidate.messages if m["role"] == "assistant")
    guessed = guess(user, assistant, options.topics)
    meta: dict[str, Any] = {
        "id": f"{options.id_prefix}:{candidate.line}",
        "source": f"legacy:{candidate.line}",
        "input": printable(path.name),
        "line": candidate.line,
        "type": guessed.type,
        "generation": [guessed.from_generation, guessed.to_generation] if guessed.from_generation and guessed.to_generation else guessed.generation,
        "topic": guessed.topic,
        "guessed": guessed.why,
        "fixes": candidate.fixes,
    }
    if guessed.type == "migration":
        meta["from_generation"], meta["to_generation"] = guessed.from_generation, guessed.to_generation
    return {"messages": candidate.messages, "meta": meta}
