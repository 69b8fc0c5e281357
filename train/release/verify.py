"""Prove that each GGUF behaves like the merged model it came from (run on every export).

Per file: llama.cpp loads it; metadata (architecture, file type, pre-tokenizer, end-of-sequence
id, both ChatML stop tokens as end-of-generation, the embedded chat template == the trained one);
token ids == the Hugging Face tokenizer's on fixed BBj snippets and a rendered ChatML prompt;
logits. The 16-bit file is compared with the merged model (float32 reference logits streamed one
block at a time, `reference.py`; top-1 agreement on the positions whose
reference top-2 gap is at least TIE_GAP: 1.0 for F16, 0.99 for BF16; an NMSE bound);
a quantized file with the 16-bit file by KL divergence (top-1 agreement means nothing on a random
test model, whose logits are near-ties; KL does)."""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from train.release.quantize import FILE_TYPES, gguf_fields
from train.training.chat import END_OF_TEXT, IM_END

SNIPPETS = [
    'REM Orders\ntotal = 0\nFOR i = 1 TO 10\n    total = total + price[i] * qty[i]\nNEXT i\nPRINT "Total: ", total\n',
    (
        'sysgui! = BBjAPI().openSysGui("X0")\nwindow! = sysgui!.addWindow(100, 100, 400, 300, "Kunden")\n'
        'window!.setCallback(BBjAPI.ON_CLOSE, "eoj")\nprocess_events\n'
    ),
    'OPEN (1)"orders.dat"\nREAD RECORD (1, KEY=key$, ERR=missing) order$\nIF LEN(order$) > 0 THEN msgbox("gefunden: " + key$)\n',
]
CONVERSATION = [
    {"role": "system", "content": "You are an expert BBj programmer."},
    {"role": "user", "content": "Write BBj code that prints the numbers 1 to 3."},
]
TIE_GAP = 1e-2  # reference top-2 gap (logits) below which a position is a tie, not a decision
# The 16-bit file vs the float32 reference: F16 must match on every decisive position with NMSE
# "excellent" (< 1e-4 in llama.cpp's check-nmse.py). BF16 gets 0.99 and "very good" (< 1e-3):
# llama.cpp's CPU BF16 matmul rounds activations to bf16 too (measured on a 0.5B-shaped model:
# top-1 0.995 on decisive positions, NMSE 2.2e-4; docs/benchmarks.md).
SIXTEEN_BIT_BOUNDS = {"F16": (1.0, 1e-4), "BF16": (0.99, 1e-3)}  # kind -> (min top-1, max NMSE)
Q4_K_M_KL_BOUND = 0.1  # mean nats/token vs the 16-bit file; Q8_0 gets a tenth of it


class VerificationError(Exception):
    def __init__(self, path: Path, failures: list[str]) -> None:
        super().__init__(f"{path.name}: " + "; ".join(failures))
        self.path = path
        self.failures = failures


@dataclass
class Report:
    file: str
    kind: str  # F16 / BF16 / Q4_K_M / Q8_0
    metadata: dict[str, Any] = field(default_factory=dict)
    tokens: dict[str, Any] = field(default_factory=dict)
    logits: dict[str, Any] = field(default_factory=dict)
    failures: list[str] = field(default_factory=list)

    def to_json(self) -> dict[str, Any]:
        return {"file": self.file, "kind": self.kind, "metadata": self.metadata, "tokens": self.tokens,
                "logits": self.logits, "failures": self.failures}  # fmt: skip


def reference_inputs(tokenizer: Any) -> list[list[int]]:
    """Token ids of the logit prompts: the rendered ChatML prompt + each snippet."""
    prompt = tokenizer.apply_chat_template(CONVERSATION, tokenize=False, add_generation_prompt=True)
    return [tokenizer(text, add_special_tokens=False)["input_ids"] for text in [prompt + SNIPPETS[0], *SNIPPETS[1:]]]


def record_answers(tokenizer: Any) -> dict[str, Any]:
    """Every answer the verification asks of the Hugging Face tokenizer, as JSON: the rendered
    prompt, the token ids of each text, the stop tokens' ids, the end-of-sequence id and the
    reference inputs. Recorded where transformers is loaded; `RecordedTokenizer` replays them on
    the llama.cpp side, which never imports transformers (or torch: on the GPU image a CUDA
    llama.cpp crashed in a process that had imported torch, docs/release.md)."""
    prompt = tokenizer.apply_chat_template(CONVERSATION, tokenize=False, add_generation_prompt=True)
    return {"prompt": prompt, "ids": {text: list(tokenizer(text, add_special_tokens=False)["input_ids"]) for text in [*SNIPPETS, prompt]},
            "special": {token: tokenizer.convert_tokens_to_ids(token) for token in (IM_END, END_OF_TEXT)},
            "eos_token_id": tokenizer.eos_token_id, "inputs": reference_inputs(tokenizer)}  # fmt: skip


class RecordedTokenizer:
    """The tokenizer as the verification uses it, answering from `record_answers`' record."""

    def __init__(self, record: dict[str, Any]) -> None:
        self.record = record
        self.eos_token_id = record["eos_token_id"]
        self.inputs: list[list[int]] = record["inputs"]

    def apply_chat_template(self, conversation: Any, tokenize: bool, add_generation_prompt: bool) -> str:
        return str(self.record["prompt"])

    def __call__(self, text: str, add_special_tokens: bool) -> dict[str, list[int]]:
        return {"input_ids": self.record["ids"][text]}

    def convert_tokens_to_ids(self, token: str) -> int:
        return int(self.record["special"][token])


