"""The opt-in `bbj-fix` hook through real git and real pre-commit: it rewrites the file and
FAILS so the contributor stages the fix, as pre-commit-hooks' fixers do; and the fix hint of
`bbj-lint` in a consumer repository names a command that exists there."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest
from hookrepo import Consumer, git, valid_example

BASIC_FENCE = valid_example("Say hello to a friend", "Grace").replace("```bbj", "```basic")
FILE = "training-data/strings/say-hello.md"


def make_consumer(path: Path, home: Path, hooks_repo: tuple[Path, str], hooks: list[str]) -> Consumer:
    repo_path, rev = hooks_repo
    consumer = Consumer(path, home)
    path.mkdir()
    git(path, "init", "-q")
    listed = "".join(f"      - id: {hook}\n" for hook in hooks)
    (path / ".pre-commit-config.yaml").write_text(f"repos:\n  - repo: {repo_path}\n    rev: {rev}\n    hooks:\n{listed}")
    git(path, "add", "-A")
    git(path, "commit", "-qm", "config")
    assert consumer.run_precommit("install").returncode == 0
    return consumer


@pytest.fixture
def fixing_consumer(tmp_path: Path, hooks_repo: tuple[Path, str], precommit_home: Path) -> Consumer:
    return make_consumer(tmp_path / "fixing", precommit_home, hooks_repo, ["bbj-lint", "bbj-fix"])


def test_the_fix_hook_rewrites_fails_and_passes_once_restaged(fixing_consumer: Consumer) -> None:
    fixing_consumer.write(FILE, BASIC_FENCE)
    first = fixing_consumer.commit("add an example with a basic fence")
    assert first.returncode == 1, first.stdout
    assert f"Fixing {FILE}" in first.stdout and "files were modified by this hook" in first.stdout
    # bbj-lint ran first and names the configured hook as the way to fix it
    assert f"run `pre-commit run bbj-fix --files {FILE}`" in first.stdout
    assert "```bbj" in (fixing_consumer.path / FILE).read_text() and "```basic" not in (fixing_consumer.path / FILE).read_text()
    assert "say-hello.md" not in git(fixing_consumer.path, "log", "--name-only").stdout  # nothing was committed
    second = fixing_consumer.commit("add the fixed example")
    assert second.returncode == 0, second.stdout
    assert "say-hello.md" in git(fixing_consumer.path, "log", "-1", "--name-only").stdout


def test_the_hinted_command_exists_in_the_consumer(fixing_consumer: Consumer) -> None:
    """The hint is a command: run it as printed and the file is fixed (exit 1: modified)."""
    target = fixing_consumer.write("training-data/strings/say-hi.md", BASIC_FENCE.replace("Say hello", "Say hi"))
    subprocess.run(["git", "add", "-A"], cwd=fixing_consumer.path, check=True)
    ran = fixing_consumer.run_precommit("run", "bbj-fix", "--files", "training-data/strings/say-hi.md")
    assert ran.returncode == 1 and "files were modified by this hook" in ran.stdout
    assert "```basic" not in target.read_text()
    assert fixing_consumer.run_precommit("run", "bbj-fix", "--files", "training-data/strings/say-hi.md").returncode == 0


def test_without_the_fix_hook_the_hint_says_how_to_get_one(consumer: Consumer) -> None:
    """A consumer without the toolkit installed and without bbj-fix: no make target, no
    `bbj-curate` it does not have; the opt-in hook and how to run it."""
    consumer.write(FILE, BASIC_FENCE)
    result = consumer.commit("add an example with a basic fence")
    assert result.returncode == 1
    assert "add the opt-in `- id: bbj-fix` hook to .pre-commit-config.yaml" in result.stdout
    assert "make " not in result.stdout and "bbj-curate check --fix" not in result.stdout


def test_the_hint_prefers_a_bbj_curate_on_the_users_path(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from hooks._common import fix_command

    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("PRE_COMMIT_HOME", str(tmp_path / "pre-commit-home"))
    private = tmp_path / "pre-commit-home" / "repo1" / "py_env" / "bin"
    for folder in (private, tmp_path / "user-bin"):
        folder.mkdir(parents=True)
        (folder / "bbj-curate").write_text("#!/bin/sh\n")
        (folder / "bbj-curate").chmod(0o755)
    monkeypatch.setenv("PATH", str(private))  # pre-commit's own environment only: not the user's command
    assert "opt-in `- id: bbj-fix`" in fix_command("x.md")
    monkeypatch.setenv("PATH", f"{private}:{tmp_path / 'user-bin'}")
    assert fix_command("x.md") == "run `bbj-curate lint --fix x.md`"
    (tmp_path / ".pre-commit-config.yaml").write_text("repos:\n  - repo: x\n    hooks:\n      - id: bbj-fix\n")
    assert fix_command("x.md") == "run `pre-commit run bbj-fix --files x.md`"
