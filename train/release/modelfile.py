"""The Ollama Modelfile of a release, and a reader that parses it exactly as Ollama does.

Written: `FROM` the Q4_K_M file, an explicit `TEMPLATE` (the official qwen2.5-coder template,
fill-in-the-middle branch kept: without TEMPLATE Ollama guesses from the GGUF's Jinja template
and, finding no close match, renders a bare `{{ .Prompt }}`, i.e. no ChatML at all), both
ChatML stop tokens, `num_ctx` = the training length, a low temperature for code, and `SYSTEM`
= the system prompt used in training (Ollama injects it when a request has none).

Read: a port of Ollama's `parser.ParseFile` (a rune-by-rune state machine, `parser/parser.go`)
and of `api.FormatParams`' parameter table (`api/types.go`, Options + Runner): unknown commands,
unknown PARAMETER names, bad values, bad MESSAGE roles, unterminated quotes and a missing FROM
are errors there, so they are errors here."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path

from curate.safeio import UnsafeFile, open_guarded, read_text_guarded
from train.training.chat import END_OF_TEXT, IM_END

COMMANDS = {"from", "license", "template", "system", "adapter", "draft", "renderer", "parser", "parameter", "message", "requires"}
INT_PARAMETERS = {"num_ctx", "num_batch", "num_gpu", "main_gpu", "num_thread", "num_keep", "seed", "num_predict", "top_k", "repeat_last_n"}
FLOAT_PARAMETERS = {"top_p", "min_p", "typical_p", "temperature", "repeat_penalty", "presence_penalty", "frequency_penalty"}
BOOL_PARAMETERS = {"use_mmap"}
LIST_PARAMETERS = {"stop"}
DEPRECATED_PARAMETERS = {"penalize_newline", "low_vram", "f16_kv", "logits_all", "vocab_only", "use_mlock", "mirostat",
                         "mirostat_tau", "mirostat_eta"}  # fmt: skip
MESSAGE_ROLES = {"system", "user", "assistant"}
GO_BOOLS = {"1": True, "t": True, "T": True, "TRUE": True, "true": True, "True": True,
            "0": False, "f": False, "F": False, "FALSE": False, "false": False, "False": False}  # fmt: skip
CODE_TEMPERATURE = 0.2


class ModelfileError(ValueError):
    def __init__(self, message: str, line: int = 0) -> None:
        super().__init__(f"(line {line}): {message}" if line else message)
        self.line = line


@dataclass
class Modelfile:
    commands: list[tuple[str, str]]  # (name, args) as Ollama's parser returns them
    parameters: dict[str, object] = field(default_factory=dict)
    warnings: list[str] = field(default_factory=list)

    def first(self, name: str) -> str | None:
        return next((args for command, args in self.commands if command == name), None)


def qwen25_coder_template() -> str:
    """The official Ollama qwen2.5-coder TEMPLATE (ollama.com/library/qwen2.5-coder, blob 1e65450c3067)."""
    return resources.files("train.release").joinpath("data/qwen2.5-coder.gotmpl").read_text("utf-8")


def render_modelfile(gguf_name: str, system: str, num_ctx: int, temperature: float = CODE_TEMPERATURE) -> str:
    template = qwen25_coder_template()
    for label, text in (("TEMPLATE", template), ("SYSTEM", system)):
        if '"""' in text:
            raise ValueError(f'{label} contains """, which a Modelfile cannot quote')
    return (
        f"# Made by `bbj-train export`; create the model with: ollama create <name> -f Modelfile\n"
        f"FROM ./{gguf_name}\n"
        f'TEMPLATE """{template}"""\n'
        f'SYSTEM """{system}"""\n'
        f'PARAMETER stop "{IM_END}"\n'
        f'PARAMETER stop "{END_OF_TEXT}"\n'
        f"PARAMETER num_ctx {num_ctx}\n"
        f"PARAMETER temperature {temperature}\n"
    )


# -- Ollama's parser ---------------------------------------------------------------------------
NIL, NAME, VALUE, PARAMETER, MESSAGE, COMMENT = range(6)


def parse_modelfile(text: str) -> Modelfile:
    """`parser.ParseFile` + the parameter conversion of `Modelfile.CreateRequest`."""
    commands = parse_commands(text)
    modelfile = Modelfile(commands)
    for name, args in commands:
        if name in {"model", "license", "template", "system", "adapter", "draft", "renderer", "parser", "requires", "message"}:
            continue
        if name in DEPRECATED_PARAMETERS:
            modelfile.warnings.append(f"parameter {name} is deprecated")
            continue
        value = _format_param(name, args)
        if name in LIST_PARAMETERS:
            existing = modelfile.parameters.setdefault(name, [])
            assert isinstance(existing, list)
            existing.append(value)
        else:
            modelfile.parameters[name] = value
    return modelfile


