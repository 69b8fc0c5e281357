"""Parse one Markdown example file into an `Example`: front matter, sections and code blocks,
each carrying its line in the file so every diagnostic points at the real Markdown line."""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import Any

from curate.diagnostics import Diagnostic, Severity
from curate.errors import InputError
from curate.frontmatter_yaml import FrontMatterError, key_lines, load_front_matter
from curate.noqa import Noqa, noqa_comments
from curate.safeio import UnsafeFile, read_guarded

# Every pattern here runs on every line of every file a hook is given: each must take time
# linear in the line (possessive quantifiers, or plain string methods where a regex with a lazy
# group before a repeated tail would backtrack quadratically or worse on hostile lines).
HEADING_OPEN = re.compile(r"(#{1,6})[ \t]")
FENCE_OPEN = re.compile(r"^( {0,3})(`{3,}+|~{3,}+)[ \t]*+([^\s`]*+)[^`]*+$")
FILENAME_KEY = "filename:"
MIGRATION_SIDE = re.compile(r"^(before|after)\b\s*(?:\((.*?)\))?", re.IGNORECASE)

MAX_FILE_BYTES = 5 * 1024 * 1024


def heading(line: str) -> tuple[int, str] | None:
    """(level, title) of an ATX heading line (`## Title ##`), else None."""
    match = HEADING_OPEN.match(line)
    if match is None:
        return None
    return len(match.group(1)), line[match.end() :].lstrip(" \t").rstrip(" \t#")


def filename_comment(line: str) -> str | None:
    """The name in a `<!-- filename: name -->` line (case-insensitive key), else None."""
    text = line.strip()
    if not (text.startswith("<!--") and text.endswith("-->") and len(text) >= 7):
        return None
    inner = text[4:-3].strip()
    if inner[: len(FILENAME_KEY)].lower() != FILENAME_KEY:
        return None
    return inner[len(FILENAME_KEY) :].strip()


def strip_html_comments(text: str) -> str:
    """`text` without its closed `<!-- ... -->` comments (an unclosed one is kept as text)."""
    parts: list[str] = []
    start = 0
    while (opened := text.find("<!--", start)) != -1:
        closed = text.find("-->", opened + 4)
        if closed == -1:
            break
        parts.append(text[start:opened])
        start = closed + 3
    parts.append(text[start:])
    return "".join(parts)


@dataclass(slots=True)
class CodeBlock:
    """One fenced block: `first_line` is the file line of the first code line."""

    language: str
    code: str
    fence_line: int
    section: str
    subsection: str = ""
    filename: str | None = None
    filename_line: int = 0
    closed: bool = True

    @property
    def first_line(self) -> int:
        return self.fence_line + 1

    @property
    def migration_side(self) -> str | None:
        """'before' or 'after' for blocks under `### Before (...)` / `### After (...)`."""
        match = MIGRATION_SIDE.match(self.subsection)
        return match.group(1).lower() if match else None


@dataclass(slots=True)
class Section:
    """A heading and the text under it up to the next heading of the same or a higher level."""

    title: str
    level: int
    line: int
    body: str = ""

    @property
    def key(self) -> str:
        return self.title.strip().lower()


class MetaFields:
    """Typed-enough reads of the raw front matter `meta`, tolerant of wrong types (rules and the
    TUI must work on invalid files too): shared by `Example` and the TUI's fast `Entry`."""

    meta: dict[str, Any]

    @property
    def title(self) -> str:
        return str(self.meta.get("title", "") or "")

    @property
    def type(self) -> str:
        return str(self.meta.get("type", "") or "")

    @property
    def status(self) -> str:
        return str(self.meta.get("status", "") or "draft")

    @property
    def difficulty(self) -> str:
        return str(self.meta.get("difficulty", "") or "")

    @property
    def generations(self) -> list[str]:
        return self.generations_of("generation")

    def generations_of(self, key: str) -> list[str]:
        """`generation`, `from_generation` or `to_generation` as a list (a key may hold one
        name or a list of names)."""
        value = self.meta.get(key)
        if isinstance(value, list):
            return [str(v) for v in value]
        return [str(value)] if value else []

    @property
    def tags(self) -> list[str]:
        value = self.meta.get("tags")
        return [str(v) for v in value] if isinstance(value, list) else []


