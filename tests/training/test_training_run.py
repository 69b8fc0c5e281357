"""`bbj-train run` for real on the tiny model: the loss falls, the run folder is complete, a run
killed with SIGKILL resumes to the same adapter as an uninterrupted one, nothing touches the
network, and `bbj-train tiny-model` builds what the demo needs."""

from __future__ import annotations

import contextlib
import io
import json
import re
import signal
import socket
import subprocess
import time
from pathlib import Path

import pytest
from training_helpers import bbj_train, config_text, offline_env, write_jsonl

from train.cli import main

RUN_TIMEOUT = 300


def write_config(folder: Path, tiny_model: Path, inputs: dict[str, Path], **sections) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / "run.toml"
    path.write_text(config_text(tiny_model, inputs, folder / "runs", **sections), encoding="utf-8")
    return path


def only_run(folder: Path) -> Path:
    (run,) = (folder / "runs").iterdir()
    return run


def records(run: Path, stage: str, kind: str) -> list[dict]:
    rows = [json.loads(line) for line in (run / "metrics.jsonl").read_text("utf-8").splitlines()]
    return [r for r in rows if r["stage"] == stage and r["kind"] == kind]


def adapter_weights(run: Path) -> dict:
    from safetensors.torch import load_file

    return load_file(str(run / "adapter" / "adapter_model.safetensors"))


def test_loss_falls_when_overfitting(tmp_path: Path, tiny_model: Path, inputs: dict[str, Path]) -> None:
    split = tmp_path / "few"
    few = [json.loads(line) for line in (inputs["split"] / "train.jsonl").read_text("utf-8").splitlines()[:4]]
    write_jsonl(split / "train.jsonl", few)
    write_jsonl(split / "validation.jsonl", few)
    overfit = {"learning_rate": 1e-2, "max_steps": 24, "micro_batch_size": 4, "gradient_accumulation": 1,
               "eval_steps": 12, "warmup_ratio": 0.0, "lr_scheduler": "constant_with_warmup", "packing": False}  # fmt: skip
    path = write_config(tmp_path, tiny_model, {"corpus": inputs["corpus"], "split": split},
                        top={"stages": ["sft"], "max_seq_len": 512}, lora={"dropout": 0.0}, sft=overfit)  # fmt: skip
    assert main(["run", "--config", str(path)]) == 0
    losses = [r["loss"] for r in records(only_run(tmp_path), "sft", "train")]
    assert len(losses) == 24
    assert losses[-1] < 0.25 * losses[0], losses
    assert min(r["eval_loss"] for r in records(only_run(tmp_path), "sft", "eval")) < 0.25 * losses[0]


@pytest.fixture(scope="module")
def reference(tmp_path_factory: pytest.TempPathFactory, tiny_model: Path, inputs: dict[str, Path]):
    """One uninterrupted two-stage run, in this process, with every socket connection recorded."""
    folder = tmp_path_factory.mktemp("reference")
    path = write_config(folder, tiny_model, inputs)
    attempts: list[str] = []
    real_connect = socket.socket.connect

    def record(self: socket.socket, address: object, *args: object) -> None:
        if self.family in (socket.AF_INET, socket.AF_INET6):
            attempts.append(repr(address))
            raise OSError("network blocked by the test")
        return real_connect(self, address, *args)

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(socket.socket, "connect", record)
        patch.setenv("HF_HUB_OFFLINE", "1")
        stderr = io.StringIO()
        with contextlib.redirect_stderr(stderr):
            assert main(["run", "--config", str(path)]) == 0, stderr.getvalue()[-3000:]
    return {"path": path, "run": only_run(folder), "stderr": stderr.getvalue(), "network": attempts}