def verify_gguf(path: Path, kind: str, tokenizer: Any, chat_template: str, architecture: str, inputs: list[list[int]],
                reference: list[Any], reference_name: str, kl_bound: float = Q4_K_M_KL_BOUND) -> tuple[Report, list[Any]]:  # fmt: skip
    """Check one file; returns its report and its own logits (the reference for quantized files)."""
    report = Report(path.name, kind)
    _check_metadata(report, gguf_fields(path), kind, tokenizer, chat_template, architecture)
    from llama_cpp import Llama, llama_vocab_is_eog

    llm = Llama(str(path), n_ctx=max(len(ids) for ids in inputs) + 8, logits_all=True, verbose=False,
                n_threads=os.cpu_count() or 1, n_gpu_layers=0)  # fmt: skip
    try:
        _check_tokens(report, llm, tokenizer, chat_template)
        for token in (IM_END, END_OF_TEXT):
            if not llama_vocab_is_eog(llm._model.vocab, tokenizer.convert_tokens_to_ids(token)):
                report.failures.append(f"{token} is not an end-of-generation token in llama.cpp")
        own = []
        for ids in inputs:
            llm.reset()
            llm.eval(ids)
            own.append(llm.scores[: len(ids)].copy())
    finally:
        llm.close()
    _compare_logits(report, own, reference, reference_name, kl_bound)
    return report, own


def _check_metadata(report: Report, fields: dict[str, Any], kind: str, tokenizer: Any, chat_template: str,
                    architecture: str) -> None:  # fmt: skip
    found = {
        "architecture": fields.get("general.architecture"),
        "file_type": fields.get("general.file_type"),
        "pre_tokenizer": fields.get("tokenizer.ggml.pre"),
        "eos_token_id": fields.get("tokenizer.ggml.eos_token_id"),
        "chat_template_equal": fields.get("tokenizer.chat_template") == chat_template,
    }
    report.metadata = found
    expected = {"architecture": architecture, "file_type": FILE_TYPES[kind], "eos_token_id": tokenizer.eos_token_id,
                "chat_template_equal": True}  # fmt: skip
    for key, value in expected.items():
        if found[key] != value:
            report.failures.append(f"metadata {key} = {found[key]!r}, expected {value!r}")
    if not found["pre_tokenizer"]:
        report.failures.append("metadata tokenizer.ggml.pre missing")


def _check_tokens(report: Report, llm: Any, tokenizer: Any, chat_template: str) -> None:
    prompt = tokenizer.apply_chat_template(CONVERSATION, tokenize=False, add_generation_prompt=True)
    texts = [*SNIPPETS, prompt]
    mismatched = []
    for index, text in enumerate(texts):
        hf = tokenizer(text, add_special_tokens=False)["input_ids"]
        gguf = llm.tokenize(text.encode("utf-8"), add_bos=False, special=True)
        if list(hf) != list(gguf):
            mismatched.append(index)
    report.tokens = {"texts": len(texts), "equal": not mismatched}
    if mismatched:
        report.failures.append(f"token ids differ from the Hugging Face tokenizer on text(s) {mismatched}")


def _compare_logits(report: Report, own: list[Any], reference: list[Any], reference_name: str, kl_bound: float) -> None:
    import numpy as np

    a = np.concatenate(reference).astype(np.float64)
    b = np.concatenate(own).astype(np.float64)
    top2 = np.sort(a, axis=-1)[:, -2:]
    decisive = (top2[:, 1] - top2[:, 0]) >= TIE_GAP
    agree = a.argmax(-1) == b.argmax(-1)
    top1 = float(agree[decisive].mean()) if decisive.any() else 1.0
    nmse = float(((a - b) ** 2).mean() / a.var())
    kl = _kl(a, b)
    report.logits = {"reference": reference_name, "positions": int(a.shape[0]), "top1_agreement": round(top1, 4),
                     "decisive_positions": int(decisive.sum()), "top1_all_positions": round(float(agree.mean()), 4),
                     "nmse": nmse, "kl_mean": float(kl.mean()), "kl_max": float(kl.max()),
                     "max_abs_diff": float(np.abs(a - b).max())}  # fmt: skip
    if report.kind in ("Q4_K_M", "Q8_0"):
        bound = kl_bound if report.kind == "Q4_K_M" else kl_bound / 10
        if not kl.mean() <= bound:
            report.failures.append(f"KL divergence vs {reference_name} {kl.mean():.4g} > {bound}")
    else:
        min_top1, max_nmse = SIXTEEN_BIT_BOUNDS[report.kind]
        if top1 < min_top1:
            report.failures.append(f"top-1 agreement with {reference_name} {top1:.4f} < {min_top1}")
        if not nmse <= max_nmse:
            report.failures.append(f"NMSE vs {reference_name} {nmse:.3g} > {max_nmse}")


def _kl(reference: Any, other: Any) -> Any:
    """KL(P_reference || P_other) per position, in nats."""
    import numpy as np

    def log_softmax(x: Any) -> Any:
        shifted = x - x.max(-1, keepdims=True)
        return shifted - np.log(np.exp(shifted).sum(-1, keepdims=True))

    p_log, q_log = log_softmax(reference), log_softmax(other)
    return (np.exp(p_log) * (p_log - q_log)).sum(-1)
