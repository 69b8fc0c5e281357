"""The lint report from the real `bbj-curate` process: the JSON shape, GitHub annotations,
SARIF 2.1.0 structure, the rule catalogue, and which Markdown files configuration skips."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from rules_case_table import VALID, doc, head

from curate.rules.base import all_rules

REPO = Path(__file__).resolve().parents[2]
FLAWED = VALID.replace("```bbj\nrem Greet the user\n", "```basic\n") + "\n## Notes\n\nMore.\n"
NOT_EXAMPLES = {"README.md": "# Training data\n", "FORMAT.md": "# Format\n", "CONTRIBUTING.md": "# Contributing\n"}


def bbj_curate(cwd: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    return subprocess.run([sys.executable, "-m", "curate.cli", *args], cwd=cwd, env=env, check=False, capture_output=True, text=True, timeout=120)


def make_project(root: Path, settings: str = "", files: dict[str, str] | None = None) -> Path:
    root.mkdir(parents=True, exist_ok=True)
    (root / "pyproject.toml").write_text(f"[tool.bbj-curate]\n{settings}\n", "utf-8")
    for rel, text in (files or {}).items():
        path = root / "training-data" / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, "utf-8")
    return root


@pytest.fixture
def flawed(tmp_path: Path) -> Path:
    return make_project(tmp_path, files={"strings/greet-the-user.md": FLAWED, "strings/ok.md": doc(head(title="Fine"))})


def test_json_has_exactly_the_public_keys(flawed: Path) -> None:
    result = bbj_curate(flawed, "lint", "--format", "json", "training-data")
    findings = json.loads(result.stdout)
    assert {(f["code"], f["line"]) for f in findings} == {("BBJ301", 10), ("BBJ302", 11), ("BBJ108", 22)}
    for finding in findings:
        assert set(finding) == {"path", "line", "col", "code", "severity", "message", "fixable", "hint"}
        assert finding["path"] == "training-data/strings/greet-the-user.md"
        assert isinstance(finding["line"], int) and isinstance(finding["col"], int) and isinstance(finding["fixable"], bool)
        assert finding["severity"] in ("error", "warning", "info")
    assert any(f["hint"] for f in findings)  # the same next step the text output prints
    assert result.returncode == 1


def test_github_annotations(flawed: Path) -> None:
    result = bbj_curate(flawed, "lint", "--format", "github", "training-data")
    lines = result.stdout.strip().split("\n")
    pattern = re.compile(r"^::(error|warning|notice) file=training-data/strings/greet-the-user\.md,line=(\d+),col=(\d+),title=(BBJ\d{3})::.+$")
    parsed = [pattern.match(line) for line in lines]
    assert all(parsed), lines
    assert sorted((m.group(4), int(m.group(2)), m.group(1)) for m in parsed if m) == [
        ("BBJ108", 22, "warning"),
        ("BBJ301", 10, "error"),
        ("BBJ302", 11, "error"),
    ]
    assert result.returncode == 1


def test_sarif_2_1_0_structure(flawed: Path) -> None:
    result = bbj_curate(flawed, "lint", "--format", "sarif", "training-data")
    sarif = json.loads(result.stdout)
    assert sarif["version"] == "2.1.0" and "sarif" in sarif["$schema"]
    (run,) = sarif["runs"]
    driver = run["tool"]["driver"]
    assert driver["name"] == "bbj-curate"
    rule_ids = [rule["id"] for rule in driver["rules"]]
    assert sorted(rule_ids) == ["BBJ108", "BBJ301", "BBJ302"] and len(set(rule_ids)) == len(rule_ids)
    assert all(rule["shortDescription"]["text"] for rule in driver["rules"])
    assert re.fullmatch(r"\d+\.\d+.*", driver["version"])
    for rule in driver["rules"]:
        assert re.fullmatch(r"[a-z0-9-]+", rule["name"]) and "Bad:" in rule["fullDescription"]["text"]
        assert rule["helpUri"].endswith("docs/rules.md#all-codes")
        assert rule["defaultConfiguration"]["level"] == {"BBJ108": "warning"}.get(rule["id"], "error")
    (invocation,) = run["invocations"]
    assert invocation["executionSuccessful"] is True and "lint" in invocation["commandLine"]
    assert len(run["results"]) == 3
    for res in run["results"]:
        assert res["ruleId"] in rule_ids and rule_ids[res["ruleIndex"]] == res["ruleId"]
        assert res["level"] in ("error", "warning", "note") and res["message"]["text"]
        (location,) = res["locations"]
        physical = location["physicalLocation"]
        assert physical["artifactLocation"]["uri"] == "training-data/strings/greet-the-user.md"
        assert physical["region"]["startLine"] >= 1 and physical["region"]["startColumn"] >= 1
    assert {(r["ruleId"], r["level"]) for r in run["results"]} == {("BBJ301", "error"), ("BBJ302", "error"), ("BBJ108", "warning")}


def test_rules_command_lists_every_code(tmp_path: Path) -> None:
    result = bbj_curate(tmp_path, "rules", "--format", "json")
    catalogue = json.loads(result.stdout)
    assert [row["code"] for row in catalogue] == [rule.code for rule in all_rules()]
    codes = {row["code"] for row in catalogue}
    assert {"BBJ001", "BBJ002", "BBJ003", "BBJ004", "BBJ005", "BBJ006", "BBJ101", "BBJ102", "BBJ103", "BBJ104"} <= codes
    assert {row["code"] for row in catalogue if row["fixable"]} == {"BBJ004", "BBJ005", "BBJ301"}


def test_rules_command_shows_one_rule_with_its_examples(tmp_path: Path) -> None:
    shown = bbj_curate(tmp_path, "rules", "bbj207")
    assert shown.returncode == 0
    assert shown.stdout.startswith("BBJ207 (unknown-lint-ignore-code): ") and "severity: error" in shown.stdout
    assert "Bad:\n    lint_ignore: [BBJ999]" in shown.stdout and "Good:" in shown.stdout
    by_name = json.loads(bbj_curate(tmp_path, "rules", "unknown-lint-ignore-code", "--format", "json").stdout)
    assert by_name["code"] == "BBJ207" and "Bad:" in by_name["explanation"]
    unknown = bbj_curate(tmp_path, "rules", "BBJ000")
    assert unknown.returncode == 2 and "unknown rule 'BBJ000'" in unknown.stderr


@pytest.mark.parametrize("family", ["BBJ0", "BBJ10"])
def test_loader_codes_obey_select(tmp_path: Path, family: str) -> None:
    """Loader-emitted codes are catalogued, so ignoring their family silences them."""
    project = make_project(tmp_path, files={"strings/empty.md": "", "strings/no-front.md": "# x\n"})
    result = bbj_curate(project, "lint", "--format", "json", "--ignore", family, "training-data")
    left = {f["code"] for f in json.loads(result.stdout)}
    assert left == ({"BBJ101"} if family == "BBJ0" else {"BBJ006"})


@pytest.mark.parametrize(
    ("settings", "linted"),
    [
        ('exclude = ["README.md", "FORMAT.md", "CONTRIBUTING.md"]', False),
        ("", False),  # no `exclude` key: the defaults skip them too
        ("exclude = []", False),  # the non-example files are always skipped (one list)
        ('exclude = ["strings/*.md"]', True),
    ],
)
def test_non_example_markdown_is_skipped_by_configuration(tmp_path: Path, settings: str, linted: bool) -> None:
    files = {"strings/greet-the-user.md": VALID, **NOT_EXAMPLES, **{f"gui/{name}": text for name, text in NOT_EXAMPLES.items()}}
    project = make_project(tmp_path, settings, files)
    result = bbj_curate(project, "lint", "--format", "json", "training-data")
    flagged = {Path(f["path"]).name for f in json.loads(result.stdout) if f["code"] == "BBJ101"}
    if not linted:
        assert flagged == set() and result.returncode == 0
    else:
        assert flagged == set() and "strings/greet-the-user.md" not in result.stdout
