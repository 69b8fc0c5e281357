"""The typed run configuration of `bbj-train run`, loaded from TOML.

Every field carries a description (docs/training.md lists them all). Unknown keys are rejected
with their dotted name (`lora.rnak: unknown key`) so a typo never silently falls back to a default.
Imports no torch: validating a config must be instant."""

from __future__ import annotations

import re
import tomllib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    ValidationError,
    field_validator,
    model_validator,
)

from curate.diagnostics import Diagnostic, Severity
from curate.errors import ConfigError as CurateConfigError
from curate.safeio import CONFIG_LIMIT, UnsafeFile, read_text_guarded
from train.config_lines import key_line, toml_error_line

ALL_LINEAR = ["q_proj", "k_proj", "v_proj", "o_proj", "gate_proj", "up_proj", "down_proj"]
REAL_EFFECTIVE_BATCH = (32, 64)
REAL_SEQ_LEN = (2048, 4096)
StageName = Literal["cpt", "sft"]
STAGE_ORDER: tuple[StageName, ...] = ("cpt", "sft")


class ConfigError(CurateConfigError):
    """A run config that cannot be used; carries one diagnostic per bad key."""

    def __init__(self, diagnostics: list[Diagnostic]) -> None:
        super().__init__(diagnostics=diagnostics)


class KeyProblem(ValueError):
    """A check across keys that names the key at fault (dotted, relative to the table it runs on),
    so the diagnostic points at that key's line instead of the whole table."""

    def __init__(self, key: str, message: str) -> None:
        super().__init__(message)
        self.key = key


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, validate_default=True)


class DataConfig(_Strict):
    corpus: Path = Field(
        Path("build/corpus/corpus.jsonl"),
        description="Stage 1 corpus: JSONL, one {'text': str, 'meta': {...}} a line (FIM markers allowed). "
        "Relative paths are resolved against the folder `bbj-train run` is started from.",
    )
    split_dir: Path = Field(
        Path("build/split"),
        description="Folder holding the ChatML splits train.jsonl and validation.jsonl for Stage 2.",
    )
    general_code: Path | None = Field(
        None,
        description="Optional JSONL of general (non-BBj) code mixed in against forgetting: lines with 'text' join Stage 1, lines with 'messages' join Stage 2.",
    )
    general_code_share: float = Field(0.0, ge=0.0, le=0.5, description="Share (0-0.5) of each stage's examples drawn from general_code.")

    @model_validator(mode="after")
    def _general_code_needs_a_file(self) -> DataConfig:
        if self.general_code_share > 0 and self.general_code is None:
            raise KeyProblem("general_code_share", "data.general_code_share > 0 needs data.general_code (a JSONL file)")
        return self


class LoraSettings(_Strict):
    r: int = Field(32, ge=32, le=64, description="LoRA rank (32-64).")
    alpha: int | None = Field(None, ge=1, description="LoRA alpha; default 2 x r.")
    dropout: float = Field(0.05, ge=0.0, le=0.5, description="Dropout on the LoRA path.")
    target_modules: list[str] = Field(
        default_factory=lambda: list(ALL_LINEAR),
        min_length=1,
        description="Projections that get an adapter; default every linear layer of a Qwen2 block.",
    )

    @property
    def effective_alpha(self) -> int:
        return self.alpha if self.alpha is not None else 2 * self.r


class QuantizationConfig(_Strict):
    load_in_4bit: bool = Field(True, description="QLoRA: load the frozen base in 4 bit (GPU only; off on CPU).")
    quant_type: Literal["nf4", "fp4"] = Field("nf4", description="4-bit data type; NF4 is QLoRA's.")
    double_quant: bool = Field(True, description="Quantize the quantization constants too (saves ~0.4 bit/param).")
    compute_dtype: Literal["bfloat16", "float16"] = Field("bfloat16", description="Dtype of the matmuls on GPU (CPU always computes in float32).")


class StageConfig(_Strict):
    learning_rate: float = Field(gt=0.0, le=1e-2, description="Peak learning rate of this stage.")
    epochs: int = Field(1, ge=1, le=3, description="Passes over this stage's data (1-3).")
    max_steps: int | None = Field(None, ge=1, description="Stop after this many optimizer steps (demo and benchmarks); overrides epochs.")
    micro_batch_size: int = Field(4, ge=1, description="Sequences per forward pass (Stage 2 with packing: x max_seq_len = its token budget).")
    gradient_accumulation: int = Field(8, ge=1, description="Micro-batches per optimizer step.")
    eval_steps: int = Field(50, ge=1, description="Validation loss and a checkpoint every N optimizer steps.")
    logging_steps: int = Field(5, ge=1, description="Training loss logged every N optimizer steps.")
    warmup_ratio: float = Field(0.03, ge=0.0, le=0.5, description="Share of steps with a linear LR warm-up.")
    lr_scheduler: Literal["cosine", "linear", "constant_with_warmup"] = Field("cosine", description="Learning-rate schedule after warm-up.")
    weight_decay: float = Field(0.0, ge=0.0, le=1.0, description="AdamW weight decay on the adapter.")

    @property
    def effective_batch(self) -> int:
        return self.micro_batch_size * self.gradient_accumulation