@dataclass
class Example(MetaFields):
    """One training example as read from disk; `meta` is the raw front matter mapping."""

    path: Path
    display_path: str
    text: str
    meta: dict[str, Any]
    front_matter_text: str
    front_matter_line: int
    body_line: int
    sections: list[Section] = field(default_factory=list)
    code_blocks: list[CodeBlock] = field(default_factory=list)
    topic: str | None = None
    # (line, code) of the `rem noqa:` entries that matched a finding (curate.lint.finalize
    # records them, unused_noqa reports the rest); travels with the example out of a worker.
    noqa_used: set[tuple[int, str]] = field(default_factory=set, compare=False, repr=False)

    @cached_property
    def noqa(self) -> list[Noqa]:
        """The `rem noqa:` comments of every code block (curate.noqa)."""
        return [comment for block in self.code_blocks for comment in noqa_comments(block.code, block.first_line)]

    @cached_property
    def content_hash(self) -> str:
        return hashlib.sha256(self.text.encode("utf-8")).hexdigest()

    @property
    def id(self) -> str:
        """Stable identity: topic/stem, the same on every machine."""
        return f"{self.topic}/{self.path.stem}" if self.topic else self.path.stem

    @cached_property
    def schema_errors(self) -> list[tuple[str, str]]:
        """JSON Schema violations of the front matter, computed once for all rules."""
        from curate.schema import schema_errors

        return schema_errors(self.meta)

    @cached_property
    def meta_lines(self) -> dict[str, int]:
        """File line of each top-level front matter key (computed only when needed)."""
        return {k: v + self.front_matter_line for k, v in key_lines(self.front_matter_text).items()}

    def line_of_key(self, key: str) -> int:
        return self.meta_lines.get(key, self.front_matter_line - 1 if self.front_matter_line > 1 else 1)

    def section(self, key: str) -> Section | None:
        for section in self.sections:
            if section.level == 2 and section.key == key:
                return section
        return None

    def blocks_in(self, section_key: str) -> list[CodeBlock]:
        return [b for b in self.code_blocks if b.section.lower() == section_key]


class ExampleLoadError(InputError):
    """Raised with the diagnostics that made a file unreadable as an example."""

    def __init__(self, diagnostics: list[Diagnostic]):
        super().__init__(diagnostics=diagnostics)


def _file_error(path: str, code: str, message: str, line: int = 1, col: int = 1) -> Diagnostic:
    return Diagnostic(path, line, col, code, Severity.ERROR, message)


def read_example_bytes(path: Path, display: str) -> bytes:
    """The raw bytes of one example file through the guarded reader (regular files only, size
    cap before reading, symlinks confined to the repository)."""
    try:
        return read_guarded(path, MAX_FILE_BYTES)
    except UnsafeFile as exc:
        raise ExampleLoadError([_file_error(display, exc.code, exc.message, exc.line)]) from None


def read_text(path: Path, display: str) -> tuple[str, list[Diagnostic]]:
    """Read and decode a file, turning every way it can be unreadable into a diagnostic."""
    return decode_example(read_example_bytes(path, display), display)


def decode_example(raw: bytes, display: str) -> tuple[str, list[Diagnostic]]:
    """UTF-8 text with LF line ends and no BOM, and warnings for a BOM or CRLF (fixable)."""
    notes: list[Diagnostic] = []
    if b"\x00" in raw:
        raise ExampleLoadError([_file_error(display, "BBJ002", "binary content (NUL bytes): not a text file")])
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw.count(b"\n", 0, exc.start) + 1
        col = exc.start - (raw.rfind(b"\n", 0, exc.start) + 1) + 1
        raise ExampleLoadError([_file_error(display, "BBJ002", f"invalid UTF-8 (byte 0x{raw[exc.start]:02x}); save the file as UTF-8", line, col)]) from None
    if text.startswith("\ufeff"):
        notes.append(Diagnostic(display, 1, 1, "BBJ004", Severity.WARNING, "file starts with a UTF-8 byte order mark", True))
        text = text[1:]
    if "\r" in text:
        line = text.count("\n", 0, text.index("\r")) + 1
        notes.append(Diagnostic(display, line, 1, "BBJ005", Severity.WARNING, "CRLF line endings; use LF", True))
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    return text, notes


