"""`bbj-curate lint --fix` through the real command: it repairs fence languages, a byte order
mark and CRLF line endings, writes atomically, never changes code content, and is idempotent."""

from __future__ import annotations

import json
import os
import stat
import subprocess
import sys
from pathlib import Path

import pytest

from curate.example import parse_example

REPO = Path(__file__).resolve().parents[1]
HEAD = "---\ntitle: Greet the user\ntype: completion\ngeneration: all\n---\n"
BODY = (
    "\n## Code\n\n<!-- filename: main.bbj -->\n{fence_a}\nrem Greet the user\n"
    'print "hello"   \n\tcall "util.bbj"\n```\n\n'
    '<!-- filename: util.bbj -->\n{fence_b}\nREM Utility\nprint "```basic is not a fence here"\n```\n\n'
    "## Expected Output\n\n```\nhello\n```\n\n## Explanation\n\nA `basic` fence is fixed.\n\n```python\nprint('left alone')\n```\n"
)


def bbj_curate(cwd: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    return subprocess.run([sys.executable, "-m", "curate.cli", *args], cwd=cwd, env=env, check=False, capture_output=True, text=True, timeout=120)


@pytest.fixture
def project(tmp_path: Path) -> Path:
    (tmp_path / "pyproject.toml").write_text("[tool.bbj-curate]\n", "utf-8")
    (tmp_path / "training-data" / "strings").mkdir(parents=True)
    return tmp_path


def example_file(project: Path, fence_a: str = "```basic", fence_b: str = "```vbnet", bom: bool = False, crlf: bool = False) -> Path:
    text = HEAD + BODY.format(fence_a=fence_a, fence_b=fence_b)
    if crlf:
        text = text.replace("\n", "\r\n")
    path = project / "training-data" / "strings" / "greet-the-user.md"
    path.write_bytes((b"\xef\xbb\xbf" if bom else b"") + text.encode("utf-8"))
    return path


def codes_of(path: Path) -> list[str]:
    text = path.read_bytes().decode("utf-8").lstrip("\ufeff").replace("\r\n", "\n")
    return [block.code for block in parse_example(text, path, path.name).code_blocks]


def lint_fix(project: Path, *args: str) -> tuple[int, list[dict[str, object]]]:
    result = bbj_curate(project, "lint", "--fix", "--format", "json", *args, "training-data")
    assert "Traceback" not in result.stderr, result.stderr
    return result.returncode, json.loads(result.stdout)


FENCES = [
    ("```basic", "```bbj", "```vbnet", "```bbj"),
    ("```", "```bbj", "```vb", "```bbj"),
    ("~~~ BASIC", "~~~bbj", "```vbnet title", "```bbj title"),
    ("   ```VB", "   ```bbj", "```", "```bbj"),
]


@pytest.mark.parametrize(("fence_a", "fixed_a", "fence_b", "fixed_b"), FENCES)
def test_fix_rewrites_only_fence_lines(project: Path, fence_a: str, fixed_a: str, fence_b: str, fixed_b: str) -> None:
    path = example_file(project, fence_a, fence_b)
    if fence_a.startswith("~"):
        lines = path.read_text("utf-8").split("\n")
        lines[13] = "~~~"  # close the tilde fence with tildes
        path.write_text("\n".join(lines), "utf-8")
    before = path.read_text("utf-8").split("\n")
    before_codes = codes_of(path)
    status, findings = lint_fix(project)
    after = path.read_text("utf-8").split("\n")
    expected = list(before)
    expected[9], expected[16] = fixed_a, fixed_b
    assert after == expected, "only the two fence lines (10 and 17) change"
    assert codes_of(path) == before_codes, "code content must be byte-identical"
    # Left: the python block in the Explanation, which needs a person.
    assert [(f["code"], f["line"], f["fixable"]) for f in findings] == [("BBJ301", 32, False)]
    assert status == 1


def test_fix_bom_crlf_and_fence_together(project: Path) -> None:
    path = example_file(project, bom=True, crlf=True)
    original = path.read_bytes()
    status, findings = lint_fix(project, "--ignore", "BBJ301")
    assert path.read_bytes() == original[3:].replace(b"\r\n", b"\n"), "BOM and CRLF fixed, fences left (BBJ301 ignored)"
    assert findings == [] and status == 0
    status, findings = lint_fix(project)
    text = path.read_text("utf-8")
    assert "\n```basic\n" not in text and "\n```vbnet\n" not in text and "\n```python\n" in text
    assert codes_of(path) == [b.code for b in parse_example(original[3:].decode().replace("\r\n", "\n"), path, "x").code_blocks]


def test_fix_keeps_what_is_ignored(project: Path) -> None:
    """--fix only does what is enabled: an ignored BBJ004/BBJ005 keeps the BOM and CRLF."""
    path = example_file(project, bom=True, crlf=True)
    lint_fix(project, "--ignore", "BBJ004", "--ignore", "BBJ005")
    data = path.read_bytes()
    assert data.startswith(b"\xef\xbb\xbf") and data.count(b"\r\n") == data.count(b"\n")
    assert b"\n```basic\r\n" not in data and b"\n```bbj\r\nrem Greet" in data


def test_fix_is_atomic_and_keeps_the_mode(project: Path) -> None:
    path = example_file(project)
    os.chmod(path, 0o640)
    inode = path.stat().st_ino
    lint_fix(project)
    assert path.stat().st_ino != inode, "written through a temp file and a rename, not in place"
    assert stat.S_IMODE(path.stat().st_mode) == 0o640
    assert sorted(p.name for p in path.parent.iterdir()) == [path.name], "no temp file left behind"


def test_fix_is_idempotent(project: Path) -> None:
    path = example_file(project, bom=True, crlf=True)
    lint_fix(project)
    first = path.read_bytes()
    stamp = (path.stat().st_ino, path.stat().st_mtime_ns)
    result = bbj_curate(project, "lint", "--fix", "training-data")
    assert "0 fixed" in result.stderr and "(0 files changed)" in result.stderr
    assert path.read_bytes() == first
    assert (path.stat().st_ino, path.stat().st_mtime_ns) == stamp, "a clean file is not rewritten"


def test_fix_leaves_unloadable_files_alone(project: Path) -> None:
    path = project / "training-data" / "strings" / "broken.md"
    data = b"\xef\xbb\xbf---\r\ntitle: [unclosed\r\n---\r\n```basic\r\nrem x\r\n```\r\n"
    path.write_bytes(data)
    status, findings = lint_fix(project)
    assert path.read_bytes() == data
    assert status == 1 and {f["code"] for f in findings} == {"BBJ004", "BBJ005", "BBJ103"}


def test_fix_says_what_it_fixed_and_what_remains(project: Path) -> None:
    path = example_file(project, bom=True, crlf=True)  # two fences, a BOM and CRLF: 4 fixable findings
    path.write_bytes(path.read_bytes().replace(b"rem Greet the user", b"print 1"))  # and one finding --fix cannot fix
    result = bbj_curate(project, "lint", "--fix", "training-data")
    remaining = json.loads(bbj_curate(project, "lint", "--format", "json", "training-data").stdout)
    assert remaining and not any(f["fixable"] for f in remaining)
    assert f"4 fixed, {len(remaining)} remaining (1 file changed)." in result.stderr


def test_diff_shows_the_fix_and_writes_nothing(project: Path) -> None:
    path = example_file(project)
    before = path.read_bytes()
    result = bbj_curate(project, "lint", "--diff", "training-data")
    assert result.returncode == 1 and path.read_bytes() == before
    assert result.stdout.startswith("--- a/training-data/strings/") and "\n-```basic\n+```bbj\n" in result.stdout
    assert "2 fixable findings in 1 file (run --fix to apply)" in result.stderr
    lint_fix(project)
    clean = bbj_curate(project, "lint", "--diff", "training-data")
    assert clean.returncode == 0 and clean.stdout == ""
