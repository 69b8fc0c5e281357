"""What a checker checks: a program of one or several source files. Each file knows which
Markdown (or source) line each of its physical lines came from, so a finding on physical line
N of a code block lands on the right line of the example file, wherever the block moved to."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from curate.diagnostics import Diagnostic, Severity
from curate.example import CodeBlock, Example, filename_problem
from curate.rules.code_blocks import is_output
from curate.vocabulary import is_bbj_fence

MAX_NAME_BYTES = 200
UNSAFE_NAME = "BBJ524"


@dataclass(frozen=True, slots=True)
class SourceFile:
    """One file of a program; `line_map[i]` is the report line of physical line i + 1."""

    name: str
    text: str
    line_map: Sequence[int]

    def report_line(self, physical: int) -> int:
        """The Markdown/source line of a physical line; out-of-range lines clamp to the block."""
        if not self.line_map:
            return 1
        index = min(max(physical, 1), len(self.line_map)) - 1
        return self.line_map[index]


@dataclass(frozen=True, slots=True)
class Program:
    """What one checker run sees: the files of an example (or one raw source file)."""

    path: str
    files: tuple[SourceFile, ...]


@dataclass(frozen=True, slots=True)
class Finding:
    """A checker's verdict item in the source's own terms: `line` is the physical line of
    `file` (0: the whole file). Cached as is; mapped to a Diagnostic on every run."""

    file: str
    line: int
    col: int
    code: str
    message: str


def block_source(name: str, code: str, first_line: int) -> SourceFile:
    lines = code.count("\n") + 1
    return SourceFile(name, code, range(first_line, first_line + lines))


def name_problem(name: str) -> str | None:
    """Why a `<!-- filename: X -->` name cannot be a file in the private folder, else None.
    Relative paths with subfolders (`lib/util.bbj`) are fine; the lint rule BBJ304 names the
    same problems, this adds what a file system refuses."""
    problem = filename_problem(name)
    if problem:
        return f"the name {problem}"
    parts = name.split("/")
    if any(part in ("", ".") for part in parts):
        return "the name has an empty or '.' part"
    if ":" in name or "\x7f" in name:
        return "the name contains ':' or a control character"
    if any(len(part.encode("utf-8", "surrogatepass")) > MAX_NAME_BYTES for part in parts):
        return f"a part of the name is longer than {MAX_NAME_BYTES} bytes"
    return None


def confined_path(folder: Path, name: str) -> Path | None:
    """`folder / name` if the name is safe and resolves to a path inside `folder` (a symlink
    planted there cannot lead out)."""
    if name_problem(name):
        return None
    root = folder.resolve()
    target = (root / name).resolve()
    return target if target != root and target.is_relative_to(root) else None


def programs_of_example(example: Example) -> tuple[list[Program], list[Diagnostic]]:
    """The example's ```bbj blocks as programs: one per migration side (Before / After), all
    other blocks together; files are named by their filename comment, else `blockN.bbj`."""
    groups: dict[str, list[tuple[int, CodeBlock]]] = {}
    number = 0
    for block in example.code_blocks:
        if not block.closed or not is_bbj_fence(block.language, is_output(block)):
            continue  # an unclosed fence swallows the prose after it: BBJ110 reports it instead
        number += 1
        groups.setdefault(block.migration_side or "", []).append((number, block))
    programs: list[Program] = []
    problems: list[Diagnostic] = []
    for blocks in groups.values():
        names = _file_names(example, blocks, problems)
        files = tuple(block_source(name, block.code, block.first_line) for name, (_, block) in zip(names, blocks))
        programs.append(Program(example.display_path, files))
    return programs, problems


def _file_names(example: Example, blocks: list[tuple[int, CodeBlock]], problems: list[Diagnostic]) -> list[str]:
    """Names from filename comments where usable (first come, first served), then defaults
    that avoid every name already taken; each unusable name is reported once."""
    names: list[str | None] = []
    taken: set[str] = set()
    for _, block in blocks:
        name = block.filename
        reason = None if name is None else name_problem(name)
        if name is not None and reason is None and name.lower() in taken:
            reason = "another file of this program already has that name"
        if name is not None and reason is not None:
            problems.append(_unusable(example, block, reason))
            name = None
        if name is not None:
            taken.add(name.lower())
        names.append(name)
    result: list[str] = []
    for (number, _), name in zip(blocks, names):
        if name is None:
            name, suffix = f"block{number}.bbj", 1
            while name.lower() in taken:
                suffix += 1
                name = f"block{number}-{suffix}.bbj"
            taken.add(name.lower())
        result.append(name)
    return result


def _unusable(example: Example, block: CodeBlock, reason: str) -> Diagnostic:
    return Diagnostic(
        example.display_path,
        block.filename_line or block.fence_line,
        1,
        UNSAFE_NAME,
        Severity.ERROR,
        f"unusable file name {block.filename!r} in the filename comment: {reason}; the block is checked under a default name",
    )
