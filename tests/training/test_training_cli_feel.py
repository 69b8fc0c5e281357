"""`bbj-train run` ergonomics: `--set` overrides, `--dry-run` (resolved config and data counts,
nothing created), `report_to`, and the pre-flight refusal of a config that needs CUDA."""

from __future__ import annotations

import tomllib
from pathlib import Path

import pytest
from training_helpers import config_text

from train.cli import main
from train.config import load_config


@pytest.fixture
def config_file(tmp_path: Path, inputs: dict[str, Path]) -> Path:
    model = tmp_path / "model"
    model.mkdir()
    path = tmp_path / "run.toml"
    path.write_text(config_text(model, inputs, tmp_path / "runs"), "utf-8")
    return path


def test_dry_run_prints_the_resolved_config_with_overrides_and_creates_nothing(
    config_file: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    import importlib.util

    real_find_spec = importlib.util.find_spec
    monkeypatch.setattr(importlib.util, "find_spec", lambda name, *a: real_find_spec("json") if name == "tensorboard" else real_find_spec(name, *a))
    argv = ["run", "--config", str(config_file), "--dry-run", "--set", "sft.learning_rate=1e-4", "--set", "lora.r=64", "--set", "report_to=['tensorboard']"]
    assert main(argv) == 0
    out = capsys.readouterr().out
    resolved = tomllib.loads(out)  # the printed config is TOML, comments hold the counts
    assert resolved["sft"]["learning_rate"] == 1e-4 and resolved["lora"]["r"] == 64 and resolved["report_to"] == ["tensorboard"]
    assert resolved["cpt"] == load_config(config_file).cpt.model_dump(mode="json") | {k: v for k, v in resolved["cpt"].items() if v is None}
    counts = {line.split(" (")[0].lstrip("# "): int(line.rsplit(": ", 1)[1]) for line in out.splitlines() if line.startswith("# data.")}
    assert counts["data.corpus"] > 0 and counts["data.split_dir/train.jsonl"] > 0 and counts["data.split_dir/validation.jsonl"] > 0
    import torch

    device = "cuda" if torch.cuda.is_available() else "cpu"
    assert f"\n# backend: hf on {device} (" in out or f"\n# backend: unsloth on {device} (" in out
    assert not (tmp_path / "runs").exists()


def test_dry_run_meets_the_refusal_a_real_run_would(config_file: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    import torch

    if torch.cuda.is_available():
        pytest.skip("this machine has CUDA: the config can run here")
    assert main(["run", "--config", str(config_file), "--dry-run", "--set", "quantization.load_in_4bit=true"]) == 2
    assert "--set quantization.load_in_4bit=true: TRN022 this config needs a CUDA GPU" in capsys.readouterr().err
    assert not (tmp_path / "runs").exists()


@pytest.mark.parametrize(("override", "message"), [
    ("sft.learnig_rate=1e-4", "--set sft.learnig_rate=1e-4: TRN002 sft.learnig_rate: unknown key"),
    ("lora.r=-1", "--set lora.r=-1: TRN002 lora.r:"),
    ("report_to=['mlflow']", "--set report_to=['mlflow']: TRN002 report_to"),
    ("lora.r.x=1", "--set lora.r.x=1: TRN002 lora.r.x: r is not a table of the config"),
    ("small_scale=false", "run.toml:4:1: TRN002 max_seq_len: 128 is outside"),  # a file key the override made invalid: its line
    ("nope", "--set nope: TRN003 --set nope: expected KEY=VALUE"),
])  # fmt: skip
def test_bad_overrides_name_the_argument(config_file: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str], override: str, message: str) -> None:
    assert main(["run", "--config", str(config_file), "--set", override, "--dry-run"]) == 2
    err = capsys.readouterr().err
    assert message in err and ":0:0" not in err, err
    assert not (tmp_path / "runs").exists()


def test_bad_stages_name_the_option(config_file: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["run", "--config", str(config_file), "--stages", "sft,cpt", "--dry-run"]) == 2
    assert capsys.readouterr().err.startswith("--stages sft,cpt: TRN002 stages: each stage once, cpt before sft")


def test_a_config_that_needs_cuda_is_refused_before_a_run_folder_exists(config_file: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    import torch

    if torch.cuda.is_available():
        pytest.skip("this machine has CUDA: the config can run here")
    assert main(["run", "--config", str(config_file), "--set", "quantization.load_in_4bit=true"]) == 2
    err = capsys.readouterr().err
    assert err.startswith("--set quantization.load_in_4bit=true: TRN022 this config needs a CUDA GPU (quantization.load_in_4bit = true"), err
    assert "configs/tiny.toml" in err
    assert not (tmp_path / "runs").exists()


def test_the_refusal_points_at_the_key_that_needs_cuda(config_file: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    import torch

    if torch.cuda.is_available():
        pytest.skip("this machine has CUDA: the config can run here")
    text = config_file.read_text("utf-8").replace("load_in_4bit = false", "load_in_4bit = true")
    config_file.write_text(text, "utf-8")
    line = text.splitlines().index("load_in_4bit = true") + 1
    assert main(["run", "--config", str(config_file)]) == 2
    err = capsys.readouterr().err
    assert err.startswith(f"{config_file}:{line}:1: TRN022 this config needs a CUDA GPU"), err
    assert "config:" not in err and not (tmp_path / "runs").exists()


def test_a_tracker_that_is_not_installed_is_refused_before_a_run_folder_exists(
    config_file: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    import importlib.util

    real_find_spec = importlib.util.find_spec
    monkeypatch.setattr(importlib.util, "find_spec", lambda name, *a: None if name == "tensorboard" else real_find_spec(name, *a))
    assert main(["run", "--config", str(config_file), "--set", "report_to=['tensorboard']"]) == 2
    err = capsys.readouterr().err
    assert err.startswith("--set report_to=['tensorboard']: TRN023 report_to = 'tensorboard' needs the tensorboard package here"), err
    assert not (tmp_path / "runs").exists()


@pytest.mark.parametrize(
    ("base_model", "gib"), [("Qwen/Qwen2.5-Coder-14B", 26.1), ("Qwen/Qwen2.5-Coder-7B-Instruct", 13.0), ("Qwen/Qwen2.5-Coder-0.5B", 0.9), ("org/no-size", 0.0)]
)
def test_a_large_hub_model_is_refused_on_cpu_before_any_download(base_model: str, gib: float) -> None:
    from train.training.backends import named_weight_bytes

    assert round(named_weight_bytes(base_model) / 2**30, 1) == gib


def test_the_refusal_of_a_large_hub_model_points_at_base_model(config_file: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    import torch

    if torch.cuda.is_available():
        pytest.skip("this machine has CUDA: the config can run here")
    assert main(["run", "--config", str(config_file), "--set", "base_model=Qwen/Qwen2.5-Coder-14B"]) == 2
    err = capsys.readouterr().err
    assert err.startswith("--set base_model=Qwen/Qwen2.5-Coder-14B: TRN022 this config needs a CUDA GPU (base model weights of about 26.1 GiB"), err
    assert not (tmp_path / "runs").exists()
