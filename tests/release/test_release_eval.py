"""The eval's `llamacpp` backend on the exported release GGUF (the session's release fixture)."""

from __future__ import annotations

from pathlib import Path

import pytest
from release_helpers import ANSWER, QUESTION, SYSTEM

pytestmark = pytest.mark.usefixtures("export_stack")


def test_eval_llamacpp_backend_answers_from_the_release_gguf(release: Path) -> None:
    """Training-format prompt, stop at <|im_end|>, the trained answer judged `ok` by the compile check."""
    from train.eval.backends import LlamaCppBackend
    from train.eval.client import ChatRequest, GenerationParams
    from train.eval.config import ModelSpec
    from train.eval.judge import Judge
    from train.eval.prompts import task_messages
    from train.eval.repair import attempt_code

    (gguf,) = release.glob("*Q8_0.gguf")
    backend = LlamaCppBackend(ModelSpec(name="gguf", backend="llamacpp", gguf=str(gguf), n_ctx=256, n_gpu_layers=0))
    try:
        (reply,) = backend.generate([ChatRequest(task_messages(QUESTION, system=SYSTEM), GenerationParams(max_tokens=48))])
    finally:
        backend.close()
    assert reply.status == "ok" and reply.text == ANSWER and reply.output_tokens is not None and reply.output_tokens < 48
    code, verdict = attempt_code(reply, Judge())
    assert code == ANSWER and verdict.status == "ok"