def parse_example(text: str, path: Path, display: str, topic: str | None = None) -> Example:
    """Parse decoded text; raises ExampleLoadError for missing or broken front matter."""
    if not text.strip():
        raise ExampleLoadError([_file_error(display, "BBJ006", "empty file")])
    try:
        meta, fm_text, fm_line, body_line = load_front_matter(text)
    except FrontMatterError as exc:
        raise ExampleLoadError([_file_error(display, exc.code, exc.message, exc.line, exc.col)]) from None
    lines = text.split("\n")
    sections, blocks = _scan_body(lines, body_line)
    return Example(
        path=path,
        display_path=display,
        text=text,
        meta=meta,
        front_matter_text=fm_text,
        front_matter_line=fm_line,
        body_line=body_line,
        sections=sections,
        code_blocks=blocks,
        topic=topic,
    )


def _scan_body(lines: list[str], body_line: int) -> tuple[list[Section], list[CodeBlock]]:
    sections: list[Section] = []
    blocks: list[CodeBlock] = []
    open_sections: list[tuple[Section, list[str]]] = []
    current_h2 = ""
    current_h3 = ""
    i = body_line - 1
    pending_name: tuple[str, int] | None = None

    def add_line(line: str) -> None:
        for _, buf in open_sections:
            buf.append(line)

    def close_to(level: int) -> None:
        while open_sections and open_sections[-1][0].level >= level:
            section, buf = open_sections.pop()
            section.body = "\n".join(buf).strip("\n")

    while i < len(lines):
        line = lines[i]
        fence = FENCE_OPEN.match(line)
        if fence:
            marker = fence.group(2)
            language = fence.group(3).lower()
            start = i + 1
            j = start
            closer = re.compile(r"^ {0,3}" + re.escape(marker[0]) + "{" + str(len(marker)) + r",}[ \t]*$")
            while j < len(lines) and not closer.match(lines[j]):
                j += 1
            closed = j < len(lines)
            code = "\n".join(lines[start:j])
            name, name_line = pending_name if pending_name else (None, 0)
            blocks.append(CodeBlock(language, code, i + 1, current_h2, current_h3, name, name_line, closed))
            for k in range(i, min(j + 1, len(lines))):
                add_line(lines[k])
            pending_name = None
            i = j + 1
            continue
        found = heading(line)
        if found:
            level, title = found
            close_to(level)
            section = Section(title.strip(), level, i + 1)
            sections.append(section)
            open_sections.append((section, []))
            if level <= 2:
                current_h2 = section.title if level == 2 else ""
                current_h3 = ""
            elif level == 3:
                current_h3 = section.title
            pending_name = None
            i += 1
            continue
        name = filename_comment(line)
        if name is not None:
            pending_name = (name, i + 1)
        elif line.strip():
            pending_name = None
        add_line(line)
        i += 1
    close_to(1)
    return sections, blocks


def load_example(path: Path, display: str | None = None, topic: str | None = None) -> tuple[Example | None, list[Diagnostic]]:
    """Read and parse one file; never raises for bad input, returns diagnostics instead."""
    display = display or str(path)
    try:
        text, notes = read_text(path, display)
    except ExampleLoadError as exc:
        return None, exc.diagnostics
    try:
        return parse_example(text, path, display, topic), notes
    except ExampleLoadError as exc:  # keep the BOM/CRLF notes: the file has those problems too
        return None, notes + exc.diagnostics


DRIVE_LETTER = re.compile(r"^[A-Za-z]:")


def filename_problem(name: str) -> str | None:
    """Why a `<!-- filename: -->` value could escape the folder the program is written to."""
    if not name:
        return "is empty"
    if "\\" in name:
        return "contains a backslash; use '/'"
    if DRIVE_LETTER.match(name):
        return "starts with a drive letter"
    if name.startswith("/"):
        return "is absolute"
    if ".." in name.split("/"):
        return "contains '..'"
    if any(ord(ch) < 32 for ch in name):
        return "contains a control character"
    return None
