"""Prompts in the training chat format: the system prompt the data pipeline writes for the
target generation (`train.data.chatml.system_prompt`) and the user's request, rendered as the
ChatML text the model was trained on plus the open assistant header. The same text the
tokenizer's chat template gives with `add_generation_prompt=True`."""

from __future__ import annotations

from train.data.chatml import IM_START, render_chatml, system_prompt

Messages = list[dict[str, str]]


def task_messages(prompt: str, generation: str = "all", from_generation: str | None = None, system: str | None = None) -> Messages:
    """[system, user] for a request; `system` overrides the pipeline's prompt (e.g. a test record's own)."""
    return [
        {"role": "system", "content": system if system is not None else system_prompt([generation], from_generation)},
        {"role": "user", "content": prompt},
    ]


def render_prompt(messages: Messages) -> str:
    """ChatML text of the conversation followed by `<|im_start|>assistant\\n`: what local
    backends (transformers, llama.cpp) continue."""
    return render_chatml(messages) + f"{IM_START}assistant\n"
