"""The front ends: the pre-commit check through the persisted index, `bbj-curate dedupe` (text,
exact JSON, exit codes) and the dedupe step of `bbj-curate check`."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from dedupe_helpers import example_text, program, project, replace_lines, write

import curate.dedupe.cluster as cluster_module
from curate.checks import CheckOptions, run_checks
from curate.config import load_config
from curate.dedupe import check_against_corpus

BASE = program("base")
TWIN = replace_lines(BASE, range(7, 8), "twin")
BIN = Path(sys.executable).parent


@pytest.fixture
def repo(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    root = project(tmp_path / "proj")
    write(root / "training-data" / "strings" / "original.md", example_text("Original", BASE, status="approved"))
    for n in range(4):
        write(root / "training-data" / "gui" / f"other{n}.md", example_text(f"Other {n}", program(f"o{n}")))
    write(root / "training-data" / "README.md", "# not an example\n")
    monkeypatch.chdir(root)
    return root


@pytest.fixture
def signed(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    counts: list[int] = []
    real = cluster_module.sign
    monkeypatch.setattr(cluster_module, "sign", lambda sets, n, s: counts.append(len(sets)) or real(sets, n, s))
    return counts


def hook(repo: Path, *changed: str) -> list:  # type: ignore[type-arg]
    config = load_config([repo])
    return check_against_corpus([Path(c) for c in changed], config.root / config.data_root, config)


def test_hook_flags_a_new_near_duplicate_naming_the_keeper(repo: Path) -> None:
    write(repo / "training-data" / "strings" / "copy.md", example_text("Copy", TWIN, status="in-review"))
    (diag,) = hook(repo, "training-data/strings/copy.md")
    assert (diag.path, diag.line, diag.code, diag.severity.value) == ("training-data/strings/copy.md", 2, "BBJ601", "error")
    assert "near duplicate of training-data/strings/original.md (Jaccard 0." in diag.message
    assert "keep training-data/strings/original.md (the only approved member)" in diag.message
    assert (repo / ".bbj-cache" / "dedupe" / "index.bin").exists()


def test_hook_flags_an_exact_copy_and_the_other_member_when_the_new_file_is_the_keeper(repo: Path) -> None:
    write(repo / "training-data" / "strings" / "same.md", example_text("Same", BASE, status="draft"))
    (diag,) = hook(repo, "training-data/strings/same.md")
    assert (diag.path, diag.code) == ("training-data/strings/same.md", "BBJ602")
    write(repo / "training-data" / "strings" / "better.md", example_text("Better", TWIN, "A far longer explanation of everything.", status="approved"))
    flagged = {d.path: d.code for d in hook(repo, "training-data/strings/better.md")}
    assert flagged == {"training-data/strings/original.md": "BBJ601", "training-data/strings/same.md": "BBJ601"}


def test_hook_reads_and_signs_only_what_changed(repo: Path, signed: list[int]) -> None:
    # every call also signs the named file once for its query: 1 of each total below
    assert hook(repo, "training-data/gui/other0.md") == []
    assert sum(signed) == 5 + 1  # first use: the whole corpus
    assert hook(repo, "training-data/gui/other0.md") == []
    assert sum(signed) == 6 + 1  # named but unchanged: read again, not signed again
    write(repo / "training-data" / "gui" / "other1.md", example_text("Other 1", program("o1"), "Edited prose."))
    os.utime(repo / "training-data" / "gui" / "other1.md", ns=(1, 1))  # far from the last save
    assert hook(repo, "training-data/gui/other0.md") == []
    assert sum(signed) == 7 + 1 + 1  # the edited file, found by its stat, not because it was named


def test_hook_forgets_deleted_and_renamed_files(repo: Path) -> None:
    write(repo / "training-data" / "strings" / "copy.md", example_text("Copy", TWIN))
    assert hook(repo, "training-data/strings/copy.md")
    (repo / "training-data" / "strings" / "original.md").rename(repo / "training-data" / "strings" / "renamed.md")
    (repo / "training-data" / "strings" / "copy.md").unlink()
    assert hook(repo, "training-data/strings/renamed.md") == []
    write(repo / "training-data" / "strings" / "copy.md", example_text("Copy", TWIN, status="in-review"))
    (diag,) = hook(repo, "training-data/strings/copy.md")
    assert "training-data/strings/renamed.md" in diag.message


def test_hook_checks_a_file_outside_the_corpus_without_indexing_it(repo: Path) -> None:
    write(repo / "drafts" / "copy.md", example_text("Copy", TWIN))
    (diag,) = hook(repo, "drafts/copy.md")
    assert diag.path == "drafts/copy.md" and diag.code == "BBJ601"


def test_hook_rebuilds_a_damaged_index_with_a_warning(repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    hook(repo, "training-data/gui/other0.md")
    (repo / ".bbj-cache" / "dedupe" / "index.bin").write_bytes(b"\x00" * 100)
    write(repo / "training-data" / "strings" / "copy.md", example_text("Copy", TWIN))
    assert [d.code for d in hook(repo, "training-data/strings/copy.md")] == ["BBJ601"]
    assert "dedupe index" in capsys.readouterr().err


def cli(repo: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([str(BIN / "bbj-curate"), "dedupe", *args], cwd=repo, capture_output=True, text=True, check=False)


def test_cli_json_has_exactly_the_documented_shape(repo: Path) -> None:
    write(repo / "training-data" / "strings" / "copy.md", example_text("Copy", TWIN, status="in-review"))
    write(repo / "training-data" / "strings" / "same.md", example_text("Same", BASE))
    result = cli(repo, "training-data", "--format", "json")
    assert result.returncode == 1, result.stderr
    document = json.loads(result.stdout)
    assert list(document) == ["clusters"]
    (cluster,) = document["clusters"]
    assert list(cluster) == ["members", "keeper", "reason", "pairs"]
    assert cluster["members"] == ["training-data/strings/copy.md", "training-data/strings/original.md", "training-data/strings/same.md"]
    assert cluster["keeper"] == "training-data/strings/original.md" and cluster["reason"] == "the only approved member"
    assert all(list(p) == ["a", "b", "jaccard", "score"] and isinstance(p["jaccard"], float) and isinstance(p["score"], float) for p in cluster["pairs"])
    assert {"a": "training-data/strings/original.md", "b": "training-data/strings/same.md", "jaccard": 1.0, "score": 1.0} in cluster["pairs"]


def test_cli_text_and_exit_codes(repo: Path) -> None:
    clean = cli(repo, "training-data")
    assert (clean.returncode, clean.stdout.strip()) == (0, "No near duplicates among 5 examples.")
    write(repo / "training-data" / "strings" / "copy.md", example_text("Copy", TWIN))
    drafted = cli(repo)
    assert drafted.returncode == 0, "a draft's duplicate does not block (as in bbj-curate check)"
    assert "  - training-data/strings/copy.md" in drafted.stdout
    write(repo / "training-data" / "strings" / "copy.md", example_text("Copy", TWIN, status="in-review"))
    found = cli(repo)
    assert found.returncode == 1
    assert "cluster 1: 2 examples; keep training-data/strings/original.md (the only approved member)" in found.stdout
    assert "  - training-data/strings/copy.md" in found.stdout and "Found 1 cluster: 1 of 6 examples duplicate a keeper." in found.stdout
    assert cli(repo, "training-data", "--threshold", "0.99").returncode == 0


@pytest.mark.parametrize("args", [["--threshold", "0"], ["--threshold", "1.5"], ["--format", "xml"], ["no-such-folder"]])
def test_cli_usage_errors_exit_2(repo: Path, args: list[str]) -> None:
    result = cli(repo, *args)
    assert result.returncode == 2 and "Traceback" not in result.stderr


def test_check_step_reports_at_the_title_line_and_honours_lint_ignore(repo: Path) -> None:
    copy = write(repo / "training-data" / "strings" / "copy.md", example_text("Copy", TWIN))
    config = load_config([repo])
    run = run_checks([Path("training-data")], config, CheckOptions(compile=False))
    dupes = [(d.path, d.line, d.code) for d in run.diagnostics if d.code.startswith("BBJ60")]
    assert dupes == [("training-data/strings/copy.md", 2, "BBJ601")]
    copy.write_text(copy.read_text().replace("status: draft\n", "status: draft\nlint_ignore: [BBJ601]\n"))
    run = run_checks([Path("training-data")], config, CheckOptions(compile=False))
    assert not [d for d in run.diagnostics if d.code.startswith("BBJ60")]


def test_check_command_runs_the_dedupe_step(repo: Path) -> None:
    write(repo / "training-data" / "strings" / "copy.md", example_text("Copy", TWIN))
    result = subprocess.run(
        [str(BIN / "bbj-curate"), "check", "--format", "json", "--checker", "none", "training-data"], cwd=repo, capture_output=True, text=True, check=False
    )
    codes = [(d["path"], d["code"]) for d in json.loads(result.stdout) if d["code"].startswith("BBJ60")]
    assert codes == [("training-data/strings/copy.md", "BBJ601")] and result.returncode == 1
    skipped = subprocess.run(
        [str(BIN / "bbj-curate"), "check", "--format", "json", "--checker", "none", "--no-dedupe", "training-data"],
        cwd=repo,
        capture_output=True,
        text=True,
        check=False,
    )
    assert not [d for d in json.loads(skipped.stdout) if d["code"].startswith("BBJ60")]
