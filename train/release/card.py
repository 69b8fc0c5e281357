"""The model card (`README.md`) of a release folder: what was merged from what, with hashes;
how it was trained and how far its loss fell; the verification numbers of every GGUF; licence
notes; intended use and limits."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from curate.safeio import UnsafeFile, read_json_guarded


def render_card(release: dict[str, Any]) -> str:
    name, base, run = release["name"], release["base"], release["run"]
    lines = [
        f"# {name}",
        "",
        "A BBj code model: the LoRA adapter trained by `bbj-train run`, merged into its 16-bit base, converted to",
        "GGUF with llama.cpp's own converter and quantized with llama.cpp. Made by `bbj-train export`.",
        "",
        "## Use",
        "",
        "```",
        f"ollama create {name} -f Modelfile",
        f'ollama run {name} "Write a BBj program that opens a window with an OK button."',
        "```",
        "",
        f"Without Ollama: `bbj-train serve {release['folder']}` (OpenAI-compatible API on 127.0.0.1).",
        "The chat format is ChatML; stop at `<|im_end|>` (and `<|endoftext|>`).",
        "",
        "## Files",
        "",
        "| file | sha256 |",
        "|---|---|",
        *[f"| `{f}` | `{digest}` |" for f, digest in release["files"].items()],
        "",
        "`adapter/` holds the unmerged LoRA adapter for servers that load adapters directly (e.g. vLLM `--enable-lora`).",
        "",
        "## Base model",
        "",
        f"- name: `{run.get('base_model')}`; merged from the 16-bit weights in `{base['path']}`",
        f"- parameters: {base['parameters']:,}; fingerprint `{base['fingerprint']}`",
        *[f"- `{shard}` sha256 `{digest}`" for shard, digest in base["shards"].items()],
        "",
        "## Training",
        "",
        f"- run `{run['folder']}`, config `{run.get('config_name')}`, finished {run.get('finished')}",
        (
            f"- adapter: LoRA r={release['adapter']['r']}, alpha={release['adapter']['alpha']}, "
            f"rsLoRA={release['adapter']['rslora']}, {release['adapter']['modules']} modules merged"
        ),
        f"- context length (training rows): {release['num_ctx']} tokens",
        "",
        "| stage | steps | final train loss | best validation loss |",
        "|---|---|---|---|",
        *[f"| {stage} | {s.get('steps')} | {_num(s.get('train_loss'))} | {_num(s.get('best_eval_loss'))} |" for stage, s in (run.get("stages") or {}).items()],
        "",
        "Training data (files with their sha256; the data cards beside them describe how each was built):",
        "",
        *[
            f"- `{key}`: `{entry['path']}` sha256 `{entry['sha256']}`" + (f"; data card `{entry['card']}`" if entry.get("card") else "")
            for key, entry in run.get("inputs", {}).items()
        ],
        "",
        "## Verification",
        "",
        (
            "Each GGUF was loaded with llama.cpp (llama-cpp-python "
            f"{release['versions'].get('llama-cpp-python')}) and compared on fixed BBj snippets and a rendered ChatML prompt."
        ),
        "",
        "| file | token ids = HF | top-1 agreement | NMSE | KL mean (nats) | reference |",
        "|---|---|---|---|---|---|",
        *[_verification_row(report) for report in release["verification"]],
        "",
        (
            "Metadata checked in every file: architecture, file type, pre-tokenizer "
            f"(`{release['verification'][0]['metadata'].get('pre_tokenizer')}`), end-of-sequence id, `<|im_end|>` and "
            "`<|endoftext|>` as end-of-generation, embedded chat template = the trained one."
        ),
        "",
        "## Evaluation",
        "",
        *_evaluation(release.get("evaluation")),
        "",
        "## Licence",
        "",
        (
            "The weights derive from the base model and carry its licence (Qwen2.5-Coder 0.5B/1.5B/7B/14B/32B: Apache-2.0; "
            "3B: Qwen Research License). The BBj training examples are the curators' own writing. GGUF conversion and "
            "quantization code: llama.cpp (MIT)."
        ),
        "",
        "## Intended use and limits",
        "",
        (
            "Writing, explaining and migrating BBj code (character mode, Visual PRO/5, BBj GUI, DWC) for developers who "
            "review what it writes. It can still invent methods or verbs: compile what it writes (`bbj-curate check`, "
            "BASIS `bbjcpl`) before use. Not for non-code tasks; general coding skill may be below the base model's."
        ),
        "",
    ]
    return "\n".join(lines)


CARD_LIMIT = 16 << 20  # a data card lists files and counts: kilobytes


def data_card(path: Path) -> str | None:
    """The data card written next to a pipeline output (card.json), if any."""
    card = path.parent / "card.json"  # beside a path run.json names: read through the guarded reader
    if not card.exists():
        return None
    try:
        data = read_json_guarded(card, CARD_LIMIT)
    except (UnsafeFile, ValueError):
        return str(card)
    return str(data.get("name") or card) if isinstance(data, dict) else str(card)


def _evaluation(evaluation: dict[str, Any] | None) -> list[str]:
    if not evaluation:
        return ["Not evaluated by the export (`--eval-cases N` adds compile@1 per file): run `bbj-train eval` against the served model."]
    checker = evaluation["checker"]
    return [
        f"compile@1 (greedy, first reply) on {len(evaluation['cases'])} fixed benchmark cases "
        f"({', '.join(str(c) for c in evaluation['cases'])}), judged by {checker['name']} {checker['version']}:",
        "",
        "| file | compiled | compile@1 |",
        "|---|---|---|",
        *[f"| `{r['file']}` | {r['passed']}/{r['cases']} | {r['compile_at_1']} |" for r in evaluation["results"]],
    ]


def _verification_row(report: dict[str, Any]) -> str:
    logits = report["logits"]
    tokens = "yes" if report["tokens"].get("equal") else "NO"
    return (
        f"| `{report['file']}` | {tokens} | {logits['top1_agreement']} ({logits['decisive_positions']}/"
        f"{logits['positions']} decisive) | {logits['nmse']:.3g} | {logits['kl_mean']:.3g} | {logits['reference']} |"
    )


def _num(value: Any) -> str:
    return f"{value:.4f}" if isinstance(value, float) else str(value)