class CptConfig(StageConfig):
    learning_rate: float = Field(5e-5, gt=0.0, le=1e-2, description="Peak learning rate of Stage 1.")
    validation_share: float = Field(0.02, ge=0.0, le=0.2, description="Share of packed corpus blocks held out for Stage 1's validation loss.")


class SftConfig(StageConfig):
    learning_rate: float = Field(2e-4, gt=0.0, le=1e-2, description="Peak learning rate of Stage 2.")
    packing: bool = Field(
        True,
        description="Group conversations by length into micro-batches of up to micro_batch_size x max_seq_len "
        "tokens, right-padded, without an attention mask; false: micro_batch_size conversations per padded batch.",
    )
    length_bucket: int = Field(
        128,
        ge=0,
        le=4096,
        description="With packing: pad each micro-batch's rows to a multiple of this many tokens (0: to its "
        "longest row), so training sees a few batch shapes and compiled kernels are reused (Unsloth on an "
        "H100: 0.67x the raw loop's tokens/s with exact lengths, 0.93x with 128; docs/benchmarks.md).",
    )


class RunConfig(_Strict):
    name: str = Field(description="Run name; the run folder is <output_dir>/<name>-<time>.")
    base_model: str = Field(description="Hugging Face model id or local folder of the base model.")
    backend: Literal["auto", "unsloth", "hf"] = Field("auto", description="auto: Unsloth when CUDA and unsloth are importable, else transformers + PEFT.")
    stages: list[StageName] = Field(default_factory=lambda: list(STAGE_ORDER), min_length=1, description="Stages to run, in order.")
    seed: int = Field(3407, ge=0, description="Seed of data order, LoRA init, dropout and the held-out split.")
    output_dir: Path = Field(Path("runs"), description="Folder that receives the run folders.")
    max_seq_len: int = Field(4096, ge=16, description="Tokens per training row (2048-4096 for real runs).")
    gradient_checkpointing: bool = Field(True, description="Recompute activations in backward to save memory.")
    small_scale: bool = Field(
        False,
        description="Allow an effective batch below 32 and max_seq_len below 2048: the CPU demo and tests only.",
    )
    report_to: list[Literal["tensorboard", "wandb"]] = Field(
        default_factory=list,
        description="Trackers that also receive the training logs (tensorboard, wandb); metrics.jsonl and loss.png are always written.",
    )
    data: DataConfig = Field(default_factory=DataConfig, description="Inputs.")
    lora: LoraSettings = Field(default_factory=LoraSettings, description="Adapter shape.")
    quantization: QuantizationConfig = Field(default_factory=QuantizationConfig, description="Base-model loading.")
    cpt: CptConfig = Field(default_factory=CptConfig, description="Stage 1: continued pretraining.")
    sft: SftConfig = Field(default_factory=SftConfig, description="Stage 2: instruction tuning.")

    @field_validator("name")
    @classmethod
    def _safe_name(cls, value: str) -> str:
        if not re.fullmatch(r"[A-Za-z0-9][A-Za-z0-9._-]{0,79}", value):
            raise ValueError("use letters, digits, '.', '_' and '-' (it names a folder)")
        return value

    @field_validator("stages")
    @classmethod
    def _ordered_stages(cls, value: list[str]) -> list[str]:
        if len(set(value)) != len(value) or value != sorted(value, key=STAGE_ORDER.index):
            raise ValueError("each stage once, cpt before sft")
        return value

    @model_validator(mode="after")
    def _real_sizes(self) -> RunConfig:
        if self.small_scale:
            return self
        low, high = REAL_SEQ_LEN
        if not low <= self.max_seq_len <= high:
            raise KeyProblem("max_seq_len", f"max_seq_len: {self.max_seq_len} is outside {low}-{high} (small_scale = true allows it)")
        low, high = REAL_EFFECTIVE_BATCH
        for stage in self.stages:
            settings: StageConfig = getattr(self, stage)
            if not low <= settings.effective_batch <= high:
                raise KeyProblem(
                    f"{stage}.micro_batch_size",
                    f"{stage}.micro_batch_size x {stage}.gradient_accumulation = {settings.effective_batch}: "
                    f"effective batch must be {low}-{high} (small_scale = true allows it)",
                )
        return self

    def stage(self, name: StageName) -> StageConfig:
        return self.cpt if name == "cpt" else self.sft


