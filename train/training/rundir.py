"""The run folder `<output_dir>/<name>-<time>/`: everything needed to reproduce or resume a run.

run.json        command, git commit, library versions, backend, input files with sha256
config.json     the resolved config (every default filled in); config.toml: the file as given
run.log         what happened, in order (backend choice and why, data statistics, stages)
metrics.jsonl   per-step tokens/s and memory, train and validation loss
loss.png        train and validation loss per stage, the kept (best) checkpoint starred
cpt/, sft/      checkpoint-N/ (best and last kept), adapter/ and stage.json once the stage is done
adapter/        the final adapter with its tokenizer and chat template"""

from __future__ import annotations

import fcntl
import hashlib
import json
import os
import shutil
import subprocess
import sys
import time
from importlib import metadata
from pathlib import Path
from typing import Any, BinaryIO

from curate.atomic import write_text_atomic
from curate.errors import CurateError
from curate.safeio import UnsafeFile, open_guarded, printable_path, read_json_guarded
from train.config import RunConfig
from train.training.errors import TrainingError, fail

LOCK_FILE = ".lock"
RUN_FILE_LIMIT = 256 << 20  # trainer_state.json grows with log_history: generous, but never /dev/zero
LIBRARIES = ("torch", "transformers", "peft", "trl", "accelerate", "datasets", "tokenizers", "bitsandbytes", "unsloth")
REPO_ROOT = Path(__file__).resolve().parents[2]


class RunDir:
    def __init__(self, path: Path) -> None:
        from train.training.distributed import world

        self.path = path
        self.writes = world().main  # with several workers only the main one writes the folder's files
        self._lock: BinaryIO | None = None

    # -- files ---------------------------------------------------------------------------------
    @property
    def manifest_path(self) -> Path:
        return self.path / "run.json"

    @property
    def metrics_path(self) -> Path:
        return self.path / "metrics.jsonl"

    @property
    def adapter_dir(self) -> Path:
        return self.path / "adapter"

    def stage_dir(self, stage: str) -> Path:
        return self.path / stage

    def stage_done(self, stage: str) -> dict[str, Any] | None:
        marker = self.stage_dir(stage) / "stage.json"
        return self.read_json(marker) if os.path.lexists(marker) else None

    def mark_stage_done(self, stage: str, summary: dict[str, Any]) -> None:
        if self.writes:
            write_text_atomic(self.stage_dir(stage) / "stage.json", json.dumps(summary, indent=2) + "\n")

    def manifest(self) -> dict[str, Any]:
        return self.read_json(self.manifest_path)

    def read_json(self, path: Path) -> dict[str, Any]:
        """A JSON object file of the run folder, through the guarded reader (a FIFO or a link to
        /dev/zero planted in a shared run folder must not block or exhaust a resume): TRN030
        naming the file when it is refused, not JSON or not an object."""
        return read_run_json(path)

    def update_manifest(self, **changes: Any) -> None:
        if not self.writes:
            return
        data = self.manifest()
        data.update(changes)
        write_text_atomic(self.manifest_path, json.dumps(data, indent=2) + "\n")

    def mark_failed(self, error: BaseException) -> None:
        """Record in run.json that this run stopped on an error, so `--resume` (latest) skips it;
        `--resume <folder>` still continues it once the cause is fixed."""
        lines = error.lines() if isinstance(error, CurateError) else [f"{error.__class__.__name__}: {error}"]
        self.log(f"failed: {'; '.join(lines)}")
        self.update_manifest(failed={"at": time.strftime("%Y-%m-%dT%H:%M:%S%z"), "error": lines})

    def log(self, message: str) -> None:
        if not self.writes:
            return
        with (self.path / "run.log").open("a", encoding="utf-8") as handle:
            handle.write(f"{time.strftime('%Y-%m-%d %H:%M:%S')} {message}\n")

    # -- the lock -------------------------------------------------------------------------------
    def lock(self) -> None:
        """Hold `.lock` in the run folder until `unlock` (the OS releases it when the process
        dies, even by SIGKILL): two processes never train into one run folder, e.g. two
        `--resume` at once. TRN032 when another process holds it."""
        handle = open(self.path / LOCK_FILE, "a+b")  # noqa: SIM115 - held open for the whole run
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            handle.close()
            raise fail(str(self.path), "TRN032", "another process is training this run right now; wait for it or stop it first") from None
        self._lock = handle

    def unlock(self) -> None:
        if self._lock is not None:
            self._lock.close()
            self._lock = None

    # -- checkpoints ----------------------------------------------------------------------------
    def last_checkpoint(self, stage: str) -> tuple[Path, int] | None:
        """The newest complete checkpoint and its step. Incomplete ones are removed so the
        trainer never resumes from or rotates around them: no trainer_state.json (killed while
        saving), one cut short (the trainer writes it in place, not atomically), or no adapter
        weights."""
        folder = self.stage_dir(stage)
        complete: list[tuple[int, Path]] = []
        for candidate in folder.glob("checkpoint-*"):
            if not candidate.name.removeprefix("checkpoint-").isdigit():
                continue
            state = _saved_step(candidate)
            if state is not None:
                complete.append((state, candidate))
            elif self.writes:
                self.log(f"{stage}: {candidate.name} is incomplete (killed while saving): removed")
                shutil.rmtree(candidate, ignore_errors=True)
        if not complete:
            return None
        newest_step, newest = max(complete)
        return newest, newest_step


