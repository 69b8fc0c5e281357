"""One compiled master regex turns BBj source into logical lines of tokens.

Why one regex: the checker must read >= 1 MB/s on one core, so the per-character work is left
to `re` and Python only touches whole tokens. A logical line is a physical line plus any
following lines that start with ':' (BBj's line continuation); REM comments are dropped here.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from typing import NamedTuple


class Tok(NamedTuple):
    """One token: kind (see KINDS), source text, offset in the text, lowercased text."""

    kind: str
    val: str
    pos: int
    low: str


# Token kinds, for reference:
#   id   identifier, maybe with a $ % ! or @ suffix      num  number
#   str  "string" with "" escapes (may go on over ':' continuation lines)
#   hex  $0A0D$ hex string
#   mn   'MNEMONIC'                                        fp   ::path/file.bbj:: program path
#   op   operator or punctuation                          sq   'single quoted text' (JS-ism)
#   ustr unterminated "string"                            js   // or /* */ comment (JS-ism)
#   bad  a character BBj does not use
KINDS = ("id", "num", "str", "hex", "mn", "fp", "op", "sq", "ustr", "js", "bad")

_MASTER = re.compile(
    r"""[ \t\f\v\x1a\ufeff]*(?:
      (?P<cont>(?:\r\n|\r|\n)[ \t\f\v]*:(?!:))
    | (?P<nl>\r\n|\r|\n)
    | (?P<str>"[^"\r\n]*(?:(?:""|(?:\r\n|\r|\n)[ \t\f\v]*:(?!:))[^"\r\n]*)*")
    | (?P<ustr>"[^"\r\n]*(?:(?:""|(?:\r\n|\r|\n)[ \t\f\v]*:(?!:))[^"\r\n]*)*)
    | (?P<rem>(?<![.#\w])[Rr][Ee][Mm](?![\w$%!@])[^\r\n]*)
    | (?P<id>[A-Za-z_][A-Za-z0-9_]*(?:[$%!]|@(?!\())?)
    | (?P<num>(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?(?:\.\d+)*)
    | (?P<js>//[^\r\n]*|/\*[\s\S]*?(?:\*/|\Z))
    | (?P<fp>::[^\r\n"]+?::)
    | (?P<hex>\$[0-9A-Fa-f]*\$)
    | (?P<mn>'[^'\s"]*')
    | (?P<sq>'[^'\r\n]*')
    | (?P<op>===|!==|==|!=|<>|<=|>=|=<|=>|&&|\|\||\+\+|--|\+=|-=|\*=|/=|::
             |[-+*/^=<>()\[\],;:.\#@!?{}&|~\\%$`'])
    | (?P<ws>[ \t\f\v\x1a\ufeff]+)
    | (?P<bad>.)
    )""",
    re.VERBOSE,
)

_NEWLINE = re.compile(r"\r\n|\r|\n")


class Lexed(NamedTuple):
    """Logical lines of tokens plus what is needed to map offsets back to line/col."""

    lines: list[list[Tok]]
    line_starts: list[int]

    def where(self, pos: int) -> tuple[int, int]:
        """1-based (physical line, column) of a text offset."""
        idx = bisect_right(self.line_starts, pos) - 1
        return idx + 1, pos - self.line_starts[idx] + 1


def line_starts_of(text: str) -> list[int]:
    """Offsets where each physical line starts (\\r\\n, \\r and \\n all end a line)."""
    starts = [0]
    starts.extend(m.end() for m in _NEWLINE.finditer(text))
    return starts


def tokenize(text: str) -> Lexed:
    """Split `text` into logical lines of tokens; never raises."""
    lines: list[list[Tok]] = []
    cur: list[Tok] = []
    append = cur.append
    for m in _MASTER.finditer(text):
        kind = m.lastgroup
        if kind == "id":
            val = m.group(kind)
            append(Tok("id", val, m.start(kind), val.lower()))
        elif kind == "op" or kind == "num" or kind == "str":
            val = m.group(kind)
            append(Tok(kind, val, m.start(kind), val))
        elif kind == "nl":
            if cur:
                lines.append(cur)
                cur = []
                append = cur.append
        elif kind == "rem" or kind == "cont" or kind == "ws":
            continue
        else:
            val = m.group(kind)
            append(Tok(kind, val, m.start(kind), val))
    if cur:
        lines.append(cur)
    return Lexed(lines, line_starts_of(text))
