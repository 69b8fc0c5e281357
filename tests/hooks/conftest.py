"""Real git and real pre-commit: a hooks repository made from this checkout, and consumer
repositories that use it through `.pre-commit-config.yaml` and `pre-commit install`."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest
from hookrepo import ROOT, Consumer, git, valid_example


@pytest.fixture(scope="session")
def precommit_home(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("pre-commit-home")


@pytest.fixture(scope="session")
def hooks_repo(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str]:
    """A git repository holding this checkout's current files (committed or not)."""
    repo = tmp_path_factory.mktemp("hooks-repo")
    listed = subprocess.run(["git", "ls-files", "-co", "--exclude-standard"], cwd=ROOT, capture_output=True, text=True, check=True).stdout.split("\n")
    for rel in filter(None, listed):
        source = ROOT / rel
        if source.is_file() and not rel.startswith(("training-data/", "tests/", "bench/", "docs/")):
            target = repo / rel
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, target, follow_symlinks=False)
    git(repo, "init", "-q")
    git(repo, "add", "-A")
    git(repo, "commit", "-qm", "hooks")
    return repo, git(repo, "rev-parse", "HEAD").stdout.strip()


@pytest.fixture
def consumer(tmp_path: Path, hooks_repo: tuple[Path, str], precommit_home: Path) -> Consumer:
    repo_path, rev = hooks_repo
    consumer = Consumer(tmp_path / "consumer", precommit_home)
    consumer.path.mkdir()
    git(consumer.path, "init", "-q")
    config = "repos:\n  - repo: {repo}\n    rev: {rev}\n    hooks:\n      - id: bbj-validate\n      - id: bbj-lint\n      - id: bbj-compile\n      - id: bbj-dedupe\n"
    (consumer.path / ".pre-commit-config.yaml").write_text(config.format(repo=repo_path, rev=rev))
    consumer.write("training-data/strings/greet-a-person.md", valid_example("Greet a person by name", "Ada"))
    consumer.write("training-data/README.md", "# Training data\n\nNot an example.\n")
    git(consumer.path, "add", "-A")
    git(consumer.path, "commit", "-qm", "initial")
    installed = consumer.run_precommit("install")
    # Without pre-commit (or a failed install) every commit would pass with no hook run: fail loudly.
    assert installed.returncode == 0, f"pre-commit install failed (is the dev extra installed?): {installed.stderr or installed.stdout}"
    assert (consumer.path / ".git" / "hooks" / "pre-commit").is_file(), "pre-commit install wrote no git hook"
    return consumer
