"""Small, deterministic training inputs in the data pipeline's formats, run configs, and a
subprocess environment that records (and refuses) every network connection."""

from __future__ import annotations

import json
import os
import random
import sys
import textwrap
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
BBJ_STATEMENTS = [
    'PRINT "total: ", total',
    "total = total + price * qty",
    'name$ = "customer" + str(id)',
    "FOR i = 1 TO count",
    "NEXT i",
    'IF total > 100 THEN PRINT "discount"',
    'OPEN (1)"orders.dat"',
    "READ RECORD (1, KEY=key$) order$",
    "CLOSE (1)",
    'window! = sysgui!.addWindow(100, 100, 400, 300, "Orders")',
    'button! = window!.addButton(101, 20, 20, 90, 25, "OK")',
    "process_events",
]


def bbj_program(rng: random.Random, index: int) -> str:
    body = [rng.choice(BBJ_STATEMENTS) for _ in range(rng.randint(4, 10))]
    return "\n".join([f"REM program {index}", *body, "END"])


def conversation(rng: random.Random, index: int, *, system: bool = True, turns: int = 1) -> dict:
    messages = [{"role": "system", "content": "You are an expert BBj programmer."}] if system else []
    for turn in range(turns):
        messages.append({"role": "user", "content": f"Write BBj code for task {index}.{turn}: sum {index} orders."})
        code = bbj_program(rng, index * 10 + turn)
        messages.append({"role": "assistant", "content": f"```bbj\n{code}\n```\nThis sums order {index}."})
    return {"messages": messages, "meta": {"id": f"ex-{index}"}}


def write_jsonl(path: Path, records: list[dict]) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")
    return path


def write_inputs(root: Path, documents: int = 120, train: int = 48, validation: int = 8) -> dict[str, Path]:
    """corpus.jsonl (some lines in FIM form) and split/{train,validation,test}.jsonl under root."""
    rng = random.Random(7)
    texts = []
    for index in range(documents):
        text = bbj_program(rng, index)
        if index % 4 == 0:
            cut = len(text) // 2
            text = f"<|fim_prefix|>{text[:cut]}<|fim_suffix|>{text[cut + 8 :]}<|fim_middle|>{text[cut : cut + 8]}"
        texts.append({"text": text, "meta": {"source": f"doc-{index}"}})
    corpus = write_jsonl(root / "corpus" / "corpus.jsonl", texts)
    split = root / "split"
    write_jsonl(split / "train.jsonl", [conversation(rng, i, system=i % 3 != 0, turns=1 + i % 2) for i in range(train)])
    write_jsonl(split / "validation.jsonl", [conversation(rng, 1000 + i) for i in range(validation)])
    write_jsonl(split / "test.jsonl", [conversation(rng, 2000 + i) for i in range(4)])
    return {"corpus": corpus, "split": split}


def config_text(model: Path, inputs: dict[str, Path], output: Path, **sections: dict) -> str:
    """A tiny run config as TOML; `sections` override keys, e.g. cpt={"max_steps": 4}."""
    top = {"name": "t", "base_model": str(model), "output_dir": str(output), "max_seq_len": 128,
           "gradient_checkpointing": False, "small_scale": True, "seed": 11}  # fmt: skip
    tables: dict[str, dict] = {
        "data": {"corpus": str(inputs["corpus"]), "split_dir": str(inputs["split"])},
        "lora": {"r": 32, "dropout": 0.1},
        "quantization": {"load_in_4bit": False},
        "cpt": {"learning_rate": 2e-3, "max_steps": 6, "micro_batch_size": 2, "gradient_accumulation": 2,
                "eval_steps": 3, "logging_steps": 1, "validation_share": 0.1},
        "sft": {"learning_rate": 2e-3, "max_steps": 6, "micro_batch_size": 2, "gradient_accumulation": 2,
                "eval_steps": 3, "logging_steps": 1},
    }  # fmt: skip
    top.update(sections.pop("top", {}))
    for name, values in sections.items():
        tables.setdefault(name, {}).update(values)
    lines = [f"{key} = {_toml(value)}" for key, value in top.items()]
    for name, values in tables.items():
        lines.append(f"\n[{name}]")
        lines.extend(f"{key} = {_toml(value)}" for key, value in values.items())
    return "\n".join(lines) + "\n"


def _toml(value: object) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        return json.dumps(value)
    if isinstance(value, list):
        return "[" + ", ".join(_toml(v) for v in value) + "]"
    return repr(value)


NETWORK_GUARD = textwrap.dedent(
    """
    import os, socket
    _log = os.environ["BBJ_TEST_NETWORK_LOG"]
    def _record(what):
        with open(_log, "a") as handle:
            handle.write(what + "\\n")
    _connect = socket.socket.connect
    def _guarded_connect(self, address, *args):
        if self.family in (socket.AF_INET, socket.AF_INET6):
            _record(f"connect {address!r}")
            raise OSError("network blocked by the test")
        return _connect(self, address, *args)
    def _guarded_getaddrinfo(host, *args, **kwargs):
        _record(f"getaddrinfo {host!r}")
        raise socket.gaierror("network blocked by the test")
    socket.socket.connect = _guarded_connect
    socket.getaddrinfo = _guarded_getaddrinfo
    """
)


def offline_env(guard_dir: Path) -> dict[str, str]:
    """Environment for a `bbj-train` subprocess: offline flags plus the recording socket guard."""
    guard_dir.mkdir(parents=True, exist_ok=True)
    (guard_dir / "sitecustomize.py").write_text(NETWORK_GUARD, encoding="utf-8")
    log = guard_dir / "network.log"
    log.touch()
    env = dict(os.environ)
    env.update(
        PYTHONPATH=os.pathsep.join([str(guard_dir), str(REPO)]),
        BBJ_TEST_NETWORK_LOG=str(log),
        HF_HUB_OFFLINE="1",
        HF_DATASETS_OFFLINE="1",
        TRANSFORMERS_OFFLINE="1",
        HF_HUB_DISABLE_TELEMETRY="1",
        PYTHONUNBUFFERED="1",
        CUDA_VISIBLE_DEVICES="",
    )
    return env


def bbj_train(*args: str) -> list[str]:
    return [sys.executable, "-m", "train.cli", *args]
