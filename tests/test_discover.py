"""`discover` turns command-line paths into example files: which files count, in which order,
with which displayed name and topic, and which entries are reported instead of skipped. The
walk works out each folder's share once; these cases pin what it must keep doing."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from curate.config import load_config
from curate.discover import Target, discover, topic_of


@pytest.fixture
def tree(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A project with the odd entries a repository can hold, and the working folder in it."""
    project = tmp_path / "proj"
    data = project / "training-data"
    for folder in ("gui", "oop/sub", ".hidden", "weird.md", "gui/.x.md"):
        (data / folder).mkdir(parents=True)
    for name in (
        "gui/a.md",
        "gui/B.MD",
        "gui/README.md",
        "gui/skipme.md",
        "gui/notes.txt",
        "oop/sub/c.md",
        "oop/d.md",
        ".hidden/h.md",
        "top.md",
        "weird.md/inner.md",
    ):
        (data / name).write_text("x", "utf-8")
    (tmp_path / "outside").mkdir()
    (tmp_path / "outside" / "o.md").write_text("x", "utf-8")
    (data / "gui" / "link.md").symlink_to("../../../outside/o.md")
    (data / "gui" / "broken.md").symlink_to("nowhere.md")
    (data / "gui" / "linkdir").symlink_to("../oop")
    (data / "gui" / "linkdir.md").symlink_to("../oop")
    (project / "pyproject.toml").write_text('[tool.bbj-curate]\nexclude = ["*skip*", "training-data/oop/sub/*"]\n', "utf-8")
    monkeypatch.chdir(project)
    return project


def found(*args: str) -> tuple[list[tuple[str, str | None]], list[tuple[str, str]]]:
    paths = [Path(a) for a in args]
    targets, problems = discover(paths, load_config(paths))
    return [(t.display, t.topic) for t in targets], [(p.path, p.message) for p in problems]


def test_folder_walk_order_topics_and_reported_entries(tree: Path) -> None:
    targets, problems = found("training-data")
    assert targets == [
        ("training-data/top.md", None),  # directly in the data root: no topic
        ("training-data/gui/B.MD", "gui"),  # suffix in any case; README.md is not an example
        ("training-data/gui/a.md", "gui"),
        ("training-data/gui/link.md", "gui"),  # a link is listed; the guarded reader judges it
        ("training-data/oop/d.md", "oop"),  # oop/sub is excluded by its path, skipme by its name
        ("training-data/weird.md/inner.md", "weird.md"),
    ]
    assert problems == [
        ("training-data/weird.md", "is a directory, not an example file"),
        ("training-data/gui/linkdir.md", "is a directory, not an example file"),
        ("training-data/gui/broken.md", "broken symbolic link or symlink loop"),
    ]


def test_absolute_and_repeated_paths(tree: Path) -> None:
    absolute, _ = found(str(tree / "training-data" / "gui"))
    assert [d for d, _ in absolute] == ["training-data/gui/B.MD", "training-data/gui/a.md", "training-data/gui/link.md"]
    both, _ = found("training-data/gui", "./training-data/")
    assert [d for d, _ in both].count("training-data/gui/a.md") == 1  # each file once


def test_single_files_outside_the_data_root_and_missing_ones(tree: Path) -> None:
    targets, problems = found("training-data/gui/a.md", "../outside/o.md", "nope.md", "training-data/gui/broken.md")
    assert targets == [("training-data/gui/a.md", "gui"), ("../outside/o.md", "outside")]
    assert problems == [("nope.md", "no such file or directory"), ("training-data/gui/broken.md", "broken symbolic link or symlink loop")]


def test_topic_of_agrees_with_the_walk(tree: Path) -> None:
    config = load_config([Path("training-data")])
    targets, _ = discover([Path("training-data")], config)
    assert all(topic_of(t.path, config) == t.topic for t in targets)
    assert topic_of(Path("x.md"), config) is None


@pytest.mark.skipif(os.name != "posix", reason="non-UTF-8 file names are a POSIX matter")
def test_a_name_that_is_not_utf8_is_shown_escaped(tree: Path) -> None:
    os.close(os.open(os.fsencode("training-data/gui/") + b"caf\xe9.md", os.O_CREAT | os.O_WRONLY))
    targets, _ = discover([Path("training-data/gui")], load_config([Path("training-data")]))
    assert "training-data/gui/caf\\xe9.md" in [t.display for t in targets]
    assert all(isinstance(t, Target) for t in targets)
