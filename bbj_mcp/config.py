"""The server's settings: one typed object, filled from command-line flags over `BBJ_MCP_*`
environment variables over defaults (MCP clients usually pass settings as `env`)."""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, fields, replace
from pathlib import Path
from typing import Any

ENV_PREFIX = "BBJ_MCP_"
# Ollama's OpenAI-compatible endpoint and the model name the Modelfile creates.
DEFAULT_BASE_URL = "http://127.0.0.1:11434/v1"
DEFAULT_MODEL = "bbj-coder"


class SettingsError(ValueError):
    """A setting that cannot be used; the message names it and the value."""


@dataclass(frozen=True)
class McpSettings:
    """Everything the tools need. Limits follow the code-validation MCP servers (jac-mcp: 100 KB
    input, a wall timeout per operation), so a caller can never make the server hang."""

    base_url: str = DEFAULT_BASE_URL  # OpenAI-compatible endpoint serving the model
    model: str = DEFAULT_MODEL  # model name sent with every request
    api_key: str = "none"  # most local servers ignore it; Ollama requires one to be sent
    project: Path = Path(".")  # where [tool.bbj-curate] and training-data/ are looked up
    examples: Path | None = None  # curated examples to retrieve from (default: the project's data root)
    checker: str = "auto"  # auto | builtin | bbjcpl, as in bbj-curate
    max_input_bytes: int = 100_000  # per text argument (code, prompt, context)
    check_timeout_s: float = 15.0  # wall time of one check_bbj_code call
    generate_timeout_s: float = 180.0  # wall time of one generate_bbj_code call, all attempts
    request_timeout_s: float = 60.0  # one HTTP request to the model endpoint
    max_attempts_limit: int = 5  # the most attempts a caller may ask for
    max_tokens: int = 1024  # tokens per model answer
    temperature: float = 0.2
    retrieve_k: int = 3  # examples put into the prompt
    reference_chars: int = 6000  # all retrieved text in the prompt (~1,700 tokens of the 4,096 trained)
    refresh_interval_s: float = 5.0  # how often the example folder is looked at for changes

    def data_root(self) -> Path:
        if self.examples is not None:
            return self.examples
        from curate.config import load_config

        config = load_config([self.project])
        return config.root / config.data_root

    def with_changes(self, **changes: Any) -> McpSettings:
        return replace(self, **{k: v for k, v in changes.items() if v is not None})


def _convert(name: str, raw: str, kind: Any) -> Any:
    try:
        if kind in ("int", int):
            return int(raw)
        if kind in ("float", float):
            return float(raw)
        if kind in ("Path", "Path | None"):
            return Path(raw).expanduser()
        return raw
    except ValueError:
        raise SettingsError(f"{ENV_PREFIX}{name.upper()}={raw!r} is not a valid {kind}") from None


def from_environment(environ: Mapping[str, str] | None = None) -> McpSettings:
    """Defaults overridden by `BBJ_MCP_<FIELD>` variables (e.g. BBJ_MCP_BASE_URL, BBJ_MCP_MODEL)."""
    env = os.environ if environ is None else environ
    changes = {}
    for spec in fields(McpSettings):
        raw = env.get(ENV_PREFIX + spec.name.upper())
        if raw:
            changes[spec.name] = _convert(spec.name, raw, spec.type)
    settings = replace(McpSettings(), **changes)
    validate(settings)
    return settings


def validate(settings: McpSettings) -> None:
    if settings.checker not in ("auto", "builtin", "bbjcpl"):
        raise SettingsError(f"checker must be auto, builtin or bbjcpl (got {settings.checker!r})")
    for name, least in {"max_input_bytes": 1, "max_attempts_limit": 1, "max_tokens": 1, "retrieve_k": 0, "reference_chars": 0}.items():
        if getattr(settings, name) < least:
            raise SettingsError(f"{name} must be at least {least} (got {getattr(settings, name)})")
    for name in ("check_timeout_s", "generate_timeout_s", "request_timeout_s"):
        if getattr(settings, name) <= 0:
            raise SettingsError(f"{name} must be positive (got {getattr(settings, name)})")
    if not settings.base_url.startswith(("http://", "https://")):
        raise SettingsError(f"base_url must be an http(s) URL (got {settings.base_url!r})")
