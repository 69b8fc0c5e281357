"""Training tests run real optimizer steps on a tiny random Qwen2 model built once per session,
offline: HF_HUB_OFFLINE is set and every socket connection in the test process raises."""

from __future__ import annotations

import socket
from pathlib import Path

import pytest

pytest.importorskip("torch", reason="the training tests need the [train] extra")
pytest.importorskip("trl", reason="the training tests need the [train] extra")

from training_helpers import write_inputs


@pytest.fixture(autouse=True)
def no_network(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("HF_HUB_OFFLINE", "HF_DATASETS_OFFLINE", "TRANSFORMERS_OFFLINE"):
        monkeypatch.setenv(name, "1")

    def refuse(self: socket.socket, address: object, *args: object) -> None:
        if self.family in (socket.AF_INET, socket.AF_INET6):
            raise AssertionError(f"network connection attempted: {address!r}")
        return real_connect(self, address, *args)

    real_connect = socket.socket.connect
    monkeypatch.setattr(socket.socket, "connect", refuse)


@pytest.fixture(scope="session")
def inputs(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    return write_inputs(tmp_path_factory.mktemp("inputs"))


@pytest.fixture(scope="session")
def tiny_model(tmp_path_factory: pytest.TempPathFactory, inputs: dict[str, Path]) -> Path:
    from train.tiny_model import build_tiny_model

    out = tmp_path_factory.mktemp("model") / "tiny"
    build_tiny_model(out, [inputs["corpus"], inputs["split"] / "train.jsonl"], vocab_size=1024)
    return out


@pytest.fixture(scope="session")
def tokenizer(tiny_model: Path):
    from transformers import AutoTokenizer

    return AutoTokenizer.from_pretrained(tiny_model)
