"""Files a shared checkout or run folder can plant for `bbj-train` (a FIFO that blocks every
open, a link to /dev/zero that never ends): the split, the config, the run folder's state and
metrics files and the eval inputs all go through the guarded reader, so each is refused with
its file and a stable code, in well under the subprocess timeout, never read."""

from __future__ import annotations

import json
import re
import shutil
import struct
import subprocess
from collections.abc import Callable
from pathlib import Path

import pytest
from planted import dev_zero, fifo, within
from training_helpers import bbj_train, config_text, offline_env, write_inputs

from train.config import load_config
from train.training.errors import TrainingError

TIMEOUT = 90


PLANTS = [pytest.param(fifo, "a named pipe (FIFO), not a regular file", id="fifo"),
          pytest.param(dev_zero, "symbolic link to /dev/zero, a character device", id="dev-zero")]  # fmt: skip


@pytest.fixture
def project(tmp_path: Path) -> dict[str, Path]:
    """A repository with small inputs and a config (the base model is never loaded here)."""
    (tmp_path / "pyproject.toml").write_text("[project]\nname = 'x'\n", "utf-8")
    inputs = write_inputs(tmp_path / "data", documents=8, train=6, validation=2)
    config = tmp_path / "run.toml"
    config.write_text(config_text(tmp_path / "no-model", inputs, tmp_path / "runs"), "utf-8")
    return {"root": tmp_path, "config": config, **inputs}


