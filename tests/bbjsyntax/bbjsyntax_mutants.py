"""Mutants of valid BBj programs, each with the lines where a finding counts as a hit.

The fault location is defined independently of the checker:
- a dropped block end: the line where it was (in the mutant: the line now there, so +-1
  covers both neighbours) OR the opener of that block, found by indentation (the nearest
  earlier line with the same indentation that starts with the opener keyword);
- an unbalanced bracket, a cut string, an injected construct: the changed line.
Mutants that stay valid BBj are not generated: a METHOD with no body statement (a
declaration) and a block end that shares its line with other statements.
"""

from __future__ import annotations

import random
import re
from dataclasses import dataclass

CLOSERS = {
    "methodend": ("method",),
    "classend": ("class",),
    "fi": ("if",),
    "endif": ("if",),
    "next": ("for",),
    "wend": ("while",),
    "until": ("repeat",),
    "swend": ("switch",),
}
_CLOSER_LINE = re.compile(
    r"^(\s*)(methodend|classend|fi|endif|next(?:\s+[a-z_][\w]*[%$]?)?|wend|until\b.*|swend)\s*(?:;\s*rem\b.*)?$",
    re.IGNORECASE,
)
_OPENER = re.compile(r"^\s*(?:[a-z_]\w*:\s+)?(method|class|if|for|while|repeat|switch)\b", re.IGNORECASE)
_STRING = re.compile(r'"(?:[^"\n]|"")*"')
_REM = re.compile(r"(?<![.\w])rem\b", re.IGNORECASE)
_STACK_KINDS = {"methodend": "method", "classend": "class", "next": "for", "wend": "while", "until": "repeat", "swend": "switch"}

# One line each, written the way models write them.
FABRICATED_LINES = [
    "var count = 0",
    "const LIMIT = 10",
    'console.log("debug")',
    'alert("hello")',
    "// TODO remove this",
    "/* temporary */",
    "found = (a$ == b$)",
    "if a$ === b$ then print 1",
    "if a$ !== b$ then print 1",
    'if a$ != "" then print 1',
    "if a and b && c then print 1",
    "if a || b then print 1",
    "count++",
    "count += 1",
    "total -= 2",
    "cb! = (e) => handle(e)",
    "function handle(e)",
    "x! = {}",
    "End If",
    "End Sub",
    "Dim total As Integer",
    "Sub Main()",
    "import java.util.List",
    "try {",
    "catch (e)",
    "ElseIf x = 1 Then",
    'String name = "x"',
    "int i = 0",
    "msg$ = 'hello world'",
    "print `template`",
    'Set obj = CreateObject("x")',
    "Exit Sub",
    "Select Case x",
    "Do While x < 10",
    "endwhile",
    "public void run()",
    'document.getElementById("x")',
    'MsgBox "Saved"',
    "' VB comment",
    "# Python comment",
    "else:",
    "for (i = 0; i < 10; i++)",
    'print "a" & "b"',
]
# (pattern, replacement) rewrites of an existing line into a foreign form.
FABRICATED_REWRITES = [
    ("!=", re.compile(r"<>"), " != "),  # spaced: X!=0 would be a valid object assignment
    ("&&", re.compile(r"\band\b", re.IGNORECASE), "&&"),
    ("||", re.compile(r"\bor\b", re.IGNORECASE), "||"),
    ("//", re.compile(r"^(\s*)rem\b", re.IGNORECASE), r"\1//"),
    ("+=", re.compile(r"^(\s*)(\w+[$%!]?)\s*=\s*\2\s*\+\s*"), r"\1\2 += "),
]


@dataclass(frozen=True)
class Mutant:
    kind: str
    text: str
    fault_lines: frozenset[int]  # 1-based lines in `text` where a finding is a hit


def _indent(line: str) -> int:
    return len(line) - len(line.lstrip(" \t"))


def _code_lines(lines: list[str]) -> list[int]:
    """Indices of lines that are code (not blank, not REM, not continuation, not after one)."""
    out = []
    for i, line in enumerate(lines):
        s = line.strip()
        if not s or s.lower().startswith("rem") or s.startswith(":"):
            continue
        if i + 1 < len(lines) and lines[i + 1].lstrip().startswith(":"):
            continue
        out.append(i)
    return out


def _mask(line: str) -> str:
    """The code part of a line: strings blanked out, a REM comment cut off."""
    masked = _STRING.sub(lambda m: "_" * len(m.group(0)), line)
    rem = _REM.search(masked)
    return masked[: rem.start()] if rem else masked


def _words(line: str) -> list[str]:
    """First word of each ';'-separated statement of a line (labels skipped)."""
    out = []
    for part in _mask(line).split(";"):
        m = re.match(r"\s*(?:[a-z_]\w*:\s+)?([a-z_]+)\b(?![$!%])", part, re.IGNORECASE)
        if m:
            out.append(m.group(1).lower())
    return out


def _stack_opener(lines: list[str], idx: int, closer: str) -> int | None:
    """Opener of the closer at idx, by keyword stack matching (these blocks have no one-line
    forms, unlike IF)."""
    opener_kw = _STACK_KINDS[closer]
    stack: list[int] = []
    found = None
    in_interface = False
    for i, line in enumerate(lines):
        words = _words(line)
        if "interface" in words:
            in_interface = True
        if "interfaceend" in words:
            in_interface = False
        if i == idx:
            found = stack.pop() if stack else None
            continue
        if opener_kw in words and closer in words:
            continue  # opened and closed on one line
        if opener_kw in words and not (in_interface and opener_kw == "method"):
            stack.append(i)
        elif closer in words and stack:
            stack.pop()
    return found


