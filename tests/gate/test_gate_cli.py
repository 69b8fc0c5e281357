"""Issue 14 at the command line: configuration that names no rule is an error, titles are
refused when taken, and `dedupe-threshold` reaches every command that deduplicates."""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from pathlib import Path

import pytest

from curate.cli import main as curate_main
from curate.config import load_config
from curate.lint import title_owner
from hooks.compile import main as compile_main
from hooks.dedupe import main as dedupe_main
from hooks.lint import main as lint_main
from hooks.validate import main as validate_main
from train.cli import main as train_main

ROOT = Path(__file__).resolve().parents[2]
EXAMPLE = """---
title: {title}
type: completion
generation: all
difficulty: basic
status: approved
{extra}---

## Code

```bbj
rem {title}
print "{title}"
```

## Expected Output

```text
{title}
```

## Explanation

Prints the words {title} once.
"""


def project(tmp_path: Path, settings: str = "", files: dict[str, str] | None = None) -> Path:
    (tmp_path / "pyproject.toml").write_text(f"[tool.bbj-curate]\n{settings}\n", "utf-8")
    for rel, text in (files or {"strings/say-hello.md": EXAMPLE.format(title="Say hello", extra="")}).items():
        (tmp_path / "training-data" / rel).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / "training-data" / rel).write_text(text, "utf-8")
    return tmp_path


def run(monkeypatch: pytest.MonkeyPatch, cwd: Path, capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    monkeypatch.chdir(cwd)
    capsys.readouterr()
    status = curate_main(list(argv))
    captured = capsys.readouterr()
    return status, captured.out, captured.err


@pytest.mark.parametrize(
    ("settings", "argv", "named", "closest"),
    [
        ("", ["--select", "BOGUS"], "BOGUS", "BBJ"),
        ('select = ["BOGUS"]', [], "BOGUS", "BBJ"),
        ('ignore = ["BBJ9"]', [], "BBJ9", "BBJ"),
        ("", ["--ignore", "BBJ3011"], "BBJ3011", "BBJ301"),
        ('severity = { BBJ3O1 = "warning" }', [], "BBJ3O1", "BBJ301"),
    ],
)
@pytest.mark.parametrize("command", ["lint", "check"])
def test_unknown_rule_codes_in_configuration_are_usage_errors(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], settings: str, argv: list[str], named: str, closest: str, command: str
) -> None:
    """Hole: `--select BOGUS` (or `select = ["BOGUS"]`) switched every rule off: "All checks passed", exit 0."""
    data = project(tmp_path, settings, {"strings/broken.md": "---\ntitle: x\n---\n"})
    status, out, err = run(monkeypatch, data, capsys, command, *argv, "training-data")
    assert status == 2 and "All checks passed" not in out
    assert f"'{named}'" in err and f"closest known code: {closest}" in err


@pytest.mark.parametrize("hook", [validate_main, lint_main, compile_main, dedupe_main], ids=["validate", "lint", "compile", "dedupe"])
def test_unknown_rule_codes_in_configuration_stop_every_hook(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], hook: Callable[[list[str]], int]
) -> None:
    data = project(tmp_path, 'select = ["BBJ3"]\nignore = ["BBJ3011"]')
    monkeypatch.chdir(data)
    capsys.readouterr()
    assert hook(["training-data/strings/say-hello.md"]) == 2
    assert "'BBJ3011'" in capsys.readouterr().err


