"""Render diagnostics: human text, JSON, GitHub workflow annotations and SARIF 2.1.0."""

from __future__ import annotations

import json
import sys
from collections import Counter
from collections.abc import Iterable

from curate.diagnostics import Diagnostic, Severity
from curate.errors import ExitCode
from curate.vocabulary import CONFIG_ERROR_CODES

FORMATS = ("text", "json", "github", "sarif")


def render(
    diags: list[Diagnostic], fmt: str, files: int, tool: str = "bbj-curate", header: str = "", color: bool = False, texts: dict[str, str] | None = None
) -> str:
    """The report in `fmt`; `texts` holds the text of documents that are not files (stdin) by
    display path, for the excerpts."""
    if fmt == "json":
        return json.dumps([d.to_json() for d in diags], indent=2)
    if fmt == "github":
        return "\n".join(_github(d) for d in diags)
    if fmt == "sarif":
        return json.dumps(sarif(diags, tool), indent=2)
    return text(diags, files, header, color, texts)


ANSI = {Severity.ERROR: "\x1b[1;31m", Severity.WARNING: "\x1b[1;33m", Severity.INFO: "\x1b[1;34m"}
DIM, RESET = "\x1b[2m", "\x1b[0m"
MAX_EXCERPT_BYTES = 1 << 20  # a file larger than this is not read again for excerpts


def text(diags: list[Diagnostic], files: int, header: str = "", color: bool = False, texts: dict[str, str] | None = None) -> str:
    """ruff's full format: `path:line:col: CODE message`, the source line with a caret under the
    column, then the hint; the code and caret coloured by severity when `color` is on."""
    lines = [header] if header else []
    sources: dict[str, list[str] | None] = {path: body.lstrip("\ufeff").splitlines() for path, body in (texts or {}).items()}
    for diag in diags:
        paint = (lambda s, style=ANSI[diag.severity]: f"{style}{s}{RESET}") if color else (lambda s, style="": s)
        dim = (lambda s: f"{DIM}{s}{RESET}") if color else (lambda s: s)
        lines.append(f"{diag.path}:{diag.line}:{diag.col}: {paint(diag.code)} {diag.message}")
        source = sources[diag.path] if diag.path in sources else sources.setdefault(diag.path, _source_lines(diag.path))
        if source is not None and 1 <= diag.line <= len(source):
            number = str(diag.line)
            line = source[diag.line - 1].expandtabs(4)
            lines.append(dim(f"{' ' * len(number)} |"))
            lines.append(f"{dim(number + ' |')} {line}")
            if diag.col >= 1:
                lines.append(f"{dim(' ' * len(number) + ' |')} {' ' * (min(diag.col, len(line) + 1) - 1)}{paint('^')}")
        if diag.hint:
            lines.append(f"    hint: {diag.hint}")
    lines.append(summary(diags, files))
    return "\n".join(lines)


def _source_lines(path: str) -> list[str] | None:
    """The lines of a reported file for excerpts; None when it is not a small readable text file."""
    from pathlib import Path

    from curate.safeio import UnsafeFile, read_guarded

    try:
        data = read_guarded(Path(path), MAX_EXCERPT_BYTES)
    except UnsafeFile:
        return None
    return data.decode("utf-8", errors="replace").lstrip("\ufeff").splitlines()


def use_color(stream: object, no_color: bool = False) -> bool:
    """Colour only on a terminal, and never with --no-color or NO_COLOR set (no-color.org)."""
    import os

    isatty = getattr(stream, "isatty", None)
    return not no_color and not os.environ.get("NO_COLOR") and callable(isatty) and bool(isatty())


def summary(diags: Iterable[Diagnostic], files: int) -> str:
    counts = Counter(d.severity for d in diags)
    fixable = sum(1 for d in diags if d.fixable)
    if not counts:
        return f"All checks passed: {files} file{'s' if files != 1 else ''} checked."
    parts = [f"{counts[s]} {s.value}{'s' if counts[s] != 1 else ''}" for s in (Severity.ERROR, Severity.WARNING, Severity.INFO) if counts[s]]
    tail = f" ({fixable} fixable with --fix)" if fixable else ""
    return f"Found {', '.join(parts)} in {files} file{'s' if files != 1 else ''} checked{tail}."


def _github(diag: Diagnostic) -> str:
    level = {"error": "error", "warning": "warning", "info": "notice"}[diag.severity.value]
    message = diag.message.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")
    return f"::{level} file={diag.path},line={max(diag.line, 1)},col={max(diag.col, 1)},title={diag.code}::{message}"


SARIF_LEVEL = {"error": "error", "warning": "warning", "info": "note"}
RULES_HELP_URI = "https://github.com/BasisHub/bbj-coder-toolkit/blob/main/docs/rules.md#all-codes"  # the code table


def sarif_rule(code: str) -> dict[str, object]:
    """A SARIF reportingDescriptor from the rule catalogue: name, summary, the docstring (why,
    bad and good examples) as fullDescription, the rules page, the default level."""
    import inspect

    from curate.rules.base import REGISTRY, all_rules

    list(all_rules())
    cls = REGISTRY.get(code)
    if cls is None:
        return {"id": code, "shortDescription": {"text": code}}
    return {
        "id": code, "name": cls.name, "shortDescription": {"text": cls.summary},
        "fullDescription": {"text": inspect.getdoc(cls) or cls.summary}, "helpUri": RULES_HELP_URI,
        "defaultConfiguration": {"level": SARIF_LEVEL[cls.severity.value]},
    }  # fmt: skip


def sarif(diags: list[Diagnostic], tool: str) -> dict[str, object]:
    from curate import tool_version

    codes = sorted({d.code for d in diags})
    rules = [sarif_rule(code) for code in codes]
    level = SARIF_LEVEL
    results = [
        {
            "ruleId": d.code,
            "ruleIndex": codes.index(d.code),
            "level": level[d.severity.value],
            "message": {"text": d.message},
            "locations": [
                {
                    "physicalLocation": {
                        "artifactLocation": {"uri": d.path},
                        "region": {"startLine": max(d.line, 1), "startColumn": max(d.col, 1)},
                    }
                }
            ],
        }
        for d in diags
    ]
    return {
        "$schema": "https://json.schemastore.org/sarif-2.1.0.json",
        "version": "2.1.0",
        "runs": [
            {
                "tool": {
                    "driver": {"name": tool, "version": tool_version(), "informationUri": "https://github.com/BasisHub/bbj-coder-toolkit", "rules": rules}
                },
                "invocations": [{"executionSuccessful": True, "commandLine": " ".join([tool, *sys.argv[1:]])}],
                "results": results,
            }
        ],
    }


def exit_code(diags: list[Diagnostic], fail_on: str) -> ExitCode:
    """USAGE (2) when a finding is a configuration error (`CONFIG_ERROR_CODES`: an unknown
    code in `lint_ignore`), whatever `fail_on` says; else FINDINGS when any finding is at or
    above `fail_on`; else OK."""
    if any(d.code in CONFIG_ERROR_CODES for d in diags):
        return ExitCode.USAGE
    if fail_on == "never":
        return ExitCode.OK
    threshold = Severity(fail_on).rank
    return ExitCode.FINDINGS if any(d.severity.rank >= threshold for d in diags) else ExitCode.OK
