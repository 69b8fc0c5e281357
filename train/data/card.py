"""Data cards and the JSONL files they describe: every command that writes data writes a card
beside it (inputs with hashes, counts, the command line, the tool version), so an output
folder says how to rebuild it. Cards hold no timestamps: the same inputs give the same bytes."""

from __future__ import annotations

import hashlib
import json
import shlex
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from curate import tool_version
from curate.errors import InputError
from curate.jsonl import JsonLines
from curate.safeio import OutputGuard, UnsafeFile, open_guarded

TOOL = "bbj-train"


def reason_key(reason: str) -> str:
    """The stable key a report counts a reason under: 'near-duplicate-of:17' -> 'near-duplicate',
    'fence-language:vb' -> 'fence-language'."""
    return reason.split(":", 1)[0].removesuffix("-of")


def sha256_file(path: Path) -> str:
    """The hash of an input file, read through the guarded reader (a FIFO never blocks)."""
    digest = hashlib.sha256()
    try:
        with open_guarded(path, None) as handle:
            for chunk in iter(lambda: handle.read(1 << 20), b""):
                digest.update(chunk)
    except UnsafeFile as exc:
        raise InputError(f"{path}: {exc.message}") from None
    return digest.hexdigest()


def file_entry(path: Path) -> dict[str, Any]:
    """{path, sha256, bytes} of one input or output file."""
    return {"path": Path(path).as_posix(), "sha256": sha256_file(path), "bytes": Path(path).stat().st_size}


def digest_of(entries: Iterable[tuple[str, str]]) -> str:
    """One hash over many (name, sha256) pairs: the identity of a whole input folder."""
    digest = hashlib.sha256()
    for name, value in sorted(entries):
        digest.update(f"{name}\0{value}\n".encode())
    return digest.hexdigest()


def dumps_record(record: dict[str, Any]) -> str:
    return json.dumps(record, ensure_ascii=False, separators=(", ", ": "))


def write_jsonl(path: Path, records: Iterable[dict[str, Any]], guard: OutputGuard) -> dict[str, Any]:
    """Write records atomically through the command's output guard, one JSON object a line;
    returns the file's card entry."""
    lines = [dumps_record(r) for r in records]
    text = "".join(line + "\n" for line in lines)
    guard.write_text(path, text)
    return {"path": path.name, "records": len(lines), "sha256": hashlib.sha256(text.encode("utf-8")).hexdigest()}


def read_jsonl(path: Path) -> list[dict[str, Any]]:
    """Records of a JSONL file this pipeline wrote (trusted shape; blank lines skipped), read
    through the guarded JSONL reader (a dropped line would be a bug: ValueError names it)."""
    reader = JsonLines(path, max_line_bytes=1 << 30)
    records = [item.value for item in reader]
    if reader.dropped:
        raise ValueError(f"{path}: {reader.dropped[0]}")
    return records


def command_line(command_path: str, params: list[tuple[str, bool, Any]]) -> str:
    """The command as one could type it again: (option flag or '' for an argument, is a
    boolean flag, value) for each parameter, from click's parsed values."""
    words = command_path.split()
    for flag, is_flag, value in params:
        values = list(value) if isinstance(value, (list, tuple)) else [value]
        if not flag:
            words.extend(str(v) for v in values)
        elif is_flag:
            words.extend([flag] if value else [])
        elif value is not None:
            for item in values:
                words.extend([flag, str(item)])
    return shlex.join(words)


def click_command_line() -> str:
    import click

    ctx = click.get_current_context()
    params = []
    for param in ctx.command.params:
        value = ctx.params.get(param.name or "")
        if isinstance(param, click.Option):
            flag = max(param.opts, key=len)
            params.append((flag, bool(param.is_flag), value))
        else:
            params.append(("", False, value))
    return command_line(ctx.command_path, params)


def build_card(name: str, command: str, inputs: list[dict[str, Any]], outputs: list[dict[str, Any]], counts: dict[str, Any], **extra: Any) -> dict[str, Any]:
    return {"name": name, "tool": TOOL, "version": tool_version(), "command": command, "inputs": inputs, "outputs": outputs, "counts": counts, **extra}


def card_paths(folder: Path, stem: str = "card") -> tuple[Path, Path]:
    return folder / f"{stem}.json", folder / f"{stem}.md"


def write_card(folder: Path, card: dict[str, Any], guard: OutputGuard, stem: str = "card") -> None:
    """`<stem>.json` (machine) and `<stem>.md` (human) in the output folder."""
    machine, human = card_paths(folder, stem)
    guard.write_text(machine, json.dumps(card, indent=2, ensure_ascii=False) + "\n")
    guard.write_text(human, render_card(card))


def render_card(card: dict[str, Any]) -> str:
    lines = [f"# Data card: {card['name']}", "", f"Built by `{card['tool']} {card['version']}` with:", "", "```", card["command"], "```", ""]
    lines += ["## Outputs", "", "| file | records | sha256 |", "|---|---|---|"]
    lines += [f"| `{o['path']}` | {o.get('records', '')} | `{o['sha256'][:16]}` |" for o in card["outputs"]]
    lines += ["", "## Counts", ""]
    lines += _render_counts(card["counts"])
    lines += ["", "## Inputs", "", "| input | sha256 |", "|---|---|"]
    lines += [f"| `{i['path']}` | `{str(i.get('sha256', ''))[:16]}` |" for i in card["inputs"][:50]]
    if len(card["inputs"]) > 50:
        lines.append(f"| ... {len(card['inputs']) - 50} more (see the JSON card) | |")
    return "\n".join(lines) + "\n"


def _render_counts(counts: dict[str, Any], depth: int = 0) -> list[str]:
    lines = []
    for key, value in counts.items():
        if isinstance(value, dict):
            lines.append(f"{'  ' * depth}- {key}:")
            lines += _render_counts(value, depth + 1)
        else:
            lines.append(f"{'  ' * depth}- {key}: {value}")
    return lines