def test_unknown_rule_codes_in_configuration_stop_convert(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    data = project(tmp_path, 'severity = { BBJ3O1 = "warning" }')
    monkeypatch.chdir(data)
    capsys.readouterr()
    assert train_main(["convert", "training-data", "--out", str(tmp_path / "out")]) == 2
    assert "'BBJ3O1'" in capsys.readouterr().err and not (tmp_path / "out" / "examples.jsonl").exists()


def test_valid_prefixes_still_work(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    data = project(tmp_path, 'select = ["BBJ3", "BBJ105"]\nignore = ["BBJ30"]\nseverity = { BBJ401 = "error" }')
    assert run(monkeypatch, data, capsys, "lint", "training-data")[0] == 0


@pytest.mark.parametrize("command", ["lint", "check"])
def test_unknown_lint_ignore_code_is_a_config_error_naming_the_closest(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], command: str
) -> None:
    """Hole: `lint_ignore: [BBJ3011]` silenced nothing and only warned (or, for a code outside
    the BBJ pattern, said nothing at all); then it was a finding like any other (exit 1). It
    is a configuration error: BBJ207 with file and line, and exit 2."""
    extra = "lint_ignore: [BBJ3011, E501]\n"
    data = project(tmp_path, files={"strings/say-hello.md": EXAMPLE.format(title="Say hello", extra=extra)})
    status, out, _ = run(monkeypatch, data, capsys, command, "--format", "json", "training-data")
    findings = [f for f in json.loads(out) if f["code"] == "BBJ207"]
    assert status == 2 and len(findings) == 2 and all(f["severity"] == "error" and f["line"] == 7 for f in findings)
    assert findings[0]["path"] == "training-data/strings/say-hello.md" and "closest known code: BBJ301" in findings[0]["message"]
    assert run(monkeypatch, data, capsys, command, "--fail-on", "never", "training-data")[0] == 2, "a config error is not a finding to tolerate"


def test_unknown_lint_ignore_code_stops_the_hook_that_reports_it(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    """Issue 15's documented bad example, `lint_ignore: [BBJ999]`: bbj-validate reports BBJ207
    at the file's line and exits 2; the other hooks do not report it (one problem, one hook)."""
    data = project(tmp_path, files={"strings/say-hello.md": EXAMPLE.format(title="Say hello", extra="lint_ignore: [BBJ999]\n")})
    monkeypatch.chdir(data)
    statuses = {}
    for name, hook in (("validate", validate_main), ("lint", lint_main), ("compile", compile_main), ("dedupe", dedupe_main)):
        capsys.readouterr()
        statuses[name] = hook(["training-data/strings/say-hello.md", "--file-budget", "0"] if name != "dedupe" else ["training-data/strings/say-hello.md"])
        out = capsys.readouterr().out
        assert ("training-data/strings/say-hello.md:7:1: BBJ207 " in out) == (name == "validate"), (name, out)
    assert statuses == {"validate": 2, "lint": 0, "compile": 0, "dedupe": 0}


def test_new_refuses_a_taken_title(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    """Hole: `bbj-curate new` accepted a title another example has."""
    data = project(tmp_path)
    args = ["new", "--type", "completion", "--generation", "all", "--topic", "strings"]
    status, _, err = run(monkeypatch, data, capsys, *args, "--title", "SAY  hello")
    assert status == 2 and "already used by" in err and "say-hello.md" in err
    assert sorted(p.name for p in (data / "training-data" / "strings").iterdir()) == ["say-hello.md"]
    assert run(monkeypatch, data, capsys, *args, "--title", "Say goodbye")[0] == 0


def test_contributing_example_title_is_free() -> None:
    """Hole: CONTRIBUTING.md's own `bbj-curate new --title ...` was already taken."""
    text = (ROOT / "training-data" / "CONTRIBUTING.md").read_text("utf-8")
    titles = re.findall(r'--title "([^"]+)"', text)
    assert titles and all(title_owner(title, load_config([ROOT / "training-data"])) is None for title in titles)


def _records(n: int, words: str) -> list[dict]:
    return [{"messages": [{"role": "user", "content": f"Task {n}"}, {"role": "assistant", "content": words}], "meta": {"id": f"r{n}"}} for _ in (0,)]


def test_dedupe_threshold_reaches_the_split(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """Hole: `dedupe-threshold` of [tool.bbj-curate] never reached the split's clusters and
    leak check (always 0.7)."""
    base = " ".join(f"word{k}" for k in range(60))
    records = [*_records(0, base), *_records(1, base.replace("word59", "other59").replace("word58", "other58"))]
    records += [r for n in range(2, 12) for r in _records(n, " ".join(f"w{n}x{k}" for k in range(60)))]
    (tmp_path / "in.jsonl").write_text("".join(json.dumps(r) + "\n" for r in records), "utf-8")
    outputs = {}
    for threshold in ("0.7", "0.99"):
        (tmp_path / "pyproject.toml").write_text(f"[tool.bbj-curate]\ndedupe-threshold = {threshold}\n", "utf-8")
        capsys.readouterr()
        assert train_main(["split", str(tmp_path / "in.jsonl"), "--out", str(tmp_path / f"split-{threshold}")]) == 0
        outputs[threshold] = capsys.readouterr().out
    assert "1 near-duplicate clusters" in outputs["0.7"] and "0 near-duplicate clusters" in outputs["0.99"]
