"""Stage 2 trains on assistant tokens only: labels are -100 on every system, user and template
token (the `<|im_start|>assistant\\n` header included) and equal the input ids on every assistant
content token and the reply's closing `<|im_end|>`; checked on the batches TRL's trainer really
feeds the model, with packing on (length-grouped, right-padded, no attention mask) and off (padded,
masked), plus: a right-padded batch without a mask gives the real tokens the same logits and loss
as with the mask, and packed rows never attend across sequences."""

from __future__ import annotations

import random
from pathlib import Path

import pytest
import torch
from training_helpers import config_text, conversation

from train.config import load_config
from train.training.chat import (
    IGNORE_INDEX,
    IM_END,
    IM_START,
    render,
    tokenize_conversation,
)

CONVERSATIONS = {
    "system-user-assistant": [
        {"role": "system", "content": "You are an expert BBj programmer."},
        {"role": "user", "content": "Print hello."},
        {"role": "assistant", "content": 'PRINT "hello"\nEND'},
    ],
    "no-system": [
        {"role": "user", "content": "Open a window."},
        {"role": "assistant", "content": '```bbj\nwindow! = sysgui!.addWindow(1, 1, 200, 100, "Hi")\n```'},
    ],
    "multi-turn": [
        {"role": "system", "content": "Be brief."},
        {"role": "user", "content": "Loop to 3."},
        {"role": "assistant", "content": "FOR i = 1 TO 3\nNEXT i"},
        {"role": "user", "content": "Now print i."},
        {"role": "assistant", "content": "FOR i = 1 TO 3\n  PRINT i\nNEXT i"},
    ],
    "assistant-first-line-blank": [
        {"role": "user", "content": "Explain REM."},
        {"role": "assistant", "content": "REM starts a comment: REM like this"},
    ],
}


def expected_labels(tokenizer, ids: list[int]) -> list[int]:
    """Independent oracle from the token ids alone: walk the ChatML structure turn by turn."""
    start, end = tokenizer.convert_tokens_to_ids([IM_START, IM_END])
    labels = [IGNORE_INDEX] * len(ids)
    position = 0
    while position < len(ids):
        assert ids[position] == start, f"turn does not start with {IM_START} at {position}"
        header_end = position + 1
        while not tokenizer.decode(ids[position + 1 : header_end]).endswith("\n"):
            header_end += 1
        role = tokenizer.decode(ids[position + 1 : header_end]).strip()
        close = ids.index(end, header_end)
        if role == "assistant":
            labels[header_end : close + 1] = ids[header_end : close + 1]
        assert tokenizer.decode([ids[close + 1]]) == "\n"
        position = close + 2
    return labels


@pytest.mark.parametrize("name", sorted(CONVERSATIONS))
def test_labels_cover_assistant_replies_only(tokenizer, name: str) -> None:
    messages = CONVERSATIONS[name]
    ids, labels = tokenize_conversation(tokenizer, messages)
    assert labels == expected_labels(tokenizer, ids)
    start = tokenizer.convert_tokens_to_ids(IM_START)
    header = tokenizer("assistant\n", add_special_tokens=False)["input_ids"]
    for position in [p for p, token in enumerate(ids) if token == start]:
        assert labels[position : position + 1 + len(header)] == [IGNORE_INDEX] * (1 + len(header))
    trained = tokenizer.decode([i for i, label in zip(ids, labels, strict=True) if label != IGNORE_INDEX])
    replies = "".join(m["content"] + IM_END for m in messages if m["role"] == "assistant")
    assert trained == replies
    assert sum(label != IGNORE_INDEX for label in labels) < len(labels)


@pytest.mark.parametrize("name", sorted(CONVERSATIONS))
def test_template_and_transformers_mask_agree(tokenizer, name: str) -> None:
    """The shipped chat template renders what we train on, and its {% generation %} markers give
    transformers' own assistant mask the same tokens."""
    messages = CONVERSATIONS[name]
    text, _ = render(messages)
    assert tokenizer.apply_chat_template(messages, tokenize=False) == text
    ids, labels = tokenize_conversation(tokenizer, messages)
    native = tokenizer.apply_chat_template(messages, return_assistant_tokens_mask=True, return_dict=True)
    assert native["input_ids"] == ids
    assert native["assistant_masks"] == [int(label != IGNORE_INDEX) for label in labels]
    prompt = tokenizer.apply_chat_template(messages[:-1], tokenize=False, add_generation_prompt=True)
    assert text.startswith(prompt) and prompt.endswith(f"{IM_START}assistant\n")