@dataclass(frozen=True)
class Override:
    """One `--set KEY=VALUE` (or an option that stands for one, like `--stages`): the dotted key,
    its value (TOML; a bare word is a string) and the argument a diagnostic names as its origin."""

    key: str
    value: Any
    origin: str

    @classmethod
    def parse(cls, text: str, origin: str | None = None) -> Override:
        origin = origin or f"--set {text}"
        key, sep, raw = text.partition("=")
        if not sep or not key.strip():
            raise ConfigError([_diag(origin, 0, "TRN003", f"--set {text}: expected KEY=VALUE, e.g. sft.learning_rate=1e-4")])
        try:
            value = tomllib.loads(f"v = {raw}")["v"]
        except tomllib.TOMLDecodeError:
            value = raw
        return cls(key.strip(), value, origin)


@dataclass(frozen=True)
class ConfigSource:
    """Where each key of a resolved run config was written: a line of the TOML file, or the
    `--set` argument that overrode it. Every diagnostic about a key (validation, pre-flight,
    backend choice) points there, never at a made-up place."""

    path: Path
    text: str = ""
    overrides: Mapping[str, str] = field(default_factory=dict)  # dotted key -> the argument that set it

    def locate(self, location: Sequence[str]) -> tuple[str, int]:
        """(path or argument, line) of a key given as its dotted parts; line 0 when no line applies."""
        for depth in range(len(location), 0, -1):
            origin = self.overrides.get(".".join(location[:depth]))
            if origin is not None:
                return origin, 0
        return str(self.path), key_line(self.text, list(location))

    def diagnostic(self, key: str, code: str, message: str) -> Diagnostic:
        where, line = self.locate(key.split("."))
        return _diag(where, line, code, message)


def load_config(path: Path) -> RunConfig:
    """Read and validate a run config; raises ConfigError naming each bad key (and its line)."""
    return read_config(path)[0]


def read_config(path: Path, overrides: Sequence[Override] = ()) -> tuple[RunConfig, ConfigSource]:
    """The config file with `overrides` applied on top, validated as one, and where each key came from."""
    path = Path(path)
    try:
        text = read_text_guarded(path, CONFIG_LIMIT)  # a FIFO or a /dev/zero link is refused, never read
    except UnsafeFile as exc:
        raise ConfigError([_diag(str(path), 0, "TRN001", f"cannot read config: {exc.message}")]) from None
    except UnicodeDecodeError as exc:
        raise ConfigError([_diag(str(path), 0, "TRN001", f"cannot read config: not UTF-8 ({exc.reason} at byte {exc.start})")]) from None
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError([_diag(str(path), toml_error_line(exc), "TRN001", f"TOML syntax error: {exc}")]) from None
    source = ConfigSource(path, text)
    config = config_from_mapping(data, source)  # the file alone first: its own errors point at its lines
    if not overrides:
        return config, source
    source = ConfigSource(path, text, {o.key: o.origin for o in overrides})
    resolved = config.model_dump(mode="json")
    for override in overrides:
        *parents, leaf = override.key.split(".")
        target = resolved
        for part in parents:
            child = target.get(part)
            if not isinstance(child, dict):
                raise ConfigError([_diag(override.origin, 0, "TRN002", f"{override.key}: {part} is not a table of the config")])
            target = child
        target[leaf] = override.value
    return config_from_mapping(resolved, source), source


def config_from_mapping(data: dict[str, Any], source: ConfigSource) -> RunConfig:
    try:
        return RunConfig.model_validate(data)
    except ValidationError as exc:
        raise ConfigError([_error_diagnostic(source, error) for error in exc.errors()]) from None


def _error_diagnostic(source: ConfigSource, error: Any) -> Diagnostic:
    location = [str(part) for part in error["loc"] if not isinstance(part, int)]
    problem = error.get("ctx", {}).get("error")
    if isinstance(problem, KeyProblem):
        location += problem.key.split(".")
    dotted = ".".join(location)
    kind = error["type"]
    if kind == "extra_forbidden":
        message = "unknown key"
    elif kind == "missing":
        message = "required key is missing"
    else:
        message = str(error["msg"]).removeprefix("Value error, ")
    if isinstance(problem, KeyProblem):
        message = str(problem)
    elif dotted:
        message = f"{dotted}: {message}"
    where, line = source.locate(location)
    return _diag(where, line, "TRN002", message)


def _diag(path: str, line: int, code: str, message: str) -> Diagnostic:
    return Diagnostic(path, line, 1 if line else 0, code, Severity.ERROR, message)
