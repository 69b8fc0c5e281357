"""The typed eval configuration (`configs/eval-*.toml`): which cases, which models, how to decode.

Unknown keys are rejected by dotted name, as in the training config. A model's backend decides
which fields it needs: `transformers` (model = hub id or local folder, optional adapter folder;
a glob such as `runs/tiny-*/adapter` picks the newest match), `llamacpp` (gguf = file),
`openai` (base_url, model, api_key_env = the NAME of the environment variable holding the key)."""

from __future__ import annotations

import glob
import tomllib
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from curate.diagnostics import Diagnostic, Severity
from curate.safeio import CONFIG_LIMIT, UnsafeFile, read_text_guarded
from train.config_lines import key_line, toml_error_line


class EvalConfigError(Exception):
    def __init__(self, diagnostics: list[Diagnostic]) -> None:
        super().__init__("\n".join(d.render() for d in diagnostics))
        self.diagnostics = diagnostics


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class ModelSpec(_Strict):
    name: str = Field(min_length=1, description="Column name in the report.")
    backend: Literal["transformers", "llamacpp", "openai"]
    role: Literal["base", "tuned", "baseline"] = Field("baseline", description="'base' and 'tuned' pair up for the HumanEval forgetting check.")
    notes: str = Field("", description="Free text for the Notes column.")
    model: str | None = Field(None, description="transformers: hub id or local folder; openai: the served model name.")
    adapter: str | None = Field(None, description="transformers: LoRA adapter folder (a glob picks the newest match).")
    batch_size: int = Field(8, ge=1, le=256, description="transformers: prompts per generate() call.")
    load_in_4bit: bool = Field(True, description="transformers: bitsandbytes 4-bit on CUDA (ignored on CPU).")
    gguf: str | None = Field(None, description="llamacpp: the GGUF file.")
    n_ctx: int = Field(4096, ge=256, description="llamacpp: context length.")
    n_gpu_layers: int = Field(-1, description="llamacpp: layers on the GPU (-1 all; 0 on a CPU build).")
    base_url: str | None = Field(None, description="openai: e.g. http://127.0.0.1:11434/v1 (Ollama).")
    api_key_env: str | None = Field(None, description="openai: NAME of the environment variable holding the API key.")

    @model_validator(mode="after")
    def _backend_fields(self) -> ModelSpec:
        needed = {"transformers": ["model"], "llamacpp": ["gguf"], "openai": ["base_url", "model"]}[self.backend]
        missing = [key for key in needed if not getattr(self, key)]
        if missing:
            raise ValueError(f"backend {self.backend!r} needs {', '.join(missing)}")
        return self

    def resolved_adapter(self) -> Path | None:
        """The adapter folder; a glob resolves to its newest (last sorted) match."""
        if not self.adapter:
            return None
        if any(ch in self.adapter for ch in "*?["):
            matches = sorted(glob.glob(self.adapter))
            if not matches:
                raise FileNotFoundError(f"model {self.name!r}: no adapter matches {self.adapter!r} (run `make train` first)")
            return Path(matches[-1])
        return Path(self.adapter)


class EvalConfig(_Strict):
    name: str = Field("eval", min_length=1, description="Report folder prefix: evals/<name>-<time>/.")
    output_dir: Path = Field(Path("evals"), description="Where report folders go.")
    cases: list[Path] = Field(default_factory=lambda: [Path("benchmark/bbj-bench-v1.jsonl")], description="Case files (benchmark JSONL format).")
    split_dir: Path | None = Field(None, description="Split folder whose test.jsonl adds cases (near duplicates of train dropped).")
    limit: int = Field(0, ge=0, description="Use only the first N cases (0: all); for smoke runs.")
    max_tokens: int = Field(512, ge=1, description="max_tokens of every request.")
    samples: int = Field(0, ge=0, description="Extra sampled completions per code case for compile@k (0: greedy only).")
    k: list[int] = Field(default_factory=lambda: [1, 5, 10], min_length=1, description="k values of compile@k (each <= samples; unused when samples = 0).")
    temperature: float = Field(0.2, ge=0.0, le=2.0, description="Temperature of the extra samples (the first is greedy).")
    top_p: float = Field(0.95, gt=0.0, le=1.0, description="top_p of the extra samples.")
    repair: int = Field(0, ge=0, le=10, description="Repair rounds after a failed check (reported apart).")
    concurrency: int = Field(4, ge=1, le=256, description="openai: requests in flight.")
    timeout_s: float = Field(120.0, gt=0, description="Per-request timeout (openai).")
    retries: int = Field(3, ge=0, le=10, description="Retries of a failed request (openai).")
    checker: Literal["auto", "bbjcpl", "builtin"] = Field("auto", description="Compile check: bbjcpl when found (auto) or the built-in checker.")
    humaneval: bool = Field(False, description="Also run the 164 HumanEval problems (pass@1) per model.")
    humaneval_limit: int = Field(0, ge=0, description="Only the first N HumanEval problems (0: all 164).")
    humaneval_max_drop: float = Field(0.05, ge=0.0, le=1.0, description="Exit 1 when tuned pass@1 < base pass@1 x (1 - this).")
    humaneval_timeout_s: float = Field(10.0, gt=0, description="Wall-clock limit per HumanEval program.")
    models: list[ModelSpec] = Field(min_length=1, description="The models to compare, in report order.")

    @model_validator(mode="after")
    def _consistent(self) -> EvalConfig:
        names = [m.name for m in self.models]
        if len(set(names)) != len(names):
            raise ValueError(f"model names must be unique, got {names}")
        too_big = [k for k in self.k if k < 1 or (self.samples and k > self.samples)]
        if too_big:
            raise ValueError(f"k values {too_big} need samples >= k (samples = {self.samples})")
        return self

    def with_changes(self, **changes: Any) -> EvalConfig:
        return EvalConfig.model_validate({**self.model_dump(), **{k: v for k, v in changes.items() if v is not None}})


def load_eval_config(path: Path) -> tuple[EvalConfig, str]:
    """(config, its text); EvalConfigError with a diagnostic per bad key, at the key's line."""
    where = path.as_posix()
    try:
        text = read_text_guarded(path, CONFIG_LIMIT)
        data = tomllib.loads(text)
    except UnsafeFile as exc:
        raise EvalConfigError([Diagnostic(where, 1, 1, "EVL010", Severity.ERROR, f"cannot read the config: {exc.message}")]) from None
    except UnicodeDecodeError as exc:
        raise EvalConfigError([Diagnostic(where, 1, 1, "EVL010", Severity.ERROR, f"cannot read the config: not UTF-8 ({exc.reason})")]) from None
    except tomllib.TOMLDecodeError as exc:
        line = toml_error_line(exc)
        raise EvalConfigError([Diagnostic(where, line, 1 if line else 0, "EVL010", Severity.ERROR, f"not valid TOML: {exc}")]) from None
    try:
        return EvalConfig.model_validate(data), text
    except ValidationError as exc:
        problems = []
        for error in exc.errors():
            key = ".".join(str(p) for p in error["loc"]) or "(config)"
            message = "unknown key" if error["type"] == "extra_forbidden" else error["msg"]
            line = key_line(text, error["loc"])
            problems.append(Diagnostic(where, line, 1 if line else 0, "EVL011", Severity.ERROR, f"{key}: {message}"))
        raise EvalConfigError(problems) from None
