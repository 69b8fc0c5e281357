"""ChatML rendering and assistant-only labels for Stage 2.

Labels are built here, not by TRL's `assistant_only_loss`, so the masking is the same for every
tokenizer and TRL version: the conversation is rendered to ChatML text with the character span of
each assistant reply, tokenized once with offsets, and a token is trained on (label = its id) only
when it lies wholly inside a reply. Everything else is -100: system and user turns, every
`<|im_start|>role\\n` header (the assistant's included) and the newline between turns. The closing
`<|im_end|>` of a reply IS trained on: it is how the model learns to stop.

The same format ships as the tokenizer's chat template (with `{% generation %}` markers, so TRL's
and transformers' own assistant masks agree with ours) and is saved beside every adapter, so
inference renders prompts exactly as training did."""

from __future__ import annotations

from typing import Any

IM_START = "<|im_start|>"
IM_END = "<|im_end|>"
END_OF_TEXT = "<|endoftext|>"
FIM_TOKENS = ["<|fim_prefix|>", "<|fim_middle|>", "<|fim_suffix|>", "<|fim_pad|>"]
SPECIAL_TOKENS = [END_OF_TEXT, IM_START, IM_END, *FIM_TOKENS, "<|repo_name|>", "<|file_sep|>"]
IGNORE_INDEX = -100

CHATML_TEMPLATE = (
    "{%- for message in messages %}"
    "{%- if message['role'] == 'assistant' %}"
    "{{- '<|im_start|>assistant\\n' }}"
    "{% generation %}{{- message['content'] + '<|im_end|>' }}{% endgeneration %}"
    "{{- '\\n' }}"
    "{%- else %}"
    "{{- '<|im_start|>' + message['role'] + '\\n' + message['content'] + '<|im_end|>\\n' }}"
    "{%- endif %}"
    "{%- endfor %}"
    "{%- if add_generation_prompt %}{{- '<|im_start|>assistant\\n' }}{%- endif %}"
)


def render(messages: list[dict[str, str]]) -> tuple[str, list[tuple[int, int]]]:
    """ChatML text and the [start, end) character spans that carry loss (reply + `<|im_end|>`)."""
    parts: list[str] = []
    spans: list[tuple[int, int]] = []
    length = 0
    for message in messages:
        header = f"{IM_START}{message['role']}\n"
        body = f"{message['content']}{IM_END}"
        if message["role"] == "assistant":
            spans.append((length + len(header), length + len(header) + len(body)))
        turn = f"{header}{body}\n"
        parts.append(turn)
        length += len(turn)
    return "".join(parts), spans


def tokenize_conversation(tokenizer: Any, messages: list[dict[str, str]]) -> tuple[list[int], list[int]]:
    """(input_ids, labels): labels equal the ids inside assistant spans, -100 elsewhere."""
    text, spans = render(messages)
    encoded = tokenizer(text, add_special_tokens=False, return_offsets_mapping=True)
    input_ids: list[int] = encoded["input_ids"]
    labels = [IGNORE_INDEX] * len(input_ids)
    span_index = 0
    for position, (start, end) in enumerate(encoded["offset_mapping"]):
        while span_index < len(spans) and spans[span_index][1] <= start:
            span_index += 1
        if span_index == len(spans):
            break
        span_start, span_end = spans[span_index]
        if span_start <= start and end <= span_end and end > start:
            labels[position] = input_ids[position]
    return input_ids, labels


def install_chat_template(tokenizer: Any) -> None:
    """Give the tokenizer our ChatML template and make sure its special tokens exist."""
    missing = [token for token in SPECIAL_TOKENS if token not in tokenizer.get_vocab()]
    if missing:
        raise ValueError(f"tokenizer lacks special tokens {missing}: not a Qwen2-family tokenizer")
    tokenizer.chat_template = CHATML_TEMPLATE
    if tokenizer.pad_token is None:
        tokenizer.pad_token = END_OF_TEXT
