"""The fake compiler the other tests rely on speaks bbjcpl's real format: on the real fixture
inputs it prints exactly the real stderr (apart from the path it was given) and exits 0."""

from __future__ import annotations

import json
import os
import subprocess
from pathlib import Path

import pytest
from compile_helpers import fixture_files

# The lines the real bbjcpl rejected in each fixture (read off the *-stderr.txt files).
BAD_LINES = {
    "no-errors": [],
    "single-error": ["method public void brokenMethod())", "methodend"],
    "multiple-errors": ["method public void firstBroken())", "methodend", "method public void secondBroken("],
}


@pytest.mark.parametrize("fixture", sorted(BAD_LINES))
def test_fake_reproduces_real_stderr(fixture: str, fake_bbjcpl: Path, tmp_path: Path) -> None:
    folder = fixture_files()
    source = tmp_path / f"{fixture}.bbj"
    source.write_bytes((folder / f"{fixture}.bbj").read_bytes())
    real = (folder / f"{fixture}-stderr.txt").read_text("utf-8")
    env = {**os.environ, "FAKE_BBJCPL_BAD": json.dumps(BAD_LINES[fixture])}
    done = subprocess.run([str(fake_bbjcpl), "-N", str(source)], check=False, capture_output=True, text=True, env=env, timeout=30)
    assert done.returncode == 0
    real_paths = {line.split(": error at line ")[0] for line in real.splitlines()}
    expected = real
    for path in real_paths:
        expected = expected.replace(path, str(source))
    assert done.stderr == expected
    assert done.stdout == ""


def test_fake_uses_own_line_numbers_as_legacy_numbers(fake_bbjcpl: Path, tmp_path: Path) -> None:
    source = tmp_path / "numbered.bbj"
    source.write_text("0100 rem fine\n0110 print x)\n", "utf-8")
    env = {**os.environ, "FAKE_BBJCPL_BAD": json.dumps(["0110 print x)"])}
    done = subprocess.run([str(fake_bbjcpl), "-N", str(source)], check=False, capture_output=True, text=True, env=env, timeout=30)
    assert done.stderr == f"{source}: error at line 110 (2): 0110 print x)\n"
