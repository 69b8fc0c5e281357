"""The converter cache: filled from a llama-cpp-python sdist of the installed version only, and
found by the export without network."""

from __future__ import annotations

import io
import tarfile
from pathlib import Path

import pytest

from train.release import converter
from train.training.errors import TrainingError


def fake_sdist(folder: Path, version: str) -> Path:
    """An sdist-shaped archive holding the converter's files (and one file the cache must skip)."""
    path = folder / f"llama_cpp_python-{version}.tar.gz"
    root = f"llama_cpp_python-{version}/vendor/llama.cpp/"
    files = {"convert_hf_to_gguf.py": "print('converter')\n", "conversion/__init__.py": "", "gguf-py/gguf/__init__.py": "",
             "LICENSE": "MIT\n", "ggml/src/big.c": "int x;\n"}  # fmt: skip
    with tarfile.open(path, "w:gz") as archive:
        for name, text in files.items():
            data = text.encode()
            info = tarfile.TarInfo(root + name)
            info.size = len(data)
            archive.addfile(info, io.BytesIO(data))
    return path


@pytest.fixture
def cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("BBJ_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.setattr(converter, "installed_version", lambda: "9.9.9")
    return tmp_path / "cache"


def test_fetch_from_an_sdist_fills_the_cache_that_locate_finds(cache: Path, tmp_path: Path) -> None:
    with pytest.raises(TrainingError, match="REL031"):
        converter.locate(None)  # empty cache: the error says how to fill it
    folder = converter.fetch(fake_sdist(tmp_path, "9.9.9"))
    assert folder == cache / "llama.cpp-9.9.9" == converter.locate(None)
    assert (folder / "convert_hf_to_gguf.py").is_file() and (folder / "gguf-py" / "gguf").is_dir()
    assert not (folder / "ggml").exists()  # only the converter's files
    assert converter.locate(folder) == folder


def test_a_converter_of_another_version_is_refused(cache: Path, tmp_path: Path) -> None:
    with pytest.raises(TrainingError, match="REL032"):
        converter.fetch(fake_sdist(tmp_path, "0.3.1"))
    assert not (cache / "llama.cpp-9.9.9").exists()
    with pytest.raises(TrainingError, match="REL031"):
        converter.locate(tmp_path)  # a folder without the converter