def bbj_train_run(root: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(bbj_train(*args), cwd=root, check=False, capture_output=True, text=True, env=offline_env(root / "guard"), timeout=TIMEOUT)


@pytest.mark.parametrize("plant", [p.values[0] for p in PLANTS], ids=["fifo", "dev-zero"])
@pytest.mark.parametrize("split", ["train", "validation"])
def test_dry_run_refuses_a_planted_split(project: dict[str, Path], plant: Callable[[Path], None], split: str) -> None:
    plant(project["split"] / f"{split}.jsonl")
    done = bbj_train_run(project["root"], "run", "--config", str(project["config"]), "--dry-run")
    assert done.returncode == 2, (done.stdout, done.stderr)
    assert f"{split}.jsonl" in done.stderr and "TRN010 data.split_dir:" in done.stderr and "not a regular file" in done.stderr
    assert "Traceback" not in done.stderr


@pytest.mark.parametrize(("plant", "message"), PLANTS)
def test_run_refuses_a_planted_config(project: dict[str, Path], plant: Callable[[Path], None], message: str) -> None:
    plant(project["config"])
    done = bbj_train_run(project["root"], "run", "--config", str(project["config"]), "--dry-run")
    assert done.returncode == 2 and "TRN001 cannot read config:" in done.stderr and message in done.stderr, done.stderr
    assert "Traceback" not in done.stderr


@pytest.mark.parametrize(("plant", "message"), PLANTS)
@pytest.mark.parametrize("name", ["run.json", "config.json"])
def test_resume_refuses_a_planted_run_folder_file(project: dict[str, Path], plant: Callable[[Path], None], message: str, name: str) -> None:
    from train.training.records import stage_inputs
    from train.training.rundir import create_run

    config = load_config(project["config"])
    run = create_run(config, project["config"].read_text("utf-8"), stage_inputs(config).files, ["bbj-train"])
    plant(run.path / name)
    done = bbj_train_run(project["root"], "run", "--config", str(project["config"]), "--resume", str(run.path))
    assert done.returncode == 2, (done.stdout, done.stderr)
    assert f"{name}" in done.stderr and f"TRN030 run folder file refused: {message}" in done.stderr and "Traceback" not in done.stderr


@pytest.mark.parametrize(("plant", "message"), PLANTS)
def test_run_folder_readers_refuse_planted_files(project: dict[str, Path], plant: Callable[[Path], None], message: str) -> None:
    """The readers a resume reaches after loading the model: a planted trainer_state.json makes
    its checkpoint incomplete (skipped), a planted metrics.jsonl or stage.json is TRN030."""
    from train.training.metrics import MetricsLog
    from train.training.records import stage_inputs
    from train.training.rundir import create_run

    config = load_config(project["config"])
    run = create_run(config, "", stage_inputs(config).files, ["bbj-train"])
    checkpoint = run.stage_dir("cpt") / "checkpoint-2"
    checkpoint.mkdir(parents=True)
    (checkpoint / "adapter_model.safetensors").write_bytes(b"x")
    plant(checkpoint / "trainer_state.json")
    assert within(20, lambda: run.last_checkpoint("cpt")) is None
    for path, read in ((run.metrics_path, MetricsLog(run.metrics_path).records), (run.stage_dir("sft") / "stage.json", lambda: run.stage_done("sft"))):
        path.parent.mkdir(parents=True, exist_ok=True)
        plant(path)
        with pytest.raises(TrainingError) as caught:
            within(20, read)
        assert caught.value.diagnostics[0].code == "TRN030" and message in caught.value.diagnostics[0].message


@pytest.mark.parametrize(("plant", "message"), PLANTS)
def test_eval_inputs_are_refused(project: dict[str, Path], plant: Callable[[Path], None], message: str) -> None:
    root = project["root"]
    cases = root / "cases.jsonl"
    plant(cases)
    done = bbj_train_run(root, "eval", "check-cases", str(cases))
    assert done.returncode == 2 and "EVL006 cannot read the case file:" in done.stderr and message in done.stderr, done.stderr
    eval_config = root / "eval.toml"
    plant(eval_config)
    done = bbj_train_run(root, "eval", "run", "--config", str(eval_config))
    assert done.returncode == 2 and "EVL010 cannot read the config:" in done.stderr and message in done.stderr, done.stderr
    assert "Traceback" not in done.stderr


@pytest.mark.parametrize(("plant", "message"), PLANTS)
def test_eval_report_folder_files_are_refused(tmp_path: Path, plant: Callable[[Path], None], message: str) -> None:
    from curate.errors import UsageError
    from train.eval.report import read_report, read_samples

    plant(tmp_path / "report.json")
    plant(tmp_path / "samples.jsonl")
    for read in (lambda: read_report(tmp_path), lambda: read_samples(tmp_path)):
        with pytest.raises(UsageError, match=re.escape(message)):
            within(20, read)


@pytest.mark.parametrize(("plant", "message"), PLANTS)
def test_other_train_readers_refuse_planted_files(tmp_path: Path, plant: Callable[[Path], None], message: str) -> None:
    """The tiny model's corpus files, the release eval suite and a GGUF to digest."""
    from train.eval.backends import file_digest
    from train.release.evaluate import fixed_subset
    from train.tiny_model import corpus_texts

    for name in ("corpus.jsonl", "notes.md"):
        plant(tmp_path / name)
        with pytest.raises(ValueError, match=re.escape(message)):
            within(20, lambda name=name: list(corpus_texts([tmp_path / name])))
    plant(tmp_path / "suite.jsonl")
    with pytest.raises(TrainingError) as caught:
        within(20, lambda: fixed_subset(tmp_path / "suite.jsonl", 1))
    assert caught.value.diagnostics[0].code == "REL004" and message in caught.value.diagnostics[0].message
    plant(tmp_path / "model.gguf")
    with pytest.raises(ValueError, match=re.escape(message)):
        within(20, lambda: file_digest(tmp_path / "model.gguf"))


def escaping_index(path: Path) -> None:
    path.write_text(json.dumps({"metadata": {}, "weight_map": {"model.embed_tokens.weight": "../../../etc/passwd"}}), "utf-8")


def huge_header(path: Path) -> None:
    path.write_bytes(struct.pack("<Q", 10**15) + b"{}")


@pytest.mark.parametrize(
    ("name", "plant", "dry_run", "message"),
    [
        pytest.param("config.json", fifo, False, "a named pipe (FIFO), not a regular file", id="fifo-config"),
        pytest.param("tokenizer.json", dev_zero, True, "symbolic link to /dev/zero, a character device", id="dev-zero-tokenizer"),
        pytest.param("model.safetensors.index.json", escaping_index, True, "'../../../etc/passwd': a shard must be a file inside", id="index-escape"),
        pytest.param("model.safetensors", huge_header, True, "header length field says 1,000,000,000,000,000 bytes", id="header-1e15"),
    ],
)  # fmt: skip
def test_run_refuses_a_planted_base_model_file(project: dict[str, Path], tiny_model: Path, name: str, plant: Callable[[Path], None],
                                               dry_run: bool, message: str) -> None:  # fmt: skip
    """The base model's files are checked before transformers opens one (it would block on the
    FIFO and read /dev/zero until memory runs out) and before a run folder exists (TRN040)."""
    base = shutil.copytree(tiny_model, project["root"] / "base")
    plant(base / name)
    project["config"].write_text(config_text(base, project, project["root"] / "runs"), "utf-8")
    done = bbj_train_run(project["root"], "run", "--config", str(project["config"]), *(["--dry-run"] if dry_run else []))
    assert done.returncode == 2, (done.stdout, done.stderr)
    assert "TRN040" in done.stderr and name in done.stderr and message in done.stderr, done.stderr
    assert "Traceback" not in done.stderr and not (project["root"] / "runs").exists()


@pytest.mark.parametrize(("plant", "message"), PLANTS)
def test_stage_adapter_weights_are_checked_before_safetensors_maps_them(tmp_path: Path, plant: Callable[[Path], None], message: str) -> None:
    """Stage 2 starts from Stage 1's adapter in the run folder (a file safetensors maps whole)."""
    from train.training.backends import load_adapter_weights

    plant(tmp_path / "adapter_model.safetensors")
    with pytest.raises(TrainingError) as caught:
        within(20, lambda: load_adapter_weights(None, tmp_path))
    assert caught.value.diagnostics[0].code == "TRN030" and message in caught.value.diagnostics[0].message


def test_run_checks_the_cached_snapshot_of_a_hub_id(project: dict[str, Path], tiny_model: Path) -> None:
    """`base_model = "org/name"` already in the Hugging Face cache: transformers would load the
    snapshot's files, so they are checked the same way (the cache here is a private folder)."""
    cache = project["root"] / "hub"
    snapshot = cache / "models--bbj--tiny" / "snapshots" / "0123456789abcdef0123456789abcdef01234567"
    shutil.copytree(tiny_model, snapshot)
    (cache / "models--bbj--tiny" / "refs").mkdir()
    (cache / "models--bbj--tiny" / "refs" / "main").write_text(snapshot.name, "utf-8")
    dev_zero(snapshot / "tokenizer.json")
    project["config"].write_text(config_text(tiny_model, project, project["root"] / "runs").replace(str(tiny_model), "bbj/tiny"), "utf-8")
    env = {**offline_env(project["root"] / "guard"), "HF_HUB_CACHE": str(cache)}
    done = subprocess.run(bbj_train("run", "--config", str(project["config"]), "--dry-run"), cwd=project["root"], env=env,
                          check=False, capture_output=True, text=True, timeout=TIMEOUT)  # fmt: skip
    assert done.returncode == 2 and "TRN040" in done.stderr and "symbolic link to /dev/zero" in done.stderr, (done.stdout, done.stderr)
