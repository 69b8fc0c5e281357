"""A review decision is a compare-and-swap on the example file: a save made between the read and
the rename is never lost; read-only files, hard-linked files and links out of the repository are
refused; a link inside the repository is written through and the mode is kept."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from curate.tui import decisions
from curate.tui.decisions import FileWriter, StaleFileError
from curate.tui.store import digest

TEXT = b"---\ntitle: Greet\ntype: completion\ngeneration: all\nstatus: draft\n---\n\n## Code\n"
OUTSIDE = TEXT.replace(b"Greet", b"Greet the user (saved in an editor)")


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    (tmp_path / "pyproject.toml").write_text("[tool.bbj-curate]\n", "utf-8")
    (tmp_path / "training-data").mkdir()
    return tmp_path


def approve(path: Path) -> None:
    FileWriter().update(path, path.name, digest(path.read_bytes()), {"status": "approved"}, "approve")


def test_outside_save_during_the_decision_is_kept(repo: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The hash check passes, then an editor saves before the rename: the editor's save wins."""
    path = repo / "training-data" / "greet.md"
    path.write_bytes(TEXT)
    real_update = decisions.update_front_matter

    def editor_saves_meanwhile(current: bytes, updates: dict) -> bytes:
        path.write_bytes(OUTSIDE)
        return real_update(current, updates)

    monkeypatch.setattr(decisions, "update_front_matter", editor_saves_meanwhile)
    with pytest.raises(StaleFileError, match="changed on disk"):
        approve(path)
    assert path.read_bytes() == OUTSIDE


def test_read_only_file_is_refused(repo: Path) -> None:
    path = repo / "training-data" / "greet.md"
    path.write_bytes(TEXT)
    path.chmod(0o444)
    with pytest.raises(StaleFileError, match="read-only"):
        approve(path)
    assert path.read_bytes() == TEXT and (path.stat().st_mode & 0o777) == 0o444


def test_link_inside_the_repository_is_written_through(repo: Path) -> None:
    target = repo / "training-data" / "greet.md"
    target.write_bytes(TEXT)
    target.chmod(0o640)
    link = repo / "training-data" / "alias.md"
    link.symlink_to("greet.md")
    approve(link)
    assert link.is_symlink() and b"status: approved" in target.read_bytes()
    assert (target.stat().st_mode & 0o777) == 0o640


def test_link_out_of_the_repository_and_hard_links_are_refused(repo: Path, tmp_path_factory: pytest.TempPathFactory) -> None:
    outside = tmp_path_factory.mktemp("elsewhere") / "greet.md"
    outside.write_bytes(TEXT)
    link = repo / "training-data" / "alias.md"
    link.symlink_to(outside)
    with pytest.raises(StaleFileError, match="outside the repository"):
        approve(link)
    assert outside.read_bytes() == TEXT
    path = repo / "training-data" / "greet.md"
    path.write_bytes(TEXT)
    os.link(path, repo / "greet-copy.md")
    with pytest.raises(StaleFileError, match="hard link"):
        approve(path)
    assert path.read_bytes() == TEXT and os.stat(path).st_nlink == 2