def parse_commands(text: str) -> list[tuple[str, str]]:
    """`parser.ParseFile`: the (name, args) commands; PARAMETER names are not checked here."""
    text = text.removeprefix("\ufeff")
    commands: list[tuple[str, str]] = []
    state, line, buffer, role, name = NIL, 1, "", "", ""
    for char in text:
        if char in "\r\n":
            line += 1
        next_state, out = _next(char, state, line)
        if next_state != state:
            if state == NAME:
                if buffer.lower() not in COMMANDS:
                    raise ModelfileError(_INVALID_COMMAND, line)
                lowered = buffer.lower()
                if lowered == "from":
                    name = "model"
                elif lowered == "parameter":
                    next_state = PARAMETER
                elif lowered == "message":
                    next_state, name = MESSAGE, "message"
                else:
                    name = lowered
            elif state == PARAMETER:
                name = buffer
            elif state == MESSAGE:
                if buffer not in MESSAGE_ROLES:
                    raise ModelfileError('message role must be one of "system", "user", or "assistant"', line)
                role = buffer
            elif state == VALUE:
                value, ok = _unquote(buffer.strip(" \t\r\n"))
                if not ok or char in " \t":
                    buffer += char
                    continue
                if role:
                    value, role = f"{role}: {value}", ""
                commands.append((name, value))
            buffer, state = "", next_state
        if out and out.isprintable():
            buffer += out
    if state == VALUE:
        value, ok = _unquote(buffer.strip(" \t\r\n"))
        if not ok:
            raise ModelfileError("unexpected EOF (unterminated quote)")
        commands.append((name, f"{role}: {value}" if role else value))
    elif state not in (NIL, COMMENT):
        raise ModelfileError("unexpected EOF")
    if not any(command == "model" for command, _ in commands):
        raise ModelfileError("no FROM line")
    return commands


_INVALID_COMMAND = ('command must be one of "from", "license", "template", "system", "adapter", "draft", '
                    '"renderer", "parser", "parameter", "message", or "requires"')  # fmt: skip


def _next(char: str, state: int, line: int) -> tuple[int, str]:
    """`parseRuneForState`: the next state and the rune to keep ("" = none)."""
    space, newline = char in " \t", char in "\r\n"
    if state == NIL:
        if char == "#":
            return COMMENT, ""
        return (NIL, "") if space or newline else (NAME, char)
    if state == NAME:
        if char.isascii() and char.isalpha():
            return NAME, char
        if space:
            return VALUE, ""
        raise ModelfileError(_INVALID_COMMAND, line)
    if state == VALUE:
        return (NIL, char) if space or newline else (VALUE, char)
    if state in (PARAMETER, MESSAGE):
        allowed = char.isascii() and (char.isalpha() or (state == PARAMETER and (char.isdigit() or char == "_")))
        if allowed:
            return state, char
        if space:
            return VALUE, ""
        raise ModelfileError("unexpected EOF", line)
    return (NIL, "") if newline else (COMMENT, "")


def _unquote(text: str) -> tuple[str, bool]:
    if text.startswith('"""'):
        return (text[3:-3], True) if len(text) >= 6 and text.endswith('"""') else ("", False)
    if text.startswith('"'):
        return (text[1:-1], True) if len(text) >= 2 and text.endswith('"') else ("", False)
    return text, True


def _format_param(name: str, value: str) -> object:
    """`api.FormatParams`: unknown names are errors, values parse by the option's Go type."""
    if name in LIST_PARAMETERS:
        return value
    if name in INT_PARAMETERS:
        if not re.fullmatch(r"[+-]?\d+", value):
            raise ModelfileError(f"invalid int value [{value}]")
        return int(value)
    if name in FLOAT_PARAMETERS:
        try:
            return float(value)
        except ValueError:
            raise ModelfileError(f"invalid float value [{value}]") from None
    if name in BOOL_PARAMETERS:
        if value not in GO_BOOLS:
            raise ModelfileError(f"invalid bool value [{value}]")
        return GO_BOOLS[value]
    raise ModelfileError(f"unknown parameter '{name}'")


def check_release_modelfile(path: Path, num_ctx: int) -> Modelfile:
    """Parse the written Modelfile as Ollama would and check what a release needs from it."""
    modelfile = read_modelfile(path)
    source = modelfile.first("model") or ""
    problems = []
    if gguf_magic(path.parent / source, path.parent) != b"GGUF":
        problems.append(f"FROM {source} is not a GGUF file next to the Modelfile")
    if modelfile.first("template") != qwen25_coder_template():
        problems.append("TEMPLATE is not the qwen2.5-coder template")
    stops = modelfile.parameters.get("stop", [])
    if not isinstance(stops, list) or sorted(stops) != sorted([IM_END, END_OF_TEXT]):
        problems.append(f"stop must be {IM_END} and {END_OF_TEXT}")
    if modelfile.parameters.get("num_ctx") != num_ctx:
        problems.append(f"num_ctx must be {num_ctx}")
    if problems:
        raise ModelfileError("; ".join(problems))
    return modelfile


MODELFILE_LIMIT = 1 << 20  # a Modelfile is a template and a few parameters


def read_modelfile(path: Path) -> Modelfile:
    """Parse a Modelfile read through the guarded reader (ModelfileError when it is refused)."""
    try:
        text = read_text_guarded(path, MODELFILE_LIMIT, path.parent)
    except UnsafeFile as exc:
        raise ModelfileError(exc.message) from None
    except ValueError as exc:
        raise ModelfileError(f"not UTF-8: {exc}") from None
    return parse_modelfile(text)


def gguf_magic(path: Path, folder: Path) -> bytes | None:
    """The first 4 bytes of the file a Modelfile's FROM names, None when it is not a regular
    file inside `folder` (a path taken from a file: confined, links resolved)."""
    from train.model_files import inside

    if not inside(path, folder):
        return None
    try:
        with open_guarded(path, None, folder) as handle:
            return handle.read(4)
    except (UnsafeFile, OSError):
        return None
