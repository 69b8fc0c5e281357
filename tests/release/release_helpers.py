"""Builders for the release tests: the export test model (hidden and MLP sizes multiples of 256,
so llama.cpp really writes Q4_K, and the usual 0.02-0.05 init), a real `bbj-train run` that
teaches it one short answer, and PEFT adapters with random (non-zero) LoRA B matrices."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

SYSTEM = "You are an expert BBj programmer."
QUESTION = "Print OK in BBj."
ANSWER = 'PRINT "OK"'
EXPORT_SHAPE = {"hidden_size": 256, "intermediate_size": 512}
NAME = "bbj-test"  # the release the session's `release` fixture exports
KL_BOUND = 0.3  # a 1.3M-parameter model quantizes worse than a 14B one (default bound: 0.1)
GUARD = Path(__file__).resolve().parent / "import_guard"  # sitecustomize.py: the export's import guard


def build_export_model(out: Path, corpus: Path, seed: int = 0, **shape: int) -> Path:
    from train.tiny_model import TinyShape, build_tiny_model

    build_tiny_model(out, [corpus], vocab_size=768, seed=seed, shape=TinyShape(**{**EXPORT_SHAPE, **shape}),
                     initializer_range=0.05)  # fmt: skip
    return out


def write_data(root: Path) -> dict[str, Path]:
    """One conversation, repeated: enough for a few dozen steps to teach the answer and its stop."""
    conversation = {"messages": [{"role": "system", "content": SYSTEM}, {"role": "user", "content": QUESTION},
                                 {"role": "assistant", "content": ANSWER}]}  # fmt: skip
    split = root / "split"
    split.mkdir(parents=True, exist_ok=True)
    for name, count in (("train", 16), ("validation", 2)):
        (split / f"{name}.jsonl").write_text("".join(json.dumps(conversation) + "\n" for _ in range(count)), "utf-8")
    corpus = root / "corpus.txt"
    programs = ['REM total\ntotal = 0\nFOR i = 1 TO 10\ntotal = total + i\nNEXT i\nPRINT "Total: ", total\nEND\n',
                'window! = sysgui!.addWindow(100, 100, 400, 300, "Kunden")\nwindow!.setCallback(BBjAPI.ON_CLOSE, "eoj")\n',
                'OPEN (1)"orders.dat"\nREAD RECORD (1, KEY=key$, ERR=missing) order$\nmsgbox("gefunden: " + key$)\n']  # fmt: skip
    corpus.write_text("\n".join(programs * 20) + f"\n{SYSTEM}\n{QUESTION}\n{ANSWER}\n", "utf-8")
    return {"split": split, "corpus": corpus}


def train_run(root: Path, base: Path, split: Path, steps: int = 24) -> Path:
    """A real `bbj-train run` (Stage 2 only) into root/runs; returns the run folder."""
    from train.cli import main

    config = root / "run.toml"
    config.write_text(
        f'name = "exp"\nbase_model = "{base}"\noutput_dir = "{root / "runs"}"\nstages = ["sft"]\nmax_seq_len = 64\n'
        "gradient_checkpointing = false\nsmall_scale = true\nseed = 5\n"
        f'[data]\nsplit_dir = "{split}"\n[lora]\nr = 32\ndropout = 0.0\n[quantization]\nload_in_4bit = false\n'
        f"[sft]\nlearning_rate = 5e-3\nmax_steps = {steps}\nmicro_batch_size = 4\ngradient_accumulation = 1\n"
        'eval_steps = 100\nlogging_steps = 5\nlr_scheduler = "constant_with_warmup"\nwarmup_ratio = 0.0\n',
        "utf-8",
    )
    assert main(["run", "--config", str(config)]) == 0
    (run,) = (root / "runs").iterdir()
    return run


def random_adapter(base: Path, out: Path, **lora: Any) -> Path:
    """A PEFT LoRA adapter on every linear layer of `base` with random B (PEFT initialises B = 0)."""
    import torch
    from peft import LoraConfig, get_peft_model
    from transformers import AutoModelForCausalLM

    model = AutoModelForCausalLM.from_pretrained(base, dtype=torch.float32)
    settings = {"r": 8, "lora_alpha": 16, "target_modules": ["q_proj", "k_proj", "v_proj", "o_proj", "gate_proj",
                "up_proj", "down_proj"], **lora}  # fmt: skip
    peft = get_peft_model(model, LoraConfig(task_type="CAUSAL_LM", **settings))
    generator = torch.Generator().manual_seed(1)
    for name, parameter in peft.named_parameters():
        if "lora_B" in name:
            parameter.data = torch.randn(parameter.shape, generator=generator) * 0.05
    peft.save_pretrained(out)
    return out


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@contextmanager
def served(release: Path, log: Path, *options: str) -> Iterator[str]:
    """`bbj-train serve` (a real subprocess, with `options`) on 127.0.0.1; yields its base URL
    once /v1/models answers, and stops it afterwards. The server's output goes to `log`."""
    port = free_port()
    with log.open("w") as output:
        server = subprocess.Popen([sys.executable, "-m", "train.cli", "serve", str(release), "--port", str(port), "--threads", "2", *options],
                                  stdout=output, stderr=subprocess.STDOUT)  # fmt: skip
        try:
            deadline = time.monotonic() + 120
            while True:
                assert server.poll() is None, log.read_text("utf-8")[-2000:]
                try:
                    with urllib.request.urlopen(f"http://127.0.0.1:{port}/v1/models", timeout=2) as response:
                        if response.status == 200:
                            break
                except (urllib.error.URLError, ConnectionError):
                    pass
                assert time.monotonic() < deadline, "server did not come up"
                time.sleep(0.5)
            yield f"http://127.0.0.1:{port}/v1"
        finally:
            server.terminate()
            server.wait(timeout=30)


def guarded_env(log: Path, **extra: str) -> dict[str, str]:
    """The environment of a process tree under the import guard, offline."""
    path = os.pathsep.join(filter(None, [str(GUARD), os.environ.get("PYTHONPATH")]))
    return {**os.environ, "PYTHONPATH": path, "BBJ_IMPORT_GUARD_LOG": str(log), "HF_HUB_OFFLINE": "1", "TRANSFORMERS_OFFLINE": "1", **extra}
