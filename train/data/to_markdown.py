"""ChatML records -> draft Markdown examples that pass the schema and structure rules, so
imported knowledge can enter the normal review flow. Code is copied byte for byte; the type,
generation and topic come from the record's metadata or are guessed (and say so)."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from curate.atomic import create_text_atomic
from curate.errors import CurateError
from curate.templates import slugify, yaml_value
from train.data.chatml import (
    FencedBlock,
    fenced_blocks,
    render_code_block,
    split_expected,
    text_outside_blocks,
)
from train.data.guess import guess, title_from

HEADING = re.compile(r"^ {0,3}#{1,2}(?=[ \t]|$)")
NO_EXPECTED = "Not stated in the imported record; describe what the program does when it runs."
NO_EXPLANATION = "The imported answer had no explanation; add one before approving this example."


class NotConvertible(CurateError, ValueError):
    """A record that cannot make a valid example (e.g. an explanation without any code)."""


@dataclass
class MarkdownResult:
    written: list[dict[str, str]] = field(default_factory=list)  # {"source", "path"}
    skipped: list[dict[str, str]] = field(default_factory=list)  # {"source", "reason"}


def _turn(record: dict[str, Any], role: str) -> str:
    return "\n\n".join(m["content"] for m in record["messages"] if m["role"] == role)


def _blocks(blocks: list[FencedBlock]) -> str:
    return "\n\n".join(render_code_block(b.code, b.filename, b.language or "bbj") for b in blocks)


def _front_value(key: str, value: Any) -> str:
    """`key: value`, multi-line strings as a literal block when that reads back the same."""
    if isinstance(value, str) and "\n" in value:
        body = "\n".join(f"  {line}" if line else "" for line in value.split("\n"))
        literal = f"{key}: |-\n{body}"
        try:
            if yaml.safe_load(literal) == {key: value}:
                return literal
        except yaml.YAMLError:
            pass
    return f"{key}: {yaml_value(value)}"


def record_markdown(record: dict[str, Any], title: str, topics: Sequence[str]) -> tuple[str, str]:
    """(topic, Markdown text) of one record."""
    meta = record.get("meta", {})
    user, assistant = _turn(record, "user"), _turn(record, "assistant")
    guessed = guess(user, assistant, topics) if meta.get("guessed") or "type" not in meta else None
    kind = guessed.type if guessed else meta["type"]
    topic = (guessed.topic if guessed else meta.get("topic")) or "control-flow"
    if topic not in topics:
        topic = guess(user, assistant, topics).topic
    front: dict[str, Any] = {"title": title, "type": kind}
    if guessed:
        front["generation"] = [guessed.from_generation, guessed.to_generation] if kind == "migration" else guessed.generation
    else:
        front["generation"] = meta.get("generation") or "all"
        if meta.get("difficulty"):
            front["difficulty"] = meta["difficulty"]
    asked = split_expected(user)[0]
    description = asked.strip() if kind in ("completion", "explanation") else text_outside_blocks(asked)  # code asked about is in ## Code
    if guessed and description:
        front["description"] = description
    if kind == "migration":
        front["from_generation"] = guessed.from_generation if guessed else meta.get("from_generation")
        front["to_generation"] = guessed.to_generation if guessed else meta.get("to_generation")
    front["status"] = "draft"
    front["source"] = str(meta.get("source") or meta.get("id") or "imported")
    if guessed:
        front["review_note"] = f"type and generation guessed by import: {guessed.why}"
    body = _body(kind, front, user, assistant)
    lines = "\n".join(_front_value(k, v) for k, v in front.items())
    return topic, f"---\n{lines}\n---\n\n{body}"


def _as_section_text(text: str) -> str:
    """Message prose made safe inside a section: `#`/`##` headings outside code become `###`
    (so they cannot end the section), and a fence left open at the end gets closed."""
    blocks = fenced_blocks(text)
    inside = {n for b in blocks for n in range(b.start, b.end)}
    lines = [HEADING.sub("###", line, count=1) if n not in inside else line for n, line in enumerate(text.split("\n"))]
    if blocks and not blocks[-1].closed:
        opener = lines[blocks[-1].start].lstrip(" ")
        lines.append(opener[: len(opener) - len(opener.lstrip(opener[0]))])
    return "\n".join(lines)


def _body(kind: str, front: dict[str, Any], user: str, assistant: str) -> str:
    """The Markdown sections; code blocks are copied from the messages byte for byte."""
    if kind == "completion":
        user, behavior, output = split_expected(user)
    else:
        assistant, behavior, output = split_expected(assistant)
    user_blocks, assistant_blocks = fenced_blocks(user), fenced_blocks(assistant)
    if kind == "comprehension":
        code, explanation = _blocks(user_blocks), assistant
    elif kind == "migration":
        before, after = _blocks(user_blocks), _blocks(assistant_blocks)
        code = f"### Before ({front['from_generation']})\n\n{before}\n\n### After ({front['to_generation']})\n\n{after}"
        explanation = text_outside_blocks(assistant)
    elif kind == "explanation":
        code, explanation = "", assistant  # code stays inline; an explanation needs no Code section
    else:
        code, explanation = _blocks(assistant_blocks), text_outside_blocks(assistant)
    if not (code.strip() or assistant_blocks):
        raise NotConvertible("no-code")
    parts = ["## Code", code] if code.strip() else []
    if behavior or (kind == "completion" and not output):
        parts += ["## Expected Behavior", _as_section_text(behavior) or NO_EXPECTED]
    if output:
        parts += ["## Expected Output", _as_section_text(output)]
    parts += ["## Explanation", _as_section_text(explanation.strip()) or NO_EXPLANATION]
    return "\n\n".join(parts) + "\n"


def unique_title(record: dict[str, Any], taken: set[str]) -> str:
    meta = record.get("meta", {})
    source = str(meta.get("source") or meta.get("id") or "imported record")
    base = str(meta.get("title") or "").strip() or title_from(_turn(record, "user")) or f"Imported example ({source})"
    title = base if base.casefold() not in taken else f"{base} ({source})"
    counter = 2
    while title.casefold() in taken:
        title = f"{base} ({source}, {counter})"
        counter += 1
    taken.add(title.casefold())
    return title


def write_markdown(records: list[dict[str, Any]], out_dir: Path, topics: Sequence[str]) -> MarkdownResult:
    """One draft example per record under out_dir/<topic>/<kebab-title>.md. An existing file is
    never replaced: a taken name moves to the next free one (`-2`, `-3`, ...), and a record
    whose draft exists already (same source and title: exported by an earlier run, maybe
    reviewed since) is skipped with the reason."""
    result = MarkdownResult()
    titles: set[str] = set()
    for record in records:
        source = str(record.get("meta", {}).get("source", ""))
        title = unique_title(record, titles)
        try:
            topic, text = record_markdown(record, title, topics)
        except NotConvertible as exc:
            result.skipped.append({"source": source, "reason": str(exc)})
            continue
        stem = slugify(title)
        name, counter = f"{topic}/{stem}.md", 2
        (out_dir / topic).mkdir(parents=True, exist_ok=True)
        while not create_text_atomic(out_dir / name, text):
            if _exported_before(out_dir / name, text):
                result.skipped.append({"source": source, "reason": f"exists:{name}"})
                break
            name, counter = f"{topic}/{stem}-{counter}.md", counter + 1
        else:
            result.written.append({"source": source, "path": name})
    return result


def _exported_before(path: Path, text: str) -> bool:
    """Whether the file at `path` is this record's draft from an earlier run: the same `source`
    and `title` in its front matter (its status or prose may have changed in review)."""
    from curate.example import ExampleLoadError, decode_example, read_example_bytes
    from curate.frontmatter_yaml import FrontMatterError, load_front_matter

    try:
        existing = load_front_matter(decode_example(read_example_bytes(path, path.name), path.name)[0])[0]
        ours = load_front_matter(text)[0]
    except (ExampleLoadError, FrontMatterError):
        return False
    return all(existing.get(key) == ours.get(key) for key in ("source", "title"))
