"""Installing the project prints no setuptools deprecation banner: `license` is an SPDX expression
(PEP 639), which needs setuptools 77, and the build backend asks for at least that."""

from __future__ import annotations

import shutil
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest
from packaging.requirements import Requirement

ROOT = Path(__file__).resolve().parents[1]
PEP_639 = "77"  # the first setuptools that reads `license = "MIT"`


def test_the_build_backend_requires_a_setuptools_that_reads_the_license() -> None:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text("utf-8"))
    assert project["project"]["license"] == "MIT"
    assert not [c for c in project["project"].get("classifiers", []) if c.startswith("License ::")], "PEP 639: the expression alone"
    (setuptools,) = [Requirement(r) for r in project["build-system"]["requires"] if Requirement(r).name == "setuptools"]
    assert not setuptools.specifier.contains("76.99") and setuptools.specifier.contains(PEP_639)


def test_metadata_builds_without_a_deprecation_warning(tmp_path: Path) -> None:
    import setuptools

    if int(setuptools.__version__.split(".")[0]) < int(PEP_639):
        pytest.skip(f"setuptools {setuptools.__version__} here; the dev extra installs >= {PEP_639} (reinstall with make dev)")
    for name in ("pyproject.toml", "README.md"):
        shutil.copy2(ROOT / name, tmp_path / name)
    build = "from setuptools import build_meta; print(build_meta.prepare_metadata_for_build_wheel('meta'))"
    (tmp_path / "meta").mkdir()
    done = subprocess.run([sys.executable, "-W", "default", "-c", build], cwd=tmp_path, capture_output=True, text=True, timeout=120, check=False)
    assert done.returncode == 0, done.stderr[-2000:]
    assert "Deprecat" not in done.stderr and "license" not in done.stderr.lower(), done.stderr[-2000:]
    metadata = (tmp_path / "meta" / done.stdout.strip().splitlines()[-1] / "METADATA").read_text("utf-8")
    assert "License-Expression: MIT" in metadata.splitlines()


def test_mypy_checks_every_package_that_is_installed() -> None:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text("utf-8"))
    packages = {pattern.rstrip("*") for pattern in project["tool"]["setuptools"]["packages"]["find"]["include"]}
    assert packages <= set(project["tool"]["mypy"]["files"])
