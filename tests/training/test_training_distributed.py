"""`bbj-train run --gpus N`: data-parallel workers. On this CPU-only machine the same code path runs
as two CPU workers over gloo (torchrun); on GPUs it is `accelerate launch --multi_gpu` (DDP)."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import time
from pathlib import Path

import pytest
from training_helpers import REPO, bbj_train, config_text, offline_env

from train.training.distributed import NCCL_SAFE_ENV, WORKER_ENV, launch_command

STEPS = {"max_steps": 3, "eval_steps": 3, "micro_batch_size": 2, "logging_steps": 1}


def write_config(folder: Path, model: Path, inputs: dict[str, Path], accumulation: int) -> Path:
    """Dropout off: the workers draw other random numbers than one process does."""
    stage = {**STEPS, "gradient_accumulation": accumulation}
    path = folder / "run.toml"
    path.write_text(config_text(model, inputs, folder / "runs", lora={"dropout": 0.0}, cpt=stage, sft=stage))
    return path


def worker_env(guard: Path) -> dict[str, str]:
    """Offline, but without the socket guard: the workers meet over a TCP store on 127.0.0.1."""
    env = offline_env(guard)
    env["PYTHONPATH"] = str(REPO)
    return env


def run_folder(runs: Path) -> Path:
    (folder,) = runs.iterdir()
    return folder


def records(run: Path) -> list[dict]:
    return [json.loads(line) for line in (run / "metrics.jsonl").read_text().splitlines()]


def losses(run: Path, kind: str) -> list[tuple[str, int, float]]:
    key = "loss" if kind == "train" else "eval_loss"
    return [(r["stage"], r["step"], r[key]) for r in records(run) if r["kind"] == kind]


@pytest.fixture(scope="module")
def one_process(tiny_model: Path, inputs: dict[str, Path], tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The reference: one process, gradient accumulation 2 (the same effective batch as 2 workers x 1)."""
    folder = tmp_path_factory.mktemp("one")
    config = write_config(folder, tiny_model, inputs, accumulation=2)
    done = subprocess.run(bbj_train("run", "--config", str(config)), cwd=REPO, env=worker_env(folder / "guard"),
                          capture_output=True, text=True, timeout=600)  # fmt: skip
    assert done.returncode == 0, done.stderr[-3000:]
    return run_folder(folder / "runs")


@pytest.fixture(scope="module")
def two_workers_killed_and_resumed(tiny_model: Path, inputs: dict[str, Path],
                                   tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str]:  # fmt: skip
    """Two workers, killed (launcher and workers, SIGKILL) once Stage 1 is done, then resumed with
    `--gpus 2 --resume`; returns the run folder and the resume's output."""
    folder = tmp_path_factory.mktemp("two")
    config = write_config(folder, tiny_model, inputs, accumulation=1)
    env = worker_env(folder / "guard")
    command = bbj_train("run", "--config", str(config), "--gpus", "2")
    process = subprocess.Popen(command, cwd=REPO, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                               start_new_session=True)  # fmt: skip
    deadline = time.monotonic() + 600
    while process.poll() is None and time.monotonic() < deadline:
        if list((folder / "runs").glob("*/cpt/stage.json")):
            os.killpg(process.pid, signal.SIGKILL)
            break
        time.sleep(0.1)
    process.wait(timeout=60)
    assert process.returncode == -signal.SIGKILL, f"killed after Stage 1: {process.returncode}"
    run = run_folder(folder / "runs")
    assert not (run / "adapter").exists()
    resumed = subprocess.run([*command, "--resume", str(run)], cwd=REPO, env=env, capture_output=True, text=True,
                             timeout=600)  # fmt: skip
    assert resumed.returncode == 0, resumed.stderr[-3000:]
    return run, resumed.stderr


def test_two_workers_follow_one_process_step_for_step(one_process: Path, two_workers_killed_and_resumed) -> None:
    """Same effective batch, same data order (the micro-batches of one accumulated step are spread
    over the workers): the same training losses and the same adapter, through a kill and resume."""
    from safetensors.torch import load_file

    two, _ = two_workers_killed_and_resumed
    assert losses(two, "train") == pytest.approx(losses(one_process, "train"), rel=1e-5)
    assert len(losses(two, "train")) == 6, "one record per logged step: only the main worker writes"
    # validation rows are sharded; an uneven count repeats a row on one worker, so the mean may move a little
    assert losses(two, "eval") == pytest.approx(losses(one_process, "eval"), rel=1e-2)
    expected = load_file(str(one_process / "adapter" / "adapter_model.safetensors"))
    trained = load_file(str(two / "adapter" / "adapter_model.safetensors"))
    assert trained.keys() == expected.keys()
    for name, weight in expected.items():
        assert (trained[name] - weight).abs().max().item() < 1e-5, name


def test_workers_write_one_run_folder(two_workers_killed_and_resumed) -> None:
    run, output = two_workers_killed_and_resumed
    steps = [(r["stage"], r["step"]) for r in records(run) if r["kind"] == "step"]
    assert sorted(steps) == sorted(set(steps)) and len(steps) == 6, "no step twice: rewound and written once"
    tokens = [r["tokens"] for r in records(run) if r["kind"] == "step"]
    assert all(t > 0 for t in tokens), "tokens are the sum over both workers"
    log = (run / "run.log").read_text()
    assert log.count("training on 2 CPU workers (gloo") == 2, "launched, then resumed, with two workers"
    assert "cpt: already done" in log and json.loads((run / "run.json").read_text())["finished"]
    assert "resuming" in output or "cpt: already done" in output
    assert (run / "loss.png").stat().st_size > 0 and (run / "adapter" / "ADAPTER.md").exists()


def test_gpus_use_accelerate_launch_with_nccl_multicast_off() -> None:
    command = launch_command(4, cuda=True, run_args=["--config", "c.toml", "--resume", "runs/x"])
    launcher = command[command.index("accelerate.commands.launch") :]
    assert launcher[:2] == ["accelerate.commands.launch", "--multi_gpu"]
    assert launcher[launcher.index("--num_processes") + 1] == "4"
    assert command[-7:] == ["-m", "train.cli", "run", "--config", "c.toml", "--resume", "runs/x"]
    assert NCCL_SAFE_ENV["NCCL_NVLS_ENABLE"] == "0" and WORKER_ENV
    cpu = launch_command(2, cuda=False, run_args=[])
    assert "torch.distributed.run" in cpu and cpu[cpu.index("--nproc_per_node") + 1] == "2"


def test_more_gpus_than_the_machine_has_is_refused(tiny_model: Path, inputs: dict[str, Path], tmp_path: Path,
                                                   monkeypatch: pytest.MonkeyPatch) -> None:  # fmt: skip
    import torch
    from rich.console import Console

    from train.config import read_config
    from train.training.errors import TrainingError
    from train.training.runner import launch_workers

    monkeypatch.setattr(torch.cuda, "is_available", lambda: True)
    monkeypatch.setattr(torch.cuda, "device_count", lambda: 1)
    config_path = write_config(tmp_path, tiny_model, inputs, accumulation=1)
    with pytest.raises(TrainingError) as caught:
        launch_workers(*read_config(config_path), ["bbj-train"], None, Console(), 2, [])
    assert caught.value.diagnostics[0].code == "TRN021" and "1 CUDA GPU" in caught.value.diagnostics[0].message
    assert not (tmp_path / "runs").exists(), "refused before a run folder is made"
