"""What every data command writes: JSONL that `datasets` loads, a data card per output folder,
and no torch/transformers import anywhere on the data path."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import REPO, VALID, bbj_train, load_legacy_fixture, write_examples

DATA_MODULES = [
    "train.cli",
    "train.data.card",
    "train.data.chatml",
    "train.data.convert",
    "train.data.corpus",
    "train.data.fim",
    "train.data.guess",
    "train.data.legacy",
    "train.data.split",
    "train.data.templates",
    "train.data.to_markdown",
    "train.commands.convert",
    "train.commands.import_chatml",
    "train.commands.split",
    "train.commands.corpus",
]


@pytest.mark.parametrize("module", DATA_MODULES)
def test_data_modules_never_import_torch(module: str) -> None:
    code = f"import sys, {module}; heavy = [m for m in ('torch', 'transformers', 'peft', 'trl') if m in sys.modules]; print(heavy); sys.exit(1 if heavy else 0)"
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=REPO, timeout=120, check=False)
    assert result.returncode == 0, result.stdout + result.stderr


@pytest.fixture(scope="module")
def pipeline(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """convert + import + split + corpus, each through the real console script."""
    root = tmp_path_factory.mktemp("pipeline")
    data = write_examples(root / "project", VALID)
    steps = [
        ("convert", data, "--all", "--out", root / "examples"),
        ("import-chatml", load_legacy_fixture().build(seed=5, rounds=3).write(root / "legacy.jsonl"), "--out", root / "legacy"),
        ("split", root / "examples", root / "legacy", "--out", root / "split"),
        ("corpus", "--from-examples", data, "--all", "--decontaminate", root / "split", "--fim-rate", "0.5", "--out", root / "corpus" / "corpus.jsonl"),
    ]
    for step in steps:
        result = bbj_train(*step)
        assert result.returncode == 0, f"{step[0]}: {result.stderr}"
    return root


OUTPUTS = ["examples/examples.jsonl", "legacy/records.jsonl", "split/train.jsonl", "split/validation.jsonl", "split/test.jsonl", "corpus/corpus.jsonl"]


@pytest.mark.parametrize("name", OUTPUTS)
def test_outputs_load_with_datasets(pipeline: Path, name: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("HF_DATASETS_OFFLINE", "1")  # local files only: never reach for the Hub
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    datasets = pytest.importorskip("datasets", reason="the `datasets` package (train extra) is not installed")
    path = pipeline / name
    expected = [json.loads(line) for line in path.read_text("utf-8").splitlines()]
    if not expected:
        pytest.skip(f"{name} is empty in this small pipeline")
    loaded = datasets.load_dataset("json", data_files=str(path), split="train", cache_dir=str(pipeline / ".hf-cache"))
    assert len(loaded) == len(expected)
    column = "text" if name.startswith("corpus") else "messages"
    assert loaded[0][column] == expected[0][column]


@pytest.mark.parametrize(("folder", "card"), [("examples", "card.json"), ("legacy", "card.json"), ("split", "manifest.json"), ("corpus", "corpus.card.json")])
def test_every_output_folder_has_a_card(pipeline: Path, folder: str, card: str) -> None:
    data = json.loads((pipeline / folder / card).read_text("utf-8"))
    assert data["tool"] == "bbj-train" and data["version"] and data["command"].startswith("bbj-train ")
    assert data["inputs"] and data["outputs"] and data["counts"]
    for output in data["outputs"]:
        assert len(output["sha256"]) == 64
    assert any(p.suffix == ".md" for p in (pipeline / folder).iterdir())


def test_cli_lists_the_data_commands() -> None:
    result = bbj_train("--help")
    assert result.returncode == 0
    for name in ("convert", "import-chatml", "split", "corpus"):
        assert name in result.stdout
