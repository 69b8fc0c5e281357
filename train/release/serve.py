"""Serve a release without Ollama: llama-cpp-python's OpenAI-compatible server on 127.0.0.1,
with the release's Q4_K_M file, its training context length and the chat template embedded in
the GGUF (so serving renders prompts exactly as training did)."""

from __future__ import annotations

import os
import sys
from dataclasses import dataclass
from pathlib import Path

from curate.safeio import ANYWHERE, UnsafeFile, check_file
from train.model_files import inside
from train.release.modelfile import ModelfileError, read_modelfile
from train.training.errors import fail

HOST = "127.0.0.1"  # never another interface: the server has no authentication


@dataclass(frozen=True)
class ServeTarget:
    gguf: Path
    n_ctx: int
    alias: str


def find_target(release: Path, n_ctx: int | None, alias: str | None) -> ServeTarget:
    """A release folder (its Modelfile's FROM and num_ctx) or a single .gguf file."""
    if not release.is_dir():
        if release.suffix != ".gguf":
            raise fail(str(release), "REL060", "serve a release folder or a .gguf file")
        try:
            check_file(release, None, ANYWHERE)  # the server would block on a FIFO, map a device
        except UnsafeFile as exc:
            raise fail(str(release), "REL060", exc.message) from None
        return ServeTarget(release, n_ctx or 4096, alias or release.stem)
    modelfile = release / "Modelfile"
    if not modelfile.exists():
        raise fail(str(release), "REL060", "not a release folder (no Modelfile): give dist/<name> or a .gguf file")
    try:
        parsed = read_modelfile(modelfile)
    except ModelfileError as exc:
        raise fail(str(modelfile), "REL061", f"Modelfile: {exc}", exc.line) from None
    gguf = release / (parsed.first("model") or "")
    if not inside(gguf, release):  # a path taken from a file: confined to the release folder
        raise fail(str(modelfile), "REL061", f"FROM {parsed.first('model')}: outside the release folder: refused")
    try:
        check_file(gguf, None, release)
    except UnsafeFile as exc:
        raise fail(str(modelfile), "REL061", f"FROM {parsed.first('model')}: {exc.message}") from None
    gguf = gguf.resolve()
    context = parsed.parameters.get("num_ctx")
    return ServeTarget(gguf, n_ctx or (context if isinstance(context, int) else 4096), alias or release.name)


def server_argv(target: ServeTarget, port: int, threads: int | None) -> list[str]:
    argv = [sys.executable, "-m", "llama_cpp.server", "--model", str(target.gguf), "--model_alias", target.alias,
            "--host", HOST, "--port", str(port), "--n_ctx", str(target.n_ctx)]  # fmt: skip
    if threads:
        argv += ["--n_threads", str(threads)]
    return argv


def exec_server(argv: list[str]) -> None:
    """Become the server process (signals reach it directly; no orphan on Ctrl-C or kill)."""
    import importlib.util

    if importlib.util.find_spec("llama_cpp.server") is None or importlib.util.find_spec("uvicorn") is None:
        raise fail("bbj-train serve", "REL062", "the llama-cpp-python server is not installed: pip install -e '.[export]'")
    sys.stdout.flush()
    sys.stderr.flush()
    os.execv(argv[0], argv)
