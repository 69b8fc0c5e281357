"""Real starter examples (training-data/*/*.md), copied and corrupted one way at a time: the
full lint must report the expected code at the corrupted line. Skips when none exist yet."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from curate.config import CurateConfig
from curate.example import parse_example
from curate.lint import lint_paths
from curate.vocabulary import NON_EXAMPLE_FILES

REPO = Path(__file__).resolve().parents[2]
STARTERS = sorted(p for p in (REPO / "training-data").glob("*/*.md") if p.name not in NON_EXAMPLE_FILES)
Corruption = Callable[[list[str], Path], tuple[str, int] | None]  # edits lines in place -> (code, 1-based line)


def index_of(lines: list[str], predicate: Callable[[str], bool]) -> int | None:
    return next((i for i, line in enumerate(lines) if predicate(line)), None)


def front_matter_end(lines: list[str]) -> int:
    return next(i for i in range(1, len(lines)) if lines[i].rstrip() in ("---", "..."))


def key_index(lines: list[str], key: str) -> int | None:
    return index_of(lines[: front_matter_end(lines)], lambda line: line.startswith(f"{key}:"))


def first_code_fence(lines: list[str]) -> int | None:
    code = index_of(lines, lambda line: line.strip().lower() == "## code")
    if code is None:
        return None
    fence = index_of(lines[code:], lambda line: line.strip() == "```bbj")
    return None if fence is None else code + fence


def remove_type(lines: list[str], path: Path) -> tuple[str, int] | None:
    index = key_index(lines, "type")
    if index is None:
        return None
    del lines[index]
    return "BBJ201", 1


def basic_fence(lines: list[str], path: Path) -> tuple[str, int] | None:
    fence = first_code_fence(lines)
    if fence is None:
        return None
    lines[fence] = "```basic"
    return "BBJ301", fence + 1


def drop_explanation_heading(lines: list[str], path: Path) -> tuple[str, int] | None:
    heading = index_of(lines, lambda line: line.strip().lower() == "## explanation")
    if heading is None:
        return None
    del lines[heading]
    return "BBJ105", (key_index(lines, "type") or 0) + 1


def gui_call_in_character_example(lines: list[str], path: Path) -> tuple[str, int] | None:
    fence, generation = first_code_fence(lines), key_index(lines, "generation")
    if fence is None or generation is None or key_index(lines, "from_generation") is not None:
        return None  # a migration checks Before/After against from/to instead
    lines[generation] = "generation: character"
    lines.insert(fence + 2, "sysgui! = BBjAPI().getSysGui()")
    return "BBJ401", fence + 3


def drop_rem_line(lines: list[str], path: Path) -> tuple[str, int] | None:
    fence = first_code_fence(lines)
    if fence is None or not lines[fence + 1].lower().startswith("rem"):
        return None
    while lines[fence + 1].lower().startswith("rem"):  # the whole leading comment block
        del lines[fence + 1]
    first = index_of(lines[fence + 1 :], lambda line: bool(line.strip()))
    return "BBJ302", fence + 2 + (first or 0)


def unknown_key(lines: list[str], path: Path) -> tuple[str, int] | None:
    title = key_index(lines, "title")
    lines.insert((title or 0) + 1, "generations: all")
    return "BBJ202", (title or 0) + 2


def unsafe_filename(lines: list[str], path: Path) -> tuple[str, int] | None:
    fence = first_code_fence(lines)
    if fence is None:
        return None
    lines.insert(fence, "<!-- filename: ../outside.bbj -->")
    return "BBJ304", fence + 1


def unclosed_last_fence(lines: list[str], path: Path) -> tuple[str, int] | None:
    blocks = parse_example("\n".join(lines), path, path.name).code_blocks
    if not blocks:
        return None
    last = blocks[-1]
    del lines[last.fence_line + last.code.count("\n") + 1]
    return "BBJ110", last.fence_line


def yaml_error(lines: list[str], path: Path) -> tuple[str, int] | None:
    title = key_index(lines, "title")
    lines.insert((title or 0) + 1, "tags: [unclosed")
    return "BBJ103", (title or 0) + 3


CORRUPTIONS: list[Corruption] = [
    remove_type,
    basic_fence,
    drop_explanation_heading,
    gui_call_in_character_example,
    drop_rem_line,
    unknown_key,
    unsafe_filename,
    unclosed_last_fence,
    yaml_error,
]
GRID = [(path, corrupt) for path in STARTERS for corrupt in CORRUPTIONS]


def lint_copy(tmp_path: Path, source: Path, text: str) -> set[tuple[str, int]]:
    copy = tmp_path / "training-data" / source.parent.name / source.name
    copy.parent.mkdir(parents=True, exist_ok=True)
    copy.write_text(text, "utf-8")
    result = lint_paths([copy], CurateConfig(root=tmp_path), jobs=1)
    return {(d.code, d.line) for d in result.diagnostics}


@pytest.mark.skipif(not STARTERS, reason="no starter examples under training-data/ yet")
@pytest.mark.parametrize(("source", "corrupt"), GRID, ids=[f"{p.parent.name}/{p.stem}-{c.__name__}" for p, c in GRID])
def test_corrupted_starter_is_flagged(tmp_path: Path, source: Path, corrupt: Corruption) -> None:
    original = source.read_text("utf-8")
    lines = original.split("\n")
    expected = corrupt(lines, source)
    if expected is None:
        pytest.skip(f"{corrupt.__name__} does not apply to {source.name}")
    before = lint_copy(tmp_path / "before", source, original)
    after = lint_copy(tmp_path / "after", source, "\n".join(lines))
    assert expected not in before
    assert expected in after, sorted(after)


def test_there_is_something_to_corrupt() -> None:
    if not STARTERS:
        pytest.skip("no starter examples under training-data/ yet")
    assert any(first_code_fence(p.read_text("utf-8").split("\n")) is not None for p in STARTERS)
