"""Commit-time checks that agree with `bbj-curate check` (issue 14): set-level titles, one
report per problem, committable rejections, and this repository's own hooks working from a
fresh clone with no virtual environment on PATH."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

from hookrepo import ROOT, Consumer, git, valid_example


def test_a_title_taken_by_a_committed_example_fails_the_commit(consumer: Consumer) -> None:
    """Hole: hooks linted only staged files, so a duplicate title (BBJ208) passed every hook."""
    other = valid_example("GREET a  person by name", "Margaret").replace("greeting target", "name to welcome").replace("walks the string", "visits each letter")
    consumer.write("training-data/strings/welcome-by-name.md", other.replace("status: approved", "status: draft"))
    result = consumer.commit("add an example with a taken title")
    assert result.returncode != 0
    assert "welcome-by-name.md:2:1: BBJ208" in result.stdout and "greet-a-person.md" in result.stdout
    assert result.stdout.count(": BBJ208 ") == 1


def test_one_problem_is_reported_by_one_hook(consumer: Consumer) -> None:
    """Hole: a bad `type:` was printed twice per commit, by bbj-validate and by bbj-lint."""
    text = valid_example("Count the vowels of a word", "Linus").replace("type: completion\n", "type: tutorial\n")
    consumer.write("training-data/strings/count-vowels.md", text)
    result = consumer.commit("add broken example")
    assert result.returncode != 0
    assert result.stdout.count("count-vowels.md:3:1: BBJ203") == 1


def test_rejecting_a_near_duplicate_can_be_committed(consumer: Consumer) -> None:
    """Hole: the rejected file still failed the dedupe (and compile) hooks, so the decision
    CONTRIBUTING.md says to keep could not be committed."""
    twin = valid_example("Greet someone by name", "Ada").replace("stores a greeting target", "keeps a greeting target")
    consumer.write("training-data/strings/greet-someone.md", twin.replace("status: approved", "status: rejected").replace("next i\n", ""))
    result = consumer.commit("record a rejected near duplicate")
    assert result.returncode == 0, result.stdout


def test_a_draft_with_a_compile_error_commits_and_is_refused_once_approved(consumer: Consumer) -> None:
    """Hole: a draft was blocked by the compile and dedupe hooks, so work in progress could not
    be committed. Its findings are warnings (shown by the hooks, exit 0) until its status moves
    on: the same file set to approved is refused."""
    twin = valid_example("Greet someone by name", "Ada").replace("stores a greeting target", "keeps a greeting target").replace("next i\n", "")
    rel = "training-data/strings/greet-someone.md"
    consumer.write(rel, twin.replace("status: approved", "status: draft"))
    drafted = consumer.commit("work in progress")
    assert drafted.returncode == 0, drafted.stdout
    shown = consumer.run_precommit("run", "--verbose", "--files", rel)
    assert shown.returncode == 0, shown.stdout
    assert "BBJ504" in shown.stdout and "greet-someone.md:2:1: BBJ601 " in shown.stdout, shown.stdout
    assert "[not blocking: status draft" in shown.stdout and "non-blocking finding" in shown.stdout

    consumer.write(rel, twin)
    approved = consumer.commit("approve it")
    assert approved.returncode != 0
    assert "BBJ504" in approved.stdout and "BBJ601" in approved.stdout and "not blocking" not in approved.stdout


def _fresh_clone(tmp_path: Path) -> Path:
    """This checkout's files (committed or not) as a new repository, with `.venv` pointing at
    the environment running the tests, as `make venv` would leave it."""
    clone = tmp_path / "clone"
    listed = subprocess.run(["git", "ls-files", "-co", "--exclude-standard"], cwd=ROOT, capture_output=True, text=True, check=True).stdout.split("\n")
    for rel in filter(None, listed):
        source = ROOT / rel
        if source.is_file() and not rel.startswith(("tests/", "bench/")):
            (clone / rel).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, clone / rel, follow_symlinks=False)
    (clone / ".venv").symlink_to(Path(sys.prefix))
    git(clone, "init", "-q")
    git(clone, "add", "-A")
    git(clone, "commit", "-qm", "fresh clone", "--no-verify")
    return clone


def test_repository_hooks_run_without_an_activated_venv(tmp_path: Path) -> None:
    """Hole: `language: system` hooks with `entry: bbj-validate` failed with "Executable
    `bbj-validate` not found" unless the venv was activated."""
    clone = _fresh_clone(tmp_path)
    bin_dir = str(Path(sys.prefix) / "bin")
    path = os.pathsep.join(p for p in os.environ.get("PATH", "").split(os.pathsep) if p and Path(p).resolve() != Path(bin_dir).resolve())
    env = {
        **os.environ,
        "PATH": path,
        "PRE_COMMIT_HOME": str(tmp_path / "pre-commit-home"),
        "GIT_AUTHOR_NAME": "T",
        "GIT_AUTHOR_EMAIL": "t@example.com",
        "GIT_COMMITTER_NAME": "T",
        "GIT_COMMITTER_EMAIL": "t@example.com",
    }
    env.pop("VIRTUAL_ENV", None)
    assert shutil.which("bbj-validate", path=path) is None, "the venv must not be on PATH"
    subprocess.run([sys.executable, "-m", "pre_commit", "install"], cwd=clone, env=env, check=True, capture_output=True)

    def commit(rel: str, text: str) -> subprocess.CompletedProcess[str]:
        (clone / rel).write_text(text, "utf-8")
        subprocess.run(["git", "add", rel], cwd=clone, env=env, check=True)
        return subprocess.run(
            ["git", "commit", "-m", f"add {rel}"], cwd=clone, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, check=False
        )

    good = commit("training-data/strings/count-the-letters-of-a-word.md", valid_example("Count the letters of a word", "Grace"))
    assert good.returncode == 0, good.stdout
    assert "not found" not in good.stdout and "Passed" in good.stdout
    bad = commit("training-data/strings/print-the-letters-of-a-word.md", valid_example("Print the letters of a word", "Barbara").replace("next i\n", ""))
    assert bad.returncode != 0 and "BBJ504" in bad.stdout, bad.stdout
