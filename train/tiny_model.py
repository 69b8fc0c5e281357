"""A tiny random Qwen2 model and an offline-trained tokenizer, so the demo and the tests need no
download: same architecture family, ChatML and FIM special tokens and chat template as the real
base models, at a size that trains dozens of steps a minute on two CPU cores."""

from __future__ import annotations

import hashlib
import json
import shutil
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from curate.atomic import write_text_atomic
from curate.jsonl import JsonLines
from curate.safeio import UnsafeFile, printable_path, read_guarded
from train.training.chat import END_OF_TEXT, SPECIAL_TOKENS, install_chat_template

TEXT_LIMIT = 64 << 20  # one corpus file for a toy tokenizer


@dataclass(frozen=True)
class TinyShape:
    """Default: hidden 64, 2 layers, 4 heads (2 KV heads), MLP 128."""

    hidden_size: int = 64
    num_hidden_layers: int = 2
    num_attention_heads: int = 4
    num_key_value_heads: int = 2
    intermediate_size: int = 128
    max_position_embeddings: int = 4096


def corpus_texts(files: list[Path]) -> Iterator[str]:
    """Raw text of Markdown/source files; for JSONL, the 'text' and message contents of each line.
    Files are read through the guarded readers: a FIFO or device link is a ValueError naming it."""
    for path in files:
        try:
            yield from _file_texts(path)
        except UnsafeFile as exc:
            raise ValueError(f"{printable_path(path)}: {exc.message}") from None


def _file_texts(path: Path) -> Iterator[str]:
    if path.suffix != ".jsonl":
        yield read_guarded(path, TEXT_LIMIT).decode("utf-8", errors="replace")
        return
    for item in JsonLines(path, encodings=("utf-8", "latin-1")):  # unreadable lines: skipped
        record = item.value
        if isinstance(record.get("text"), str):
            yield record["text"]
        for message in record.get("messages") or []:
            if isinstance(message, dict) and isinstance(message.get("content"), str):
                yield message["content"]


def default_corpus(root: Path) -> list[Path]:
    return sorted((root / "training-data").glob("**/*.md"))


def build_tokenizer(texts: list[str], vocab_size: int) -> Any:
    """Byte-level BPE (as Qwen's) with the ChatML and FIM special tokens and our chat template."""
    from tokenizers import Tokenizer, decoders, models, pre_tokenizers, trainers
    from transformers import PreTrainedTokenizerFast

    core = Tokenizer(models.BPE(unk_token=None))
    core.pre_tokenizer = pre_tokenizers.ByteLevel(add_prefix_space=False)
    core.decoder = decoders.ByteLevel()
    trainer = trainers.BpeTrainer(
        vocab_size=vocab_size,
        special_tokens=SPECIAL_TOKENS,
        initial_alphabet=pre_tokenizers.ByteLevel.alphabet(),
        show_progress=False,
    )
    core.train_from_iterator(texts, trainer)
    tokenizer = PreTrainedTokenizerFast(
        tokenizer_object=core,
        eos_token=END_OF_TEXT,
        pad_token=END_OF_TEXT,
        additional_special_tokens=SPECIAL_TOKENS[1:],
        model_max_length=1_000_000,
    )
    install_chat_template(tokenizer)
    return tokenizer


def build_tiny_model(out: Path, files: list[Path], vocab_size: int = 3072, seed: int = 0,
                     shape: TinyShape = TinyShape(), initializer_range: float = 0.2) -> dict[str, object]:  # fmt: skip
    """Write model + tokenizer + a card (inputs with hashes) to `out`, atomically (temp folder, rename).
    The default `initializer_range` 0.2 (ten times the usual) makes logits wide enough for LoRA to
    fit data in a few steps; the export tests use the usual 0.02, whose logits quantize like a
    real model's instead of amplifying rounding through chaotic layers."""
    import torch
    from transformers import Qwen2Config, Qwen2ForCausalLM

    texts = [text for text in corpus_texts(files) if text.strip()]
    if not texts:
        raise ValueError("no corpus text to train the tokenizer on (give --corpus files)")
    tokenizer = build_tokenizer(texts, vocab_size)
    config = Qwen2Config(
        vocab_size=len(tokenizer),
        hidden_size=shape.hidden_size,
        intermediate_size=shape.intermediate_size,
        num_hidden_layers=shape.num_hidden_layers,
        num_attention_heads=shape.num_attention_heads,
        num_key_value_heads=shape.num_key_value_heads,
        max_position_embeddings=shape.max_position_embeddings,
        rope_theta=1_000_000.0,
        tie_word_embeddings=True,
        initializer_range=initializer_range,
        bos_token_id=None,
        eos_token_id=tokenizer.eos_token_id,
        pad_token_id=tokenizer.pad_token_id,
    )
    torch.manual_seed(seed)
    model = Qwen2ForCausalLM(config)
    card = {
        "kind": "tiny random Qwen2 model (tests and CPU demo; not a language model)",
        "parameters": sum(p.numel() for p in model.parameters()),
        "vocab_size": len(tokenizer),
        "shape": shape.__dict__,
        "seed": seed,
        "initializer_range": initializer_range,
        "tokenizer_corpus": [{"path": str(p), "sha256": _sha256(p)} for p in files],
    }
    out = Path(out)
    out.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{out.name}.", dir=out.parent))
    try:
        model.save_pretrained(staging, safe_serialization=True)
        tokenizer.save_pretrained(staging)
        write_text_atomic(staging / "tiny-model.json", json.dumps(card, indent=2) + "\n")
        if out.exists():
            shutil.rmtree(out)
        staging.rename(out)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    return card


def _sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()