def test_run_folder_is_complete(reference: dict, inputs: dict[str, Path]) -> None:
    from train.training.rundir import sha256

    run: Path = reference["run"]
    manifest = json.loads((run / "run.json").read_text("utf-8"))
    assert manifest["finished"] and manifest["backend"]["name"] == "hf" and manifest["backend"]["device"] == "cpu"
    assert manifest["inputs"]["data.corpus"]["sha256"] == sha256(inputs["corpus"])
    assert manifest["inputs"]["data.split_dir/train.jsonl"]["sha256"] == sha256(inputs["split"] / "train.jsonl")
    assert len(manifest["git"]["commit"]) == 40
    assert manifest["versions"]["torch"] and manifest["versions"]["trl"] and manifest["versions"]["peft"]
    assert json.loads((run / "config.json").read_text("utf-8"))["lora"]["alpha"] is None
    assert (run / "config.toml").read_text("utf-8") == reference["path"].read_text("utf-8")
    assert (run / "loss.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    for stage in ("cpt", "sft"):
        summary = json.loads((run / stage / "stage.json").read_text("utf-8"))
        assert summary["steps"] == 6 and summary["best_checkpoint"]
        assert len(records(run, stage, "step")) == 6 and len(records(run, stage, "eval")) == 2
        assert all(r["tokens_per_s"] > 0 for r in records(run, stage, "step"))
        assert (run / stage / "adapter" / "adapter_model.safetensors").exists()
        assert 0 < len(list((run / stage).glob("checkpoint-*"))) <= 2
    assert json.loads((run / "cpt" / "stage.json").read_text("utf-8"))["row_fill"] > 0.9
    assert (run / "adapter" / "adapter_model.safetensors").exists()
    assert "{% generation %}" in (run / "adapter" / "chat_template.jinja").read_text("utf-8")
    log = (run / "run.log").read_text("utf-8")
    assert "backend hf on cpu (auto: no CUDA device, so transformers + PEFT)" in log
    assert "sft: starts from the adapter of cpt" in log


def test_loss_plot_marks_the_kept_checkpoint(reference: dict) -> None:
    """The star sits on the checkpoint the trainer kept (stage.json), which is the lowest validation loss."""
    from train.training.metrics import kept_checkpoints

    run: Path = reference["run"]
    summaries = {stage: json.loads((run / stage / "stage.json").read_text("utf-8")) for stage in ("cpt", "sft")}
    kept = kept_checkpoints(summaries)
    for stage in ("cpt", "sft"):
        evals = records(run, stage, "eval")
        best = min(evals, key=lambda r: r["eval_loss"])
        assert (kept[stage].step, kept[stage].eval_loss) == (best["step"], best["eval_loss"])
        assert summaries[stage]["best_checkpoint"].endswith(f"checkpoint-{kept[stage].step}")
        assert kept[stage].label.startswith(f"kept checkpoint (step {best['step']}, validation ")
    assert kept_checkpoints({"cpt": {"best_checkpoint": None, "best_eval_loss": None}}) == {}  # no validation: no mark
    assert (run / "loss.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def test_progress_is_shown(reference: dict) -> None:
    stderr = reference["stderr"]
    assert "cpt step 6/6" in stderr and "sft step 6/6" in stderr and "tok/s" in stderr
    assert "Traceback" not in stderr and "Warning" not in stderr, "no library noise (is_gradient_checkpointing FutureWarning)"
    (backend,) = [line for line in stderr.splitlines() if "backend hf on cpu" in line]
    assert "fp32 LoRA on CPU" in backend, "an event is one line, never wrapped at 80 columns"


def test_no_network_connection_is_attempted(reference: dict) -> None:
    assert reference["network"] == []


def test_killed_run_resumes_to_the_same_adapter(tmp_path: Path, tiny_model: Path, inputs: dict[str, Path],
                                                reference: dict) -> None:  # fmt: skip
    """SIGKILL after Stage 1's first checkpoint, resume, SIGKILL again after Stage 2's first
    checkpoint, resume to the end: the adapter equals the uninterrupted run's."""
    import torch

    path = write_config(tmp_path, tiny_model, inputs)
    env = offline_env(tmp_path / "guard")
    kill_after_checkpoint(bbj_train("run", "--config", str(path)), tmp_path / "runs", "cpt", env)
    run = only_run(tmp_path)
    assert not (run / "cpt" / "stage.json").exists()
    kill_after_checkpoint(bbj_train("run", "--config", str(path), "--resume"), tmp_path / "runs", "sft", env)
    assert (run / "cpt" / "stage.json").exists() and not (run / "sft" / "stage.json").exists()
    assert Path(env["BBJ_TEST_NETWORK_LOG"]).read_text("utf-8") == "", "a subprocess tried the network"

    stderr = io.StringIO()
    with contextlib.redirect_stderr(stderr):
        assert main(["run", "--config", str(path), "--resume"]) == 0
    assert "cpt: already done" in stderr.getvalue() and "sft: resuming from checkpoint-3" in stderr.getvalue()
    resumed, uninterrupted = adapter_weights(run), adapter_weights(reference["run"])
    assert resumed.keys() == uninterrupted.keys()
    for name, tensor in uninterrupted.items():
        torch.testing.assert_close(resumed[name], tensor, rtol=1e-5, atol=1e-6)
    for stage in ("cpt", "sft"):
        assert [r["step"] for r in records(run, stage, "step")] == list(range(1, 7)), "each step logged once"


def kill_after_checkpoint(command: list[str], runs: Path, stage: str, env: dict[str, str]) -> None:
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env)
    deadline = time.monotonic() + RUN_TIMEOUT
    try:
        while not list(runs.glob(f"*/{stage}/checkpoint-*/trainer_state.json")):
            assert process.poll() is None, "the run ended before it could be killed"
            assert time.monotonic() < deadline
            time.sleep(0.01)
    finally:
        process.send_signal(signal.SIGKILL)
        process.wait()
    assert process.returncode == -signal.SIGKILL


def test_resume_refuses_a_changed_config(tmp_path: Path, tiny_model: Path, inputs: dict[str, Path], capsys) -> None:
    path = write_config(tmp_path, tiny_model, inputs, top={"stages": ["cpt"]}, cpt={"max_steps": 2})
    assert main(["run", "--config", str(path)]) == 0
    assert main(["run", "--config", str(path), "--resume"]) == 2
    assert f"--resume: TRN030 no unfinished run named t-* in {tmp_path / 'runs'}" in capsys.readouterr().err
    path.write_text(path.read_text("utf-8").replace("max_steps = 2", "max_steps = 3"), encoding="utf-8")
    json_path = only_run(tmp_path) / "run.json"
    manifest = json.loads(json_path.read_text("utf-8"))
    json_path.write_text(json.dumps({**manifest, "finished": None}), encoding="utf-8")
    assert main(["run", "--config", str(path), "--resume"]) == 2
    assert "TRN031 --resume: config differs from the run's in cpt.max_steps" in capsys.readouterr().err


def test_a_failed_run_is_marked_and_resume_skips_it(tmp_path: Path, tiny_model: Path, inputs: dict[str, Path], capsys) -> None:
    corpus = write_jsonl(tmp_path / "bad" / "corpus.jsonl", [{"text": "REM ok"}, {"text": ""}])  # fails once the folder exists
    path = write_config(tmp_path, tiny_model, {"corpus": corpus, "split": inputs["split"]}, top={"stages": ["cpt"]})
    assert main(["run", "--config", str(path)]) == 2
    assert f"{corpus}:2:" in capsys.readouterr().err
    run = only_run(tmp_path)
    failed = json.loads((run / "run.json").read_text("utf-8"))["failed"]
    assert failed["error"] and "TRN011" in failed["error"][0] and "failed: " in (run / "run.log").read_text("utf-8")
    assert main(["run", "--config", str(path), "--resume"]) == 2
    assert f"--resume: TRN030 no unfinished run named t-* in {tmp_path / 'runs'} (1 failed, resumed only by name: --resume {run})" in capsys.readouterr().err
    write_jsonl(corpus, [{"text": "REM ok"}, {"text": "PRINT 1"}])  # fixed, but the input changed: resuming it is refused
    assert main(["run", "--config", str(path), "--resume", str(run)]) == 2
    assert "TRN031 --resume: data.corpus changed since the run started" in capsys.readouterr().err


def test_unsloth_backend_needs_cuda(tmp_path: Path, tiny_model: Path, inputs: dict[str, Path], capsys) -> None:
    path = write_config(tmp_path, tiny_model, inputs, top={"backend": "unsloth"})
    assert main(["run", "--config", str(path)]) == 2
    assert "TRN020 backend = 'unsloth' cannot run here: no CUDA device" in capsys.readouterr().err


def test_tiny_model_command(tmp_path: Path, inputs: dict[str, Path]) -> None:
    from transformers import AutoConfig, AutoTokenizer

    out = tmp_path / "tiny"
    args = ["tiny-model", "--out", str(out), "--no-default-corpus", "--corpus", str(inputs["corpus"]), "--vocab-size", "800"]
    assert main(args) == 0
    config = AutoConfig.from_pretrained(out)
    assert (config.model_type, config.hidden_size, config.num_hidden_layers) == ("qwen2", 64, 2)
    assert (config.num_attention_heads, config.num_key_value_heads, config.intermediate_size) == (4, 2, 128)
    tokenizer = AutoTokenizer.from_pretrained(out)
    for token in ("<|im_start|>", "<|im_end|>", "<|endoftext|>", "<|fim_prefix|>", "<|fim_suffix|>", "<|fim_middle|>"):
        assert tokenizer(token, add_special_tokens=False)["input_ids"] == [tokenizer.convert_tokens_to_ids(token)]
    assert "{% generation %}" in tokenizer.chat_template and tokenizer.eos_token == "<|endoftext|>"
    card = json.loads((out / "tiny-model.json").read_text("utf-8"))
    assert card["tokenizer_corpus"][0]["path"] == str(inputs["corpus"])
    assert main(["tiny-model", "--out", str(tmp_path / "none"), "--no-default-corpus"]) == 2


def test_live_progress_line_on_a_terminal(tmp_path: Path, tiny_model: Path, inputs: dict[str, Path]) -> None:
    from rich.console import Console

    from train.config import read_config
    from train.training.runner import run_training

    path = write_config(tmp_path, tiny_model, inputs, top={"stages": ["cpt"]}, cpt={"max_steps": 2, "logging_steps": 1})
    screen = io.StringIO()
    run_training(*read_config(path), ["test"], None,
                 Console(file=screen, force_terminal=True, width=160))  # fmt: skip
    shown = screen.getvalue()
    assert "cpt" in shown and "2/2" in shown and "tok/s" in shown and "ETA" in shown
    assert "loss -" in shown, "no loss before the first log"
    assert re.search(r"loss \d+\.\d{4} ", shown), "the logged loss appears on the line"


def test_resume_skips_a_checkpoint_cut_short(tmp_path: Path, tiny_model: Path, inputs: dict[str, Path], reference: dict) -> None:
    """A kill while the trainer writes trainer_state.json (in place, not atomically) leaves it cut
    short: the resume removes that checkpoint, restarts the stage from the last complete one
    (here: none, so from its start), drops the stage's logged steps, and still ends with the
    uninterrupted run's adapter."""
    import torch

    path = write_config(tmp_path, tiny_model, inputs)
    env = offline_env(tmp_path / "guard")
    kill_after_checkpoint(bbj_train("run", "--config", str(path)), tmp_path / "runs", "sft", env)
    run = only_run(tmp_path)
    (newest,) = (run / "sft").glob("checkpoint-*")
    state = newest / "trainer_state.json"
    state.write_bytes(state.read_bytes()[: state.stat().st_size // 2])
    assert records(run, "sft", "step"), "the killed attempt logged Stage 2 steps"
    stderr = io.StringIO()
    with contextlib.redirect_stderr(stderr):
        assert main(["run", "--config", str(path), "--resume"]) == 0, stderr.getvalue()[-3000:]
    assert "sft: resuming from" not in stderr.getvalue()
    assert f"{newest.name} is incomplete" in (run / "run.log").read_text("utf-8")
    assert [r["step"] for r in records(run, "sft", "step")] == list(range(1, 7)), "each step logged once"
    resumed, uninterrupted = adapter_weights(run), adapter_weights(reference["run"])
    for name, tensor in uninterrupted.items():
        torch.testing.assert_close(resumed[name], tensor, rtol=1e-5, atol=1e-6)


def test_two_resumes_of_one_run_one_is_refused(tmp_path: Path, tiny_model: Path, inputs: dict[str, Path], capsys) -> None:
    """The second `--resume` finds the run folder locked by the first and stops (TRN032) before
    touching it; the first trains to the end."""
    import fcntl

    path = write_config(tmp_path, tiny_model, inputs, top={"stages": ["cpt"]})
    env = offline_env(tmp_path / "guard")
    kill_after_checkpoint(bbj_train("run", "--config", str(path)), tmp_path / "runs", "cpt", env)
    run = only_run(tmp_path)
    first = subprocess.Popen(bbj_train("run", "--config", str(path), "--resume"), stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env=env)
    deadline = time.monotonic() + RUN_TIMEOUT
    with open(run / ".lock", "a+b") as probe:
        while True:  # until the first resume holds the lock
            assert first.poll() is None and time.monotonic() < deadline, "the first resume ended before it was seen training"
            try:
                fcntl.flock(probe, fcntl.LOCK_EX | fcntl.LOCK_NB)
                fcntl.flock(probe, fcntl.LOCK_UN)
            except BlockingIOError:
                break
            time.sleep(0.01)
    assert main(["run", "--config", str(path), "--resume"]) == 2
    assert "TRN032" in capsys.readouterr().err
    _, errors = first.communicate(timeout=RUN_TIMEOUT)
    assert first.returncode == 0, errors.decode()[-3000:]
    assert [r["step"] for r in records(run, "cpt", "step")] == list(range(1, 7))
