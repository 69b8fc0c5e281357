"""The two stages: their datasets (Stage 1 packed corpus blocks, Stage 2 assistant-labelled
conversations) and one TRL SFTTrainer run each, on pre-tokenized `input_ids` + `labels`.

Both stages train the SAME adapter: Stage 2 starts from Stage 1's adapter weights with a fresh
optimizer and schedule. No merge into the base is needed, which matters with a 4-bit base
(merging into NF4 weights would re-quantize them and lose precision)."""

from __future__ import annotations

import dataclasses
import statistics
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from rich.console import Console

from train.config import RunConfig, StageName
from train.training.backends import Backend
from train.training.chat import END_OF_TEXT, IGNORE_INDEX, tokenize_conversation
from train.training.metrics import MetricsLog, StepClock
from train.training.packing import (
    GroupStats,
    group_by_length,
    group_stats,
    label_rows,
    pack_blocks,
    pack_stats,
    padded_length,
    split_held_out,
)
from train.training.records import mix_in, read_conversations, read_texts, require_some
from train.training.rundir import RunDir


@dataclass
class StageData:
    train: Any  # datasets.Dataset with input_ids, labels
    validation: Any | None
    stats: dict[str, Any] = field(default_factory=dict)


def quiet_libraries() -> None:
    """Our progress line replaces the libraries' tqdm bars (dataset maps, shard writes), and a
    deprecation only the libraries can act on (PEFT and TRL read transformers' renamed
    `is_gradient_checkpointing`) does not interrupt the run's output."""
    import warnings

    import datasets
    from transformers.utils import logging as hf_logging

    datasets.disable_progress_bars()
    hf_logging.disable_progress_bar()
    warnings.filterwarnings("ignore", message=r"`is_gradient_checkpointing` is deprecated", category=FutureWarning)


def cpt_data(config: RunConfig, tokenizer: Any) -> StageData:
    """Corpus texts (+ general code) tokenized, joined with <|endoftext|>, cut into full blocks."""
    from datasets import Dataset

    texts = read_texts(config.data.corpus)
    require_some(texts, config.data.corpus, "corpus texts")
    general_code = config.data.general_code
    general = read_texts(general_code) if general_code is not None and config.data.general_code_share > 0 else []
    texts, mixed = mix_in(texts, general, config.data.general_code_share, config.seed)
    token_lists = tokenizer(texts, add_special_tokens=False, verbose=False)["input_ids"]
    eos_id = tokenizer.convert_tokens_to_ids(END_OF_TEXT)
    blocks = pack_blocks(token_lists, eos_id, config.max_seq_len)
    train, validation = split_held_out(blocks, config.cpt.validation_share, config.seed)
    stats = {"documents": len(texts), "general_code_documents": mixed, "train": pack_stats(train, config.max_seq_len).to_json(),
             "validation_blocks": len(validation)}  # fmt: skip
    return StageData(Dataset.from_dict(label_rows(train)), Dataset.from_dict(label_rows(validation)) if validation else None, stats)


def sft_data(config: RunConfig, tokenizer: Any) -> StageData:
    """ChatML splits (+ general code conversations), labelled on assistant tokens only."""
    from datasets import Dataset

    split = config.data.split_dir
    train = read_conversations(split / "train.jsonl")
    validation = read_conversations(split / "validation.jsonl")
    require_some(train, split / "train.jsonl", "conversations")
    general = []
    if config.data.general_code_share > 0 and config.data.general_code is not None:
        general = read_conversations(config.data.general_code, texts_allowed=True)
    train, mixed = mix_in(train, general, config.data.general_code_share, config.seed)

    def encode(conversations: list) -> tuple[Any, int, int]:
        """Rows cut to max_seq_len here (keep the start), not left to TRL or Unsloth, whose handling
        of pre-tokenized rows differs; a row left without a trained token is dropped."""
        rows = [tokenize_conversation(tokenizer, messages) for messages in conversations]
        too_long = sum(len(ids) > config.max_seq_len for ids, _ in rows)
        rows = [(ids[: config.max_seq_len], labels[: config.max_seq_len]) for ids, labels in rows]
        kept = [(ids, labels) for ids, labels in rows if any(label != IGNORE_INDEX for label in labels)]
        dataset = Dataset.from_dict({"input_ids": [r[0] for r in kept], "labels": [r[1] for r in kept]})
        return dataset, too_long, len(rows) - len(kept)

    train_set, train_long, train_dropped = encode(train)
    validation_set = encode(validation)[0] if validation else None
    stats = {"conversations": len(train), "general_code_conversations": mixed, "validation_conversations": len(validation),
             "truncated": train_long, "dropped_no_reply_left": train_dropped}  # fmt: skip
    return StageData(train_set, validation_set, stats)


