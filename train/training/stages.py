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

from train.config import RunConfig
from train.training.backends import Backend
from train.training.chat import END_OF_TEXT, IGNORE_INDEX, tokenize_conversation
from train.training.metrics import MetricsLog, StepClock
from train.training.packing import label_rows, pack_blocks, pack_stats, split_held_out
from train.training.records import mix_in, read_conversations, read_texts, require_some
from train.training.rundir import RunDir


@dataclass
class StageData:
    train: Any  # datasets.Dataset with input_ids, labels
    validation: Any | None
    stats: dict[str, Any] = field(default_factory=dict)


def quiet_libraries() -> None:
    """Our progress line replaces the libraries' tqdm bars (dataset maps, shard writes)."""
    import datasets
    from transformers.utils import logging as hf_logging

    datasets.disable_progress_bars()
    hf_logging.disable_progress_bar()


def cpt_data(config: RunConfig, tokenizer: Any) -> StageData:
    """Corpus texts (+ general code) tokenized, joined with <|endoftext|>, cut into full blocks."""
    from datasets import Dataset

    texts = read_texts(config.data.corpus)
    require_some(texts, config.data.corpus, "corpus texts")
    general = read_texts(config.data.general_code) if config.data.general_code_share > 0 else []
    texts, mixed = mix_in(texts, general, config.data.general_code_share, config.seed)
    token_lists = tokenizer(texts, add_special_tokens=False, verbose=False)["input_ids"]
    eos_id = tokenizer.convert_tokens_to_ids(END_OF_TEXT)
    blocks = pack_blocks(token_lists, eos_id, config.max_seq_len)
    train, validation = split_held_out(blocks, config.cpt.validation_share, config.seed)
    stats = {"documents": len(texts), "general_code_documents": mixed, "train": pack_stats(train, config.max_seq_len).to_json(),
             "validation_blocks": len(validation)}  # fmt: skip
    return StageData(
        Dataset.from_dict(label_rows(train)), Dataset.from_dict(label_rows(validation)) if validation else None, stats
    )


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


def build_trainer(stage: str, config: RunConfig, model: Any, tokenizer: Any, data: StageData, output_dir: Path,
                  backend: Backend, clock: StepClock, callbacks: list) -> Any:  # fmt: skip
    """The stage's SFTTrainer on pre-tokenized input_ids + labels: TRL truncates and, in Stage 2 with
    packing on, packs best-fit into max_seq_len rows trained padding-free (no cross-sequence attention)."""
    from transformers.trainer_callback import PrinterCallback
    from trl import SFTConfig, SFTTrainer

    settings = config.stage(stage)
    has_eval = data.validation is not None
    on_cuda = backend.device == "cuda"
    packing = stage == "sft" and config.sft.packing
    args = SFTConfig(
        output_dir=str(output_dir),
        per_device_train_batch_size=settings.micro_batch_size,
        per_device_eval_batch_size=settings.micro_batch_size,
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
        packing=packing,
        packing_strategy="bfd",
        padding_free=packing,  # explicit: Unsloth would switch it on for Stage 1's full rows too
        assistant_only_loss=False,  # our labels already mask everything but the replies
        completion_only_loss=False,
        report_to="none",
        disable_tqdm=True,
        dataloader_num_workers=0,
        dataloader_pin_memory=on_cuda,
        optim="adamw_torch",
    )
    own_loss = not on_cuda or backend.name == "unsloth"
    collator = None
    if stage == "cpt" and own_loss:  # TRL's fused loss wants the mask; transformers' SDPA skips an all-ones one
        from trl.trainer.sft_trainer import DataCollatorForLanguageModeling

        collator = _FullRowCollator(DataCollatorForLanguageModeling(pad_token_id=tokenizer.pad_token_id))
    trainer = _counting_trainer(SFTTrainer, clock, own_loss)(
        model=model,
        args=args,
        train_dataset=data.train,
        eval_dataset=data.validation,
        processing_class=tokenizer,
        data_collator=collator,
        callbacks=callbacks,
    )
    trainer.remove_callback(PrinterCallback)
    return trainer


def run_stage(stage: str, config: RunConfig, model: Any, tokenizer: Any, data: StageData, run: RunDir,
              backend: Backend, console: Console, resume_from: Path | None) -> dict[str, Any]:  # fmt: skip
    """Train one stage to its end (or from `resume_from` to its end); save and return its summary."""
    from train.training.callbacks import MetricsCallback, ProgressCallback

    packing = stage == "cpt" or config.sft.packing
    clock = StepClock()
    log = MetricsLog(run.metrics_path)
    metrics = MetricsCallback(log, stage, clock)
    callbacks = [metrics, ProgressCallback(stage, metrics, console)]
    trainer = build_trainer(stage, config, model, tokenizer, data, run.stage_dir(stage), backend, clock, callbacks)
    rows = trainer.train_dataset["input_ids"]
    fill = sum(len(row) for row in rows) / (len(rows) * config.max_seq_len)
    run.log(f"{stage}: {len(rows)} rows of up to {config.max_seq_len} tokens, fill {fill:.1%} "
            f"(packing {'on' if packing else 'off'}); data {data.stats}")  # fmt: skip
    result = trainer.train(resume_from_checkpoint=str(resume_from) if resume_from else None)
    adapter = run.stage_dir(stage) / "adapter"
    trainer.save_model(str(adapter))
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
        def training_step(self, model, inputs, *args, **kwargs):
            ids = inputs["input_ids"]
            mask = inputs.get("attention_mask")
            clock.count(int(mask.sum()) if mask is not None else ids.numel(), ids.numel())
            return super().training_step(model, inputs, *args, **kwargs)

        def compute_loss(self, model, inputs, return_outputs=False, num_items_in_batch=None):
            if own_loss:
                return Trainer.compute_loss(self, model, inputs, return_outputs, num_items_in_batch)
            return super().compute_loss(model, inputs, return_outputs, num_items_in_batch)

    return CountingTrainer
