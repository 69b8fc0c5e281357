"""`bbj-train export`: merge the run's adapter into its 16-bit base, convert to GGUF, quantize,
verify, and package `dist/<name>/` (GGUF files, Modelfile, model card, SHA256SUMS, adapter)."""

from __future__ import annotations

import shutil
import subprocess
from collections.abc import Callable
from pathlib import Path

import click
from rich.console import Console
from rich.progress import BarColumn, DownloadColumn, Progress, TimeRemainingColumn


@click.command()
@click.option(
    "--run",
    "run_dir",
    type=click.Path(path_type=Path, file_okay=False),
    default=None,
    help="Run folder made by `bbj-train run` (default: the newest finished run of --config).",
)
@click.option(
    "--config",
    "config_path",
    type=click.Path(path_type=Path, dir_okay=False, exists=True),
    default=None,
    help="Run config whose newest finished run to export (instead of --run).",
)
@click.option("--base", default=None, help="Folder with the 16-bit base safetensors (default: the run's base_model if local). Never downloads.")
@click.option(
    "--out", "out_root", default=Path("dist"), show_default=True, type=click.Path(path_type=Path, file_okay=False), help="Parent folder of the release folder."
)
@click.option("--name", default=None, help="Release name (folder and file names; default bbj-coder-<run name>).")
@click.option(
    "--quant",
    "quants",
    multiple=True,
    type=click.Choice(["Q4_K_M", "Q8_0"]),
    default=("Q4_K_M",),
    show_default=True,
    help="Quantized files to write (repeatable).",
)
@click.option("--keep-f16", is_flag=True, help="Keep the 16-bit GGUF in the release too.")
@click.option(
    "--outtype", type=click.Choice(["auto", "f16", "bf16"]), default="auto", show_default=True, help="16-bit GGUF type; auto = bf16 for a bf16 base, else f16."
)
@click.option(
    "--llama-cpp-source",
    type=click.Path(path_type=Path, exists=True),
    default=None,
    help="llama-cpp-python sdist (.tar.gz) or its extracted folder holding the converter (default: the cache filled by `bbj-train fetch-converter`).",
)
@click.option("--tokenizer-pre", default=None, help="Pre-tokenizer name written ONLY if the converter does not recognise the tokenizer (tests: qwen2).")
@click.option(
    "--kl-bound",
    default=0.1,
    show_default=True,
    type=click.FloatRange(min=0, min_open=True),
    help="Largest mean KL divergence (nats/token) of Q4_K_M vs the 16-bit file; Q8_0 gets a tenth.",
)
@click.option(
    "--eval-cases",
    default=0,
    show_default=True,
    type=click.IntRange(0),
    help="compile@1 of every GGUF on this many fixed benchmark cases (code-producing ones), in the card.",
)
@click.option(
    "--eval-suite",
    default=Path("benchmark/bbj-bench-v1.jsonl"),
    show_default=True,
    type=click.Path(path_type=Path, dir_okay=False),
    help="Benchmark JSONL for --eval-cases.",
)
@click.option("--system", default=None, help="Modelfile SYSTEM prompt (default: the training system prompt for portable BBj).")
def export(run_dir: Path | None, config_path: Path | None, base: str | None, out_root: Path, name: str | None,
           quants: tuple[str, ...], keep_f16: bool, outtype: str, llama_cpp_source: Path | None,
           tokenizer_pre: str | None, kl_bound: float, eval_cases: int, eval_suite: Path,
           system: str | None) -> int:  # fmt: skip
    """Export a trained run as GGUF (F16 -> Q4_K_M) with a verified Ollama Modelfile and model card."""
    from train.release.export import ExportOptions, plan_export, run_export

    # TrainingError is a CurateError: run_cli prints its diagnostics and exits 2.
    console = Console(stderr=True)
    run = run_dir or _newest_run(config_path)
    options = ExportOptions(run, base, out_root, name, list(dict.fromkeys(quants)), keep_f16, outtype,
                            llama_cpp_source, tokenizer_pre, system, kl_bound, eval_cases, eval_suite)  # fmt: skip
    plan = plan_export(options)
    with Progress("[progress.description]{task.description}", BarColumn(), DownloadColumn(), TimeRemainingColumn(),
                  console=console, transient=True) as bars:  # fmt: skip

        def progress(label: str, total: int) -> Callable[[int], None]:
            task = bars.add_task(label, total=total)
            return lambda done: bars.advance(task, done)

        def say(message: str) -> None:
            console.print(f"[dim]bbj-train export:[/dim] {message}", highlight=False)

        folder = run_export(plan, options, say, progress)
    click.echo(f"release: {folder}")
    _ollama_create(folder, plan.name)
    return 0


def _newest_run(config_path: Path | None) -> Path:
    from train.config import load_config
    from train.training.errors import fail
    from train.training.rundir import read_run_json

    if config_path is None:
        raise click.UsageError("give --run RUN_DIR or --config CONFIG")
    config = load_config(config_path)
    finished = [m.parent for m in sorted(config.output_dir.glob(f"{config.name}-*/run.json"), key=lambda p: p.parent.name)
                if read_run_json(m).get("finished")]  # fmt: skip
    if not finished:
        raise fail(str(config.output_dir), "REL001", f"no finished run named {config.name}-* (run `make train` first)")
    return finished[-1]


def _ollama_create(folder: Path, name: str) -> None:
    command = ["ollama", "create", name, "-f", str(folder / "Modelfile")]
    if shutil.which("ollama") is None:
        click.echo(f"ollama is not on PATH; on the machine that serves the model run:\n  {' '.join(command)}")
        return
    done = subprocess.run(command, check=False)
    if done.returncode != 0:
        click.echo(f"ollama create failed (exit {done.returncode}); the release folder is complete: retry by hand", err=True)
