"""Data-parallel training: one worker process per GPU (DDP through `accelerate launch`), or per CPU
process (gloo through torchrun, which is how the test suite runs this path on a machine without GPUs).

`bbj-train run --gpus N` is the launcher: it opens (or picks, for --resume) the run folder itself and
starts N workers with `--resume <that folder>`, so every worker trains into the same folder and a
resume of a multi-GPU run is a resume like any other. The Trainer shards the micro-batches by rank
and averages gradients; only the main worker writes the folder's own files (run.log, metrics.jsonl,
stage summaries, the adapter, the plot), the others wait for it at each stage's end."""

from __future__ import annotations

import os
import subprocess
import sys
from dataclasses import dataclass

WORKER_ENV = "BBJ_TRAIN_WORKER"  # set in each worker: it must not launch workers itself
# Keep NVLink multicast off in NCCL and PyTorch (it can take shared GPUs out of service).
NCCL_SAFE_ENV = {"NCCL_NVLS_ENABLE": "0", "TORCH_SYMM_MEM_DISABLE_MULTICAST": "1", "NVSHMEM_DISABLE_NVLS": "1"}


@dataclass(frozen=True)
class World:
    """This process's place among the workers (rank 0 of 1 when not launched)."""

    rank: int
    local_rank: int
    size: int

    @property
    def main(self) -> bool:
        return self.rank == 0

    @property
    def distributed(self) -> bool:
        return self.size > 1


def world() -> World:
    """Read from the variables torchrun / accelerate set in each worker."""

    def number(name: str, default: int) -> int:
        value = os.environ.get(name, "")
        return int(value) if value.isdigit() else default

    return World(number("RANK", 0), number("LOCAL_RANK", 0), number("WORLD_SIZE", 1))


def is_worker() -> bool:
    return os.environ.get(WORKER_ENV) == "1" or world().distributed


def launch_command(processes: int, cuda: bool, run_args: list[str]) -> list[str]:
    """argv that starts `processes` workers of `bbj-train run <run_args>`: `accelerate launch`
    (DDP over NCCL) on GPUs; torchrun (gloo) on CPU, where `accelerate launch --cpu` starts only one."""
    worker = ["-m", "train.cli", "run", *run_args]
    if cuda:
        return [sys.executable, "-m", "accelerate.commands.launch", "--multi_gpu", "--num_machines", "1",
                "--num_processes", str(processes), "--mixed_precision", "no", "--dynamo_backend", "no", *worker]  # fmt: skip
    return [sys.executable, "-m", "torch.distributed.run", "--standalone", "--nproc_per_node", str(processes), *worker]


def launch(processes: int, cuda: bool, run_args: list[str]) -> int:
    """Run the workers to their end; their exit status (the first failing worker's) is ours."""
    env = {**os.environ, **NCCL_SAFE_ENV, WORKER_ENV: "1"}
    if not cuda:
        env["ACCELERATE_USE_CPU"] = "1"  # accelerate then sets up gloo (MULTI_CPU) from torchrun's variables
    return subprocess.run(launch_command(processes, cuda, run_args), env=env, check=False).returncode


def barrier() -> None:
    """Wait for every worker (no-op when not distributed)."""
    import torch.distributed as dist

    if dist.is_available() and dist.is_initialized():
        dist.barrier()


def sum_over_workers(values: list[float]) -> list[float]:
    """Element-wise sum over the workers (the tokens of a step, counted on every rank)."""
    import torch
    import torch.distributed as dist

    if not (dist.is_available() and dist.is_initialized()):
        return values
    device = torch.device("cuda", torch.cuda.current_device()) if dist.get_backend() == "nccl" else torch.device("cpu")
    tensor = torch.tensor(values, dtype=torch.float64, device=device)
    dist.all_reduce(tensor)
    return tensor.tolist()