REAL_TOKENS = "real_tokens"  # collator key: real (non-pad) tokens of the batch, removed before the forward pass
# Grouped dataset column: the lengths of the conversations concatenated in a row. TRL's own name for
# the document lengths of a packed row: Unsloth then leaves such rows uncut (it truncated a row of
# concatenated conversations to max_length before evaluation when the column had another name).
ROW_LENGTHS = "seq_lengths"


def group_dataset(dataset: Any, budget: int, seed: int, bucket: int = 0) -> tuple[Any, GroupStats]:
    """One row per micro-batch: the conversations of a `group_by_length` group, their input_ids and
    labels concatenated with their lengths in `seq_lengths` (TRL's packed-row format; flat, so every
    library that scans `input_ids` for token ids, as Unsloth's untrained-token check does, reads
    plain ids). The collator splits them again into right-padded rows."""
    from datasets import Dataset

    ids, labels = dataset["input_ids"], dataset["labels"]
    lengths = [len(row) for row in ids]
    groups = group_by_length(lengths, budget, seed, bucket)
    columns: dict[str, list] = {"input_ids": [], "labels": [], ROW_LENGTHS: []}
    for group in groups:
        columns["input_ids"].append([token for i in group for token in ids[i]])
        columns["labels"].append([label for i in group for label in labels[i]])
        columns[ROW_LENGTHS].append([lengths[i] for i in group])
    return Dataset.from_dict(columns), group_stats(lengths, groups, budget, bucket)


def build_trainer(stage: StageName, config: RunConfig, model: Any, tokenizer: Any, data: StageData, output_dir: Path,
                  backend: Backend, clock: StepClock, callbacks: list[Any]) -> Any:  # fmt: skip
    """The stage's SFTTrainer on pre-tokenized input_ids + labels. Stage 1: full blocks, no mask.
    Stage 2 with packing on: conversations grouped by length into token-budget micro-batches (one
    dataset row each, so the trainer's own seeded sampler orders them and a resume stays exact),
    right-padded and fed WITHOUT an attention mask (see packing.py); packing off: plain padded batches.
    `trainer.batch_stats` holds the Stage 2 grouping statistics (train, validation) when grouped."""
    from transformers.trainer_callback import PrinterCallback
    from trl import SFTConfig, SFTTrainer

    settings = config.stage(stage)
    has_eval = data.validation is not None
    on_cuda = backend.device == "cuda"
    grouped = stage == "sft" and config.sft.packing
    own_loss = not on_cuda or backend.name == "unsloth"
    train_set, validation_set, batch_stats = data.train, data.validation, None
    if grouped:
        budget = settings.micro_batch_size * config.max_seq_len
        bucket = config.sft.length_bucket
        train_set, train_stats = group_dataset(data.train, budget, config.seed, bucket)
        validation_stats = None
        if has_eval:
            validation_set, validation_stats = group_dataset(data.validation, budget, config.seed, bucket)
        batch_stats = {"train": train_stats, "validation": validation_stats}
    batch_size = 1 if grouped else settings.micro_batch_size  # a grouped dataset row IS a micro-batch
    args = SFTConfig(
        output_dir=str(output_dir),
        per_device_train_batch_size=batch_size,
        per_device_eval_batch_size=batch_size,
        gradient_accumulation_steps=settings.gradient_accumulation,
        learning_rate=settings.learning_rate,
        num_train_epochs=settings.epochs,
        max_steps=settings.max_steps or -1,
        lr_scheduler_type=settings.lr_scheduler,
        warmup_steps=settings.warmup_ratio,  # a float below 1 is a share of the steps
        weight_decay=settings.weight_decay,
        logging_steps=settings.logging_steps,
        eval_strategy="steps" if has_eval else "no",
        eval_steps=settings.eval_steps,
        save_strategy="steps",
        save_steps=settings.eval_steps,
        save_total_limit=2,
        load_best_model_at_end=has_eval,
        metric_for_best_model="eval_loss",
        greater_is_better=False,
        seed=config.seed,
        data_seed=config.seed,
        bf16=on_cuda and config.quantization.compute_dtype == "bfloat16",
        fp16=on_cuda and config.quantization.compute_dtype == "float16",
        **_no_trainer_checkpointing(SFTConfig),
        max_length=config.max_seq_len,
        packing=False,  # Stage 2 grouping is ours (TRL's bfd packing trains padding-free: one long masked row)
        padding_free=False,  # explicit: Unsloth would switch it on otherwise
        dataset_kwargs={"skip_prepare_dataset": True} if grouped else None,
        remove_unused_columns=not grouped,  # the grouped rows' seq_lengths reach the collator
        assistant_only_loss=False,  # our labels already mask everything but the replies
        completion_only_loss=False,
        report_to=list(config.report_to) or "none",
        disable_tqdm=True,
        dataloader_num_workers=0,
        dataloader_pin_memory=on_cuda,
        optim="adamw_torch",
        use_cpu=not on_cuda,  # with several CPU workers accelerate then joins them over gloo
        ddp_find_unused_parameters=False,  # every adapter weight gets a gradient; the search costs a pass
    )
    collator: _FullRowCollator | GroupedBatchCollator | None = None
    if stage == "cpt" and own_loss:  # TRL's fused loss wants the mask; transformers' SDPA skips an all-ones one
        from trl.trainer.sft_trainer import DataCollatorForLanguageModeling

        collator = _FullRowCollator(DataCollatorForLanguageModeling(pad_token_id=tokenizer.pad_token_id))
    if grouped:
        pad_id = tokenizer.pad_token_id if tokenizer.pad_token_id is not None else tokenizer.eos_token_id
        collator = GroupedBatchCollator(
            pad_id, position_ids=not own_loss, bucket=config.sft.length_bucket, budget=settings.micro_batch_size * config.max_seq_len
        )
    trainer = _counting_trainer(SFTTrainer, clock, own_loss)(
        model=model,
        args=args,
        train_dataset=train_set,
        eval_dataset=validation_set,
        processing_class=tokenizer,
        data_collator=collator,
        callbacks=callbacks,
    )
    trainer.remove_callback(PrinterCallback)
    trainer.batch_stats = batch_stats
    return trainer