def read_run_json(path: Path) -> dict[str, Any]:
    """See `RunDir.read_json`."""
    try:
        data = read_json_guarded(path, RUN_FILE_LIMIT)
    except UnsafeFile as exc:
        raise refused(path, exc) from None
    except ValueError as exc:
        raise fail(printable_path(path), "TRN030", f"run folder file is not valid JSON: {exc}") from None
    if not isinstance(data, dict):
        raise fail(printable_path(path), "TRN030", "run folder file is not a JSON object")
    return data


def refused(path: Path, exc: UnsafeFile) -> TrainingError:
    return fail(printable_path(path), "TRN030", f"run folder file refused: {exc.message}")


def _saved_step(checkpoint: Path) -> int | None:
    """The global step of a complete checkpoint, else None (a refused state file counts as
    incomplete: it was not written by the trainer)."""
    try:
        step = read_run_json(checkpoint / "trainer_state.json")["global_step"]
    except (TrainingError, KeyError):
        return None
    if not isinstance(step, int) or not any(checkpoint.glob("adapter_model.*")):
        return None
    return step


def create_run(config: RunConfig, config_text: str, inputs: dict[str, Path], argv: list[str]) -> RunDir:
    stamp = time.strftime("%Y%m%d-%H%M%S")
    path = config.output_dir / f"{config.name}-{stamp}"
    suffix = 1
    while path.exists():
        suffix += 1
        path = config.output_dir / f"{config.name}-{stamp}-{suffix}"
    path.mkdir(parents=True)
    run = RunDir(path)
    write_text_atomic(path / "config.toml", config_text)
    write_text_atomic(path / "config.json", json.dumps(config.model_dump(mode="json"), indent=2) + "\n")
    manifest = {
        "name": config.name,
        "started": time.strftime("%Y-%m-%dT%H:%M:%S%z"),
        "finished": None,
        "command": argv,
        "python": sys.version.split()[0],
        "git": git_state(),
        "versions": library_versions(),
        "base_model": config.base_model,
        "inputs": {key: {"path": str(p), "sha256": sha256(p), "bytes": p.stat().st_size} for key, p in inputs.items()},
    }
    write_text_atomic(run.manifest_path, json.dumps(manifest, indent=2) + "\n")
    return run


def find_resumable(config: RunConfig, where: str) -> RunDir:
    """The run folder to resume: the one named, or the newest unfinished run of this config's name
    that did not fail (a failed run is only resumed by name)."""
    if where != "latest":
        run = RunDir(Path(where))
        if not run.manifest_path.exists():
            raise fail(f"--resume {where}", "TRN030", "not a run folder (no run.json)")
        return run
    unfinished: list[RunDir] = []
    failed: list[RunDir] = []
    for manifest in sorted(config.output_dir.glob(f"{config.name}-*/run.json"), key=lambda p: p.parent.name):
        data = read_run_json(manifest)
        if data.get("name") != config.name or data.get("finished"):
            continue
        (failed if data.get("failed") else unfinished).append(RunDir(manifest.parent))
    if not unfinished:
        message = f"no unfinished run named {config.name}-* in {config.output_dir}"
        if failed:
            message += f" ({len(failed)} failed, resumed only by name: --resume {failed[-1].path})"
        raise fail("--resume", "TRN030", message)
    return unfinished[-1]


def check_resumable(run: RunDir, config: RunConfig, inputs: dict[str, Path]) -> None:
    """Resuming must reach the same end state: same resolved config and unchanged input files."""
    stored = run.read_json(run.path / "config.json")
    current = config.model_dump(mode="json")
    changed = sorted(_diff_keys(stored, current))
    if changed:
        raise fail(str(run.path), "TRN031", f"--resume: config differs from the run's in {', '.join(changed[:5])}")
    recorded = run.manifest()["inputs"]
    for key, path in inputs.items():
        if key not in recorded or recorded[key]["sha256"] != sha256(path):
            raise fail(str(path), "TRN031", f"--resume: {key} changed since the run started")


def _diff_keys(old: Any, new: Any, prefix: str = "") -> list[str]:
    if isinstance(old, dict) and isinstance(new, dict):
        keys = set(old) | set(new)
        return [k for key in keys for k in _diff_keys(old.get(key), new.get(key), f"{prefix}{key}.")]
    return [] if old == new else [prefix.rstrip(".")]


def sha256(path: Path) -> str:
    digest = hashlib.sha256()
    try:
        handle = open_guarded(path, None)
    except UnsafeFile as exc:
        raise fail(printable_path(path), "TRN010", exc.message) from None
    with handle:
        for chunk in iter(lambda: handle.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def git_state() -> dict[str, Any]:
    def git(*args: str) -> str | None:
        try:
            done = subprocess.run(["git", *args], check=False, cwd=REPO_ROOT, capture_output=True, text=True, timeout=10)
        except (OSError, subprocess.TimeoutExpired):
            return None
        return done.stdout.strip() if done.returncode == 0 else None

    commit = git("rev-parse", "HEAD")
    status = git("status", "--porcelain", "--untracked-files=no")
    return {"commit": commit, "dirty": bool(status) if status is not None else None}


def library_versions() -> dict[str, str | None]:
    versions: dict[str, str | None] = {}
    for name in LIBRARIES:
        try:
            versions[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            versions[name] = None
    return versions