@pytest.fixture(scope="module")
def peft_model(tiny_model: Path, inputs: dict[str, Path], tmp_path_factory: pytest.TempPathFactory):
    from train.training.backends import Backend, load_model

    folder = tmp_path_factory.mktemp("masking")
    path = folder / "run.toml"
    path.write_text(config_text(tiny_model, inputs, folder / "runs", top={"max_seq_len": 1024}), encoding="utf-8")
    config = load_config(path)
    model, _ = load_model(config, Backend("hf", "cpu", "test"))
    return config, model


@pytest.mark.parametrize(("packing", "bucket"), [(True, 0), (True, 128), (False, 0)],
                         ids=["packing-on", "packing-on-bucket-128", "packing-off"])  # fmt: skip
def test_trainer_batches_are_masked(peft_model, tokenizer, tmp_path: Path, packing: bool, bucket: int) -> None:
    from train.training.backends import Backend
    from train.training.metrics import StepClock
    from train.training.packing import padded_length
    from train.training.stages import REAL_TOKENS, build_trainer, sft_data

    config, model = peft_model
    config = config.model_copy(update={"sft": config.sft.model_copy(update={"packing": packing, "length_bucket": bucket})})
    data = sft_data(config, tokenizer)
    assert data.stats["truncated"] == 0
    expected = {tuple(row["input_ids"]): row["labels"] for row in data.train}
    trainer = build_trainer("sft", config, model, tokenizer, data, tmp_path, Backend("hf", "cpu", "test"), StepClock(), [])
    budget = config.sft.micro_batch_size * config.max_seq_len
    pad = tokenizer.pad_token_id
    seen, batches = [], 0
    for batch in trainer.get_train_dataloader():
        ids, labels = batch["input_ids"], batch["labels"]
        batches += 1
        if packing:
            # right-padded rows, no mask (and no positions): rows x longest within the token budget
            assert "attention_mask" not in batch and "position_ids" not in batch
            assert ids.numel() <= budget
            lengths = [int((row != pad).nonzero().max()) + 1 for row in ids]
            assert ids.shape[1] == padded_length(max(lengths), bucket, budget) and batch[REAL_TOKENS] == sum(lengths)
            if bucket:
                assert ids.shape[1] % bucket == 0 or ids.shape[1] == budget, "rows padded to the bucket"
            for row, length in enumerate(lengths):
                assert (ids[row, length:] == pad).all() and (labels[row, length:] == IGNORE_INDEX).all()
            segments = [(ids[r, :n].tolist(), labels[r, :n].tolist()) for r, n in enumerate(lengths)]
        else:
            mask = batch["attention_mask"].bool()
            assert (labels[~mask] == IGNORE_INDEX).all()
            segments = [(ids[r][mask[r]].tolist(), labels[r][mask[r]].tolist()) for r in range(ids.shape[0])]
        for segment_ids, segment_labels in segments:
            assert segment_labels == expected[tuple(segment_ids)]
            assert segment_labels == expected_labels(tokenizer, segment_ids), "the oracle agrees"
            seen.append(tuple(segment_ids))
    assert sorted(seen) == sorted(expected), "every conversation exactly once per epoch"
    if packing:
        assert batches < len(data.train) / config.sft.micro_batch_size, "short conversations share micro-batches"
        assert trainer.batch_stats["train"].micro_batches == batches


def test_grouped_rows_keep_trl_packed_format(peft_model, tokenizer, tmp_path: Path) -> None:
    """A grouped row is TRL's packed-row format (input_ids, labels, seq_lengths), so Unsloth leaves it
    uncut (it truncated such rows to max_length before evaluation under another column name), and the
    collator refuses a row whose lengths no longer add up instead of training on shifted rows."""
    from train.training.backends import Backend
    from train.training.metrics import StepClock
    from train.training.stages import ROW_LENGTHS, build_trainer, sft_data

    config, model = peft_model
    data = sft_data(config, tokenizer)
    trainer = build_trainer("sft", config, model, tokenizer, data, tmp_path, Backend("hf", "cpu", "test"), StepClock(), [])
    assert ROW_LENGTHS == "seq_lengths"
    for dataset in (trainer.train_dataset, trainer.eval_dataset):
        assert sorted(dataset.column_names) == ["input_ids", "labels", "seq_lengths"]
        for row in dataset:
            assert sum(row["seq_lengths"]) == len(row["input_ids"]) == len(row["labels"])
    assert max(len(row) for row in trainer.train_dataset["input_ids"]) > config.max_seq_len, "rows span conversations"
    row = max(trainer.train_dataset, key=lambda r: len(r["input_ids"]))
    cut = {**row, "input_ids": row["input_ids"][: config.max_seq_len], "labels": row["labels"][: config.max_seq_len]}
    with pytest.raises(ValueError, match="something cut the grouped row"):
        trainer.data_collator([cut])