def run_stage(stage: StageName, config: RunConfig, model: Any, tokenizer: Any, data: StageData, run: RunDir,
              backend: Backend, console: Console, resume_from: Path | None) -> dict[str, Any]:  # fmt: skip
    """Train one stage to its end (or from `resume_from` to its end); save and return its summary."""
    from train.training.callbacks import MetricsCallback, ProgressCallback

    clock = StepClock()
    log = MetricsLog(run.metrics_path)
    metrics = MetricsCallback(log, stage, clock)
    callbacks = [metrics, ProgressCallback(stage, metrics, console)]
    trainer = build_trainer(stage, config, model, tokenizer, data, run.stage_dir(stage), backend, clock, callbacks)
    grouping = trainer.batch_stats
    if grouping is not None:
        train = grouping["train"]
        fill = train.fill
        data.stats["grouping"] = {name: stats.to_json() for name, stats in grouping.items() if stats is not None}
        run.log(f"{stage}: {train.examples} conversations in {train.micro_batches} length-grouped micro-batches of "
                f"up to {train.budget} tokens (rows x longest), right-padded, no attention mask: non-padding "
                f"{train.non_padding_share:.1%}, budget fill {fill:.1%}; data {data.stats}")  # fmt: skip
    else:
        rows = trainer.train_dataset["input_ids"]
        fill = sum(len(row) for row in rows) / (len(rows) * config.max_seq_len)
        how = "full blocks" if stage == "cpt" else "packing off: padded batches"
        run.log(f"{stage}: {len(rows)} rows of up to {config.max_seq_len} tokens, fill {fill:.1%} ({how}); "
                f"data {data.stats}")  # fmt: skip
    result = trainer.train(resume_from_checkpoint=str(resume_from) if resume_from else None)
    adapter = run.stage_dir(stage) / "adapter"
    trainer.save_model(str(adapter))  # the Trainer writes on the main worker only
    if run.writes:
        tokenizer.save_pretrained(str(adapter))
    steps = [r for r in log.records() if r.get("stage") == stage and r.get("kind") == "step"]
    summary = {
        "stage": stage,
        "steps": trainer.state.global_step,
        "train_loss": result.training_loss,
        "best_checkpoint": trainer.state.best_model_checkpoint,
        "best_eval_loss": trainer.state.best_metric,
        "row_fill": round(fill, 4),
        "non_padding_share": round(sum(r["tokens"] for r in steps) / max(1, sum(r["slot_tokens"] for r in steps)), 4),
        "median_tokens_per_s": statistics.median(r["tokens_per_s"] for r in steps) if steps else None,
        "data": data.stats,
    }
    run.mark_stage_done(stage, summary)
    run.log(f"{stage}: done after {summary['steps']} steps; best eval loss {summary['best_eval_loss']}")
    return summary


