"""Programs from examples and from raw files: grouping, file names, line maps, confinement."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from compile_helpers import bbj_block, example_text, fence_lines, write_example

from curate.compile.program import confined_path, programs_of_example
from curate.compile.sources import collect_sources, read_source


@pytest.mark.parametrize(
    ("blocks", "names", "problems"),
    [
        ([bbj_block("print 1"), bbj_block("print 2")], ["block1.bbj", "block2.bbj"], []),
        ([bbj_block("print 1", "Main.bbj"), bbj_block("print 2")], ["Main.bbj", "block2.bbj"], []),
        ([bbj_block("print 1"), bbj_block("print 2", "block1.bbj")], ["block1-2.bbj", "block1.bbj"], []),
        ([bbj_block("print 1", "A.bbj"), bbj_block("print 2", "a.BBJ")], ["A.bbj", "block2.bbj"], ["BBJ524"]),
        (["```text\nnot code\n```", bbj_block("print 1"), "```python\nprint(1)\n```"], ["block1.bbj"], []),
        ([bbj_block("print 1", "../up.bbj")], ["block1.bbj"], ["BBJ524"]),
    ],
)
def test_file_names(blocks: list[str], names: list[str], problems: list[str], tmp_path: Path) -> None:
    example = write_example(tmp_path, "x.md", example_text(blocks))
    programs, found = programs_of_example(example)
    assert [[f.name for f in p.files] for p in programs] == [names]
    assert [d.code for d in found] == problems


def test_line_map_points_at_markdown_lines(tmp_path: Path) -> None:
    text = example_text(["Intro.", bbj_block("rem one\nrem two\nrem three")])
    (program,), _ = programs_of_example(write_example(tmp_path, "x.md", text))
    fence = fence_lines(text)[0]
    source = program.files[0]
    assert [source.report_line(n) for n in (1, 2, 3)] == [fence + 1, fence + 2, fence + 3]
    assert source.report_line(0) == fence + 1 and source.report_line(99) == fence + 3


def test_example_without_bbj_code_has_no_program(tmp_path: Path) -> None:
    assert programs_of_example(write_example(tmp_path, "x.md", example_text(["```text\nhello\n```"]))) == ([], [])


@pytest.mark.parametrize(
    ("name", "inside"),
    [
        ("Main.bbj", True),
        ("with space.bbj", True),
        ("..", False),
        ("../x.bbj", False),
        ("/etc/passwd", False),
        ("lib/b.bbj", True),
        ("lib/../b.bbj", False),
        ("lib//b.bbj", False),
        ("./b.bbj", False),
        ("C:b.bbj", False),
        ("a\\b", False),
        ("", False),
        ("x" * 300, False),
        ("tab\there", False),
    ],
)
def test_confined_path(name: str, inside: bool, tmp_path: Path) -> None:
    target = confined_path(tmp_path, name)
    assert (target is not None) == inside
    if target is not None:
        assert target.is_relative_to(tmp_path.resolve()) and target != tmp_path.resolve()


def test_symlink_named_like_a_block_cannot_escape(tmp_path: Path) -> None:
    (tmp_path / "outside").mkdir()
    folder = tmp_path / "private"
    folder.mkdir()
    (folder / "link.bbj").symlink_to(tmp_path / "outside" / "target.bbj")
    assert confined_path(folder, "link.bbj") is None


@pytest.mark.parametrize(
    ("raw", "text"),
    [
        (b"rem a\r\nprint 1\r\n", "rem a\nprint 1\n"),
        (b"\xef\xbb\xbfrem bom\n", "rem bom\n"),
        (b"rem caf\xe9\n", "rem caf\u00e9\n"),
        ("rem café\n".encode(), "rem caf\u00e9\n"),
        (b"rem old mac\rprint 1\r", "rem old mac\nprint 1\n"),
    ],
)
def test_read_source_decodes_and_normalises(raw: bytes, text: str, tmp_path: Path) -> None:
    path = tmp_path / "a.bbj"
    path.write_bytes(raw)
    program, problem = read_source(path)
    assert problem is None and program is not None
    assert program.files[0].text == text
    assert program.files[0].report_line(2) == 2


def test_collect_sources_reports_what_cannot_be_read(tmp_path: Path) -> None:
    (tmp_path / "ok.bbj").write_text("print 1\n", "utf-8")
    os.mkfifo(tmp_path / "pipe.bbj")
    (tmp_path / "dangling.src").symlink_to(tmp_path / "gone.src")
    (tmp_path / "dir.bbj").mkdir()
    (tmp_path / "readme.md").write_text("# not source\n", "utf-8")
    files, problems = collect_sources([tmp_path, tmp_path / "ok.bbj", tmp_path / "missing.bbj"])
    assert [f.name for f in files] == ["ok.bbj"]
    assert sorted((Path(d.path).name, d.code, d.message) for d in problems) == [
        ("dangling.src", "BBJ001", "broken symbolic link (its target does not exist)"),
        ("missing.bbj", "BBJ001", "no such file or directory"),
        ("pipe.bbj", "BBJ001", "a named pipe (FIFO), not a regular file: refused (it could block or never end)"),
    ]


def test_unclosed_fence_is_not_compiled(tmp_path: Path) -> None:
    """BBJ110 reports the fence; compiling the prose it swallowed would only add noise."""
    text = example_text(["```bbj\nprint 1\n\n## Explanation\n\nThe prose after an unclosed fence."])
    programs, problems = programs_of_example(write_example(tmp_path, "unclosed.md", text))
    assert programs == [] and problems == []