def _still_balanced(lines: list[str], closer: str) -> bool:
    """True when every opener of this kind still finds a closer (e.g. a stray NEXT later on)."""
    opener_kw = _STACK_KINDS[closer]
    depth = 0
    in_interface = False
    for line in lines:
        words = _words(line)
        in_interface = (in_interface or "interface" in words) and "interfaceend" not in words
        if opener_kw in words and closer in words:
            continue
        if opener_kw in words and not (in_interface and opener_kw == "method"):
            depth += 1
        elif closer in words and depth:
            depth -= 1
    return depth == 0


def _opener_line(lines: list[str], idx: int, kinds: tuple[str, ...]) -> int | None:
    ind = _indent(lines[idx])
    for j in range(idx - 1, -1, -1):
        line = lines[j]
        if line.strip() and _indent(line) == ind:
            m = _OPENER.match(line)
            if m and m.group(1).lower() in kinds:
                return j
    return None


def _method_has_body(lines: list[str], opener: int, closer: int) -> bool:
    for line in lines[opener + 1 : closer]:
        s = line.strip()
        if s and not s.lower().startswith("rem"):
            return True
    return False


def drop_closers(text: str, rng: random.Random, per_kind: int) -> list[Mutant]:
    lines = text.split("\n")
    by_kind: dict[str, list[int]] = {}
    for i, line in enumerate(lines):
        m = _CLOSER_LINE.match(line)
        if m:
            word = m.group(2).split()[0].lower()
            by_kind.setdefault("fi" if word == "endif" else word, []).append(i)
    out = []
    for word, idxs in sorted(by_kind.items()):
        for i in rng.sample(idxs, min(per_kind, len(idxs))):
            mutated = lines[:i] + lines[i + 1 :]
            if word in _STACK_KINDS:
                opener = _stack_opener(lines, i, word)
                if opener is None or _still_balanced(mutated, word):
                    continue  # a stray closer (legal for NEXT): dropping it keeps the program valid
            else:
                opener = _opener_line(lines, i, CLOSERS[word])
            if word == "methodend" and opener is not None and not _method_has_body(lines, opener, i):
                continue
            faults = {i + 1}
            if opener is not None:
                faults.add(opener + 1)
            out.append(Mutant(f"drop {word}", "\n".join(mutated), frozenset(faults)))
    return out


def _outside_strings(line: str, ch: str) -> list[int]:
    masked = _mask(line)
    if '"' in masked:
        return []  # a string that goes on over a continuation line: leave it alone
    return [k for k in range(len(masked)) if masked[k] == ch]


def unbalance_brackets(text: str, rng: random.Random, count: int) -> list[Mutant]:
    lines = text.split("\n")
    cands = [(i, k, ch) for i in _code_lines(lines) for ch in "()" for k in _outside_strings(lines[i], ch)]
    out = []
    for i, k, ch in rng.sample(cands, min(count, len(cands))):
        mutated = list(lines)
        mutated[i] = lines[i][:k] + lines[i][k + 1 :]
        out.append(Mutant(f"drop '{ch}'", "\n".join(mutated), frozenset({i + 1})))
    return out


def cut_strings(text: str, rng: random.Random, count: int) -> list[Mutant]:
    lines = text.split("\n")
    cands = []
    for i in _code_lines(lines):
        code_end = len(_mask(lines[i]))
        strings = [m for m in _STRING.finditer(lines[i]) if m.end() <= code_end]
        if strings and '"' not in _mask(lines[i]):
            cands.append((i, strings[-1].end() - 1))
    out = []
    for i, k in rng.sample(cands, min(count, len(cands))):
        mutated = list(lines)
        mutated[i] = lines[i][:k] + lines[i][k + 1 :]
        out.append(Mutant("cut string", "\n".join(mutated), frozenset({i + 1})))
    return out


def inject_fabricated(text: str, rng: random.Random, count: int) -> list[Mutant]:
    lines = text.split("\n")
    spots = _code_lines(lines)
    out = []
    if not spots:
        return out
    for snippet in rng.sample(FABRICATED_LINES, min(count, len(FABRICATED_LINES))):
        i = rng.choice(spots)
        mutated = [*lines[: i + 1], " " * _indent(lines[i]) + snippet, *lines[i + 1 :]]
        out.append(Mutant("inject foreign line", "\n".join(mutated), frozenset({i + 2})))
    for label, pattern, repl in FABRICATED_REWRITES:
        if "rem" in pattern.pattern:
            cands = [i for i in range(len(lines)) if pattern.match(lines[i])]
        else:
            cands = [i for i in _code_lines(lines) if pattern.search(_mask(lines[i])) and '"' not in _mask(lines[i])]
        if cands:
            i = rng.choice(cands)
            code = lines[i] if "rem" in pattern.pattern else _mask(lines[i])
            m = pattern.search(code)
            new = lines[i][: m.start()] + m.expand(repl) + lines[i][m.end() :] if m else lines[i]
            if new != lines[i]:
                mutated = list(lines)
                mutated[i] = new
                out.append(Mutant(f"rewrite to {label}", "\n".join(mutated), frozenset({i + 1})))
    return out


def all_mutants(text: str, seed: int, per_kind: int = 2) -> list[Mutant]:
    rng = random.Random(seed)
    return (
        drop_closers(text, rng, per_kind) + unbalance_brackets(text, rng, per_kind) + cut_strings(text, rng, per_kind) + inject_fabricated(text, rng, per_kind)
    )