@pytest.mark.parametrize("positions", [False, True], ids=["no-positions", "plain-positions"])
def test_right_padded_batch_needs_no_mask(peft_model, tokenizer, positions: bool) -> None:
    """Per-token logits and the loss on real tokens are the same with and without the attention
    mask when padding is on the right: a real token never attends to a later position. Plain
    0..n-1 position ids (the hf backend on CUDA gets them) change nothing."""
    from train.training.stages import REAL_TOKENS, ROW_LENGTHS, GroupedBatchCollator

    _, model = peft_model
    rng = random.Random(9)
    rows = [tokenize_conversation(tokenizer, conversation(rng, i, turns=1 + i % 3)["messages"]) for i in range(5)]
    lengths = [len(ids) for ids, _ in rows]
    assert len(set(lengths)) > 1
    flat = {"input_ids": [t for ids, _ in rows for t in ids], "labels": [t for _, labels in rows for t in labels],
            ROW_LENGTHS: lengths}  # fmt: skip
    batch = GroupedBatchCollator(tokenizer.pad_token_id, position_ids=positions)([flat])
    assert batch.pop(REAL_TOKENS) == sum(lengths) and "attention_mask" not in batch
    assert ("position_ids" in batch) == positions
    mask = torch.zeros_like(batch["input_ids"])
    for row, length in enumerate(lengths):
        mask[row, :length] = 1
    model.eval()
    with torch.no_grad():
        maskless = model(**batch)
        masked = model(input_ids=batch["input_ids"], labels=batch["labels"], attention_mask=mask)
        for row, (ids, _) in enumerate(rows):
            alone = model(input_ids=torch.tensor([ids])).logits[0]
            torch.testing.assert_close(maskless.logits[row, : len(ids)], alone, atol=1e-4, rtol=1e-4)
    model.train()
    real = mask.bool()
    torch.testing.assert_close(maskless.logits[real], masked.logits[real], atol=1e-4, rtol=1e-4)
    torch.testing.assert_close(maskless.loss, masked.loss, atol=1e-5, rtol=1e-5)
    assert torch.isfinite(maskless.loss)


def test_packed_rows_do_not_attend_across_sequences(peft_model, tokenizer) -> None:
    _, model = peft_model
    rng = random.Random(5)
    sequences = [tokenize_conversation(tokenizer, conversation(rng, i)["messages"])[0] for i in range(3)]
    flat = torch.tensor([[t for s in sequences for t in s]])
    positions = torch.tensor([[p for s in sequences for p in range(len(s))]])
    model.eval()
    with torch.no_grad():
        packed = model(input_ids=flat, position_ids=positions).logits[0]
        offset = 0
        for sequence in sequences:
            alone = model(input_ids=torch.tensor([sequence])).logits[0]
            torch.testing.assert_close(packed[offset : offset + len(sequence)], alone, atol=1e-4, rtol=1e-4)
            offset += len(sequence)
    model.train()


def test_long_conversations_are_cut_and_reply_less_rows_dropped(peft_model, tokenizer, tmp_path: Path) -> None:
    from training_helpers import write_jsonl

    from train.training.stages import sft_data

    config, _ = peft_model
    long_prompt = {"role": "user", "content": "REM " + "x = x + 1\n" * 400}
    reply = {"role": "assistant", "content": "PRINT x"}
    records = [{"messages": [long_prompt, reply]}, {"messages": [{"role": "user", "content": "hi"}, reply]},
               {"messages": [{"role": "user", "content": "hi"}, {**reply, "content": "PRINT x\n" * 400}]}]  # fmt: skip
    write_jsonl(tmp_path / "split" / "train.jsonl", records)
    write_jsonl(tmp_path / "split" / "validation.jsonl", records[1:2])
    config = config.model_copy(update={"data": config.data.model_copy(update={"split_dir": tmp_path / "split"})})
    data = sft_data(config, tokenizer)
    assert (data.stats["truncated"], data.stats["dropped_no_reply_left"]) == (2, 1)
    assert len(data.train) == 2
    assert all(len(row["input_ids"]) <= config.max_seq_len for row in data.train)
    cut = max(data.train, key=lambda row: len(row["input_ids"]))
    assert len(cut["input_ids"]) == config.max_seq_len and cut["labels"][-1] == cut["input_ids"][-1]