class GroupedBatchCollator:
    """Stage 2 with packing on: a dataset row is one pre-grouped micro-batch (several conversations
    of similar length, concatenated, with their `seq_lengths`). Unwraps it into a right-padded
    batch: pads get `pad_token_id` and label -100, and there is NO attention mask. With right
    padding and causal attention no real token attends to a pad (pads come after it), so every
    real token's logits equal the masked batch's, and without a mask attention takes the fast
    causal kernel (SDPA's flash path) on both backends.

    `real_tokens` (tokens without pads, for honest tokens/s) is removed by the trainer before the
    forward pass. `position_ids` (0..n-1 on every row, which transformers reads as unpacked rows)
    only where TRL's own loss needs a mask or positions: the hf backend on CUDA."""

    def __init__(self, pad_token_id: int, position_ids: bool = False, bucket: int = 0, budget: int = 0) -> None:
        self.pad_token_id = pad_token_id
        self.position_ids = position_ids
        self.bucket = bucket  # rows padded to a multiple of it (packing.padded_length), capped at the budget
        self.budget = budget

    def __call__(self, examples: list[dict[str, Any]]) -> dict[str, Any]:
        import torch

        ids, labels = [], []
        for example in examples:
            start = 0
            for length in example[ROW_LENGTHS]:
                ids.append(example["input_ids"][start : start + length])
                labels.append(example["labels"][start : start + length])
                start += length
            if start != len(example["input_ids"]):
                total = len(example["input_ids"])
                raise ValueError(f"{ROW_LENGTHS} add up to {start}, not to the row's {total} tokens (something cut the grouped row)")
        longest = max(len(row) for row in ids)
        if self.bucket > 1:
            longest = padded_length(longest, self.bucket, self.budget or longest)
        input_ids = torch.full((len(ids), longest), self.pad_token_id, dtype=torch.long)
        label_ids = torch.full((len(ids), longest), IGNORE_INDEX, dtype=torch.long)
        for index, (row, row_labels) in enumerate(zip(ids, labels, strict=True)):
            input_ids[index, : len(row)] = torch.tensor(row, dtype=torch.long)
            label_ids[index, : len(row)] = torch.tensor(row_labels, dtype=torch.long)
        batch: dict[str, Any] = {"input_ids": input_ids, "labels": label_ids}
        if self.position_ids:
            batch["position_ids"] = torch.arange(longest, dtype=torch.long).repeat(len(ids), 1)
        batch[REAL_TOKENS] = sum(len(row) for row in ids)
        return batch


class _FullRowCollator:
    """Stage 1 rows are whole max_seq_len blocks: a batch without padding needs no attention mask,
    and without one both backends take plain causal attention instead of a masked path."""

    def __init__(self, inner: Any) -> None:
        self.inner = inner

    def __call__(self, examples: list[dict[str, Any]]) -> dict[str, Any]:
        batch = self.inner(examples)
        if bool(batch["attention_mask"].all()):
            del batch["attention_mask"]
        return batch


def _no_trainer_checkpointing(config_class: type) -> dict[str, bool]:
    """Activation checkpointing is the backend's job (Unsloth's or PEFT's flavour): off in the
    trainer, under whichever name this transformers version uses."""
    names = {f.name for f in dataclasses.fields(config_class)}
    return {"activation_checkpointing" if "activation_checkpointing" in names else "gradient_checkpointing": False}


def _counting_trainer(base: type, clock: StepClock, own_loss: bool) -> type:
    """The trainer, counting real and padded tokens of every micro-batch for tokens/s.

    With `own_loss` the loss is the model's own cross-entropy instead of TRL's fused LM-head loss:
    under Unsloth its fused cross-entropy kernel is the faster one, and on CPU TRL's needs Triton
    (TRL 1.15 uses it unconditionally), which CPU builds of torch lack. Labels are the same."""
    from transformers import Trainer

    class CountingTrainer(base):
        def training_step(self, model: Any, inputs: dict[str, Any], *args: Any, **kwargs: Any) -> Any:
            ids = inputs["input_ids"]
            real = inputs.pop(REAL_TOKENS, None)
            if real is None:
                mask = inputs.get("attention_mask")
                real = int(mask.sum()) if mask is not None else ids.numel()
            clock.count(int(real), ids.numel())
            return super().training_step(model, inputs, *args, **kwargs)

        def prediction_step(self, model: Any, inputs: dict[str, Any], *args: Any, **kwargs: Any) -> Any:
            inputs.pop(REAL_TOKENS, None)
            return super().prediction_step(model, inputs, *args, **kwargs)

        def compute_loss(self, model: Any, inputs: dict[str, Any], return_outputs: bool = False, num_items_in_batch: Any = None) -> Any:
            if own_loss:
                return Trainer.compute_loss(self, model, inputs, return_outputs, num_items_in_batch)
            return super().compute_loss(model, inputs, return_outputs, num_items_in_batch)

    return CountingTrainer
