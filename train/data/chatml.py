"""ChatML records and the Markdown inside their messages: the text form with `<|im_start|>`
markers, role aliases, system prompts, and fenced code blocks (found, rendered, retagged)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from curate.errors import CurateError
from curate.example import FENCE_OPEN, filename_comment
from curate.vocabulary import BBJ_FENCE, GENERATION_DESCRIPTIONS, is_bbj_fence

IM_START = "<|im_start|>"
IM_END = "<|im_end|>"
END_OF_TEXT = "<|endoftext|>"
SPECIAL_TOKEN = re.compile(
    r"<\|im_start\|>(?:system|user|assistant)?\n?|<\|(?:im_end|endoftext|fim_prefix|fim_middle|fim_suffix|fim_pad|file_sep|repo_name)\|>"
)

ROLES = ("system", "user", "assistant")
ROLE_ALIASES = {
    "system": "system", "sys": "system",
    "user": "user", "human": "user", "prompter": "user", "customer": "user",
    "assistant": "assistant", "gpt": "assistant", "bot": "assistant", "model": "assistant",
    "ai": "assistant", "chatgpt": "assistant", "bbj": "assistant",
}  # fmt: skip

DEFAULT_SYSTEM_PROMPT = "You are an expert BBj programmer (BASIS International's Business BASIC). You write correct, idiomatic BBj code and explain it clearly."


def conversation_problem(messages: Any) -> str:
    """Why `messages` is not a trainable conversation ('' when it is): a non-empty list of
    {role, content} objects with known roles, string contents and an assistant turn."""
    if not isinstance(messages, list) or not messages:
        return "expected {'messages': [{'role': ..., 'content': ...}, ...]}"
    for index, message in enumerate(messages):
        if not isinstance(message, dict) or message.get("role") not in ROLES:
            return f"messages[{index}]: role must be one of {', '.join(ROLES)}"
        if not isinstance(message.get("content"), str):
            return f"messages[{index}]: content must be a string"
    if not any(m["role"] == "assistant" and m["content"].strip() for m in messages):
        return "no assistant message with content: nothing to learn from"
    return ""


def generation_label(generation: str) -> str:
    return GENERATION_DESCRIPTIONS.get(generation, generation)


def system_prompt(generations: list[str], from_generation: str | None = None) -> str:
    """The system prompt of a converted example: the default one plus its target generation(s)."""
    targets = [g for g in generations if g] or ["all"]
    labels = "; ".join(generation_label(g) for g in targets)
    noun = "generations" if len(targets) > 1 else "generation"
    prompt = f"{DEFAULT_SYSTEM_PROMPT} Target UI {noun}: {labels}."
    if from_generation:
        prompt += f" The code to migrate is {generation_label(from_generation)}."
    return prompt


def normalize_role(role: str) -> str | None:
    """The canonical role for an alias ('human', 'GPT', 'Assistant'...), None when unknown."""
    return ROLE_ALIASES.get(role.strip().lower())


class ChatMLTextError(CurateError, ValueError):
    """The text form cannot be read; `reason` is a stable drop reason."""

    def __init__(self, reason: str, message: str):
        super().__init__(message)
        self.reason = reason


def render_chatml(messages: list[dict[str, str]]) -> str:
    """The text form the model is trained on (Qwen2.5's chat template without a generation prompt)."""
    return "".join(f"{IM_START}{m['role']}\n{m['content']}{IM_END}\n" for m in messages)


def parse_chatml_text(text: str) -> tuple[list[tuple[str, str]], bool]:
    """(role, content) turns of a ChatML text and whether stray end-of-text tokens were removed.

    Raises ChatMLTextError for unterminated or unmatched markers and text between turns."""
    turns: list[tuple[str, str]] = []
    outside: list[str] = []
    pos = 0
    while True:
        start = text.find(IM_START, pos)
        if start < 0:
            outside.append(text[pos:])
            break
        outside.append(text[pos:start])
        body_start = start + len(IM_START)
        end = text.find(IM_END, body_start)
        next_start = text.find(IM_START, body_start)
        if end < 0 or 0 <= next_start < end:
            raise ChatMLTextError("unterminated-marker", f"{IM_START} at offset {start} has no matching {IM_END}")
        role, _, content = text[body_start:end].partition("\n")
        turns.append((role, content))
        pos = end + len(IM_END)
    between = "".join(outside)
    if IM_END in between:
        raise ChatMLTextError("unterminated-marker", f"{IM_END} without a matching {IM_START}")
    if not turns:
        raise ChatMLTextError("no-chatml-turns", "text has no <|im_start|>role ... <|im_end|> turns")
    leftover = between.replace(END_OF_TEXT, "")
    if leftover.strip():
        raise ChatMLTextError("text-outside-turns", f"text outside the turns: {leftover.strip()[:40]!r}")
    return turns, END_OF_TEXT in between


# --- fenced code blocks inside message content --------------------------------------------


@dataclass(frozen=True, slots=True)
class FencedBlock:
    """A fenced block in message content; `start`/`end` are the fence lines (end is exclusive)."""

    language: str
    code: str
    filename: str | None
    start: int
    end: int
    filename_line: int | None
    closed: bool = True


def _closer(marker: str) -> re.Pattern[str]:
    return re.compile(r"^ {0,3}" + re.escape(marker[0]) + "{" + str(len(marker)) + r",}[ \t]*$")


def fenced_blocks(content: str) -> list[FencedBlock]:
    """Every fenced block, with the `<!-- filename: x -->` comment right before it (if any)."""
    lines = content.split("\n")
    blocks: list[FencedBlock] = []
    pending: tuple[str, int] | None = None
    i = 0
    while i < len(lines):
        opener = FENCE_OPEN.match(lines[i])
        if opener:
            closer = _closer(opener.group(2))
            j = i + 1
            while j < len(lines) and not closer.match(lines[j]):
                j += 1
            name, name_line = pending if pending else (None, None)
            code = "\n".join(lines[i + 1 : j])
            blocks.append(FencedBlock(opener.group(3).lower(), code, name, i, min(j + 1, len(lines)), name_line, j < len(lines)))
            pending = None
            i = j + 1
            continue
        name = filename_comment(lines[i])
        if name is not None:
            pending = (name, i)
        elif lines[i].strip():
            pending = None
        i += 1
    return blocks


def text_outside_blocks(content: str) -> str:
    """The prose of a message: content with its fenced blocks and their filename comments removed."""
    lines = content.split("\n")
    drop: set[int] = set()
    for block in fenced_blocks(content):
        drop.update(range(block.start, block.end))
        if block.filename_line is not None:
            drop.add(block.filename_line)
    kept = [line for n, line in enumerate(lines) if n not in drop]
    return re.sub(r"\n{3,}", "\n\n", "\n".join(kept)).strip()


def retag_bbj_fences(content: str) -> tuple[str, list[str]]:
    """Legacy records only: opening fences tagged `basic`, `vb`, ... or untagged become ```bbj;
    returns the old tags. The import then compile-checks every such block, so a retagged
    block is gated like any other (curated examples are never retagged on export)."""
    lines = content.split("\n")
    changed: list[str] = []
    for block in fenced_blocks(content):
        line = lines[block.start]
        opener = FENCE_OPEN.match(line)
        if opener is None or not is_bbj_fence(block.language) or opener.group(3) == BBJ_FENCE:
            continue
        indent, marker, tag = opener.group(1), opener.group(2), opener.group(3)
        rest = line[len(indent) + len(marker) :].lstrip(" \t")[len(tag) :]
        lines[block.start] = f"{indent}{marker}{BBJ_FENCE}{rest}"
        changed.append(tag or "none")
    return ("\n".join(lines), changed) if changed else (content, [])


def fence_for(code: str) -> str:
    """A backtick fence longer than any backtick run in the code, so the code never closes it."""
    longest = max((len(run) for run in re.findall(r"`+", code)), default=0)
    return "`" * max(3, longest + 1)


def render_code_block(code: str, filename: str | None = None, language: str = BBJ_FENCE) -> str:
    fence = fence_for(code)
    block = f"{fence}{language}\n{code}\n{fence}"
    return f"<!-- filename: {filename} -->\n{block}" if filename else block


# --- the example's Expected Behavior / Expected Output sections inside a message -----------

EXPECTED_BEHAVIOR = "\n\nExpected behavior: "
EXPECTED_OUTPUT = "\n\nExpected output:\n\n"


def append_expected(text: str, behavior: str = "", output: str = "") -> str:
    """A message followed by the example's expected behavior and output (in that order)."""
    if behavior:
        text += EXPECTED_BEHAVIOR + behavior
    if output:
        text += EXPECTED_OUTPUT + output
    return text


def split_expected(text: str) -> tuple[str, str, str]:
    """Inverse of append_expected: (message, behavior, output); '' for a part that is absent."""
    text, _, output = text.rpartition(EXPECTED_OUTPUT) if EXPECTED_OUTPUT in text else (text, "", "")
    text, _, behavior = text.rpartition(EXPECTED_BEHAVIOR) if EXPECTED_BEHAVIOR in text else (text, "", "")
    return text, behavior.strip(), output.strip()
