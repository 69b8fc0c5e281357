"""One compiled master regex turns BBj source into logical lines of tokens.

Why one regex: the checker must read >= 1 MB/s on one core, so the per-character work is left
to `re` and Python only touches whole tokens. A logical line is a physical line plus any
following lines that start with ':' (BBj's line continuation; in line-numbered code the
continuation line keeps its number, `0760:,B$`); REM comments are dropped here.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from typing import Final, NamedTuple

# One token: (kind, text, offset in the source, lowercased text), read by field name as
# t[KIND], t[TEXT], t[POS], t[LOW]. A plain tuple, not a NamedTuple: building ~100k of them
# per MB is the lexer's main cost, and NamedTuple construction made the whole check 5% slower,
# while indexing by these constants costs nothing measurable (bench/bench_syntax.py).
Tok = tuple[str, str, int, str]
KIND: Final = 0
TEXT: Final = 1
POS: Final = 2
LOW: Final = 3

# Token kinds, for reference:
#   id   identifier, maybe with a $ % ! or @ suffix      num  number
#   str  "string" with "" escapes (may go on over ':' continuation lines)
#   hex  $0A0D$ hex string
#   mn   'MNEMONIC'                                        fp   ::path/file.bbj:: program path
#   op   operator or punctuation (the regex's xop group: operators foreign to BBj, also "op")
#   sq   'single quoted text' (JS-ism)
#   ustr unterminated "string"                            js   // or /* */ comment (JS-ism)
#   bad  a character BBj does not use
KINDS = ("id", "num", "str", "hex", "mn", "fp", "op", "sq", "ustr", "js", "bad")

# Alternatives are ordered by frequency (identifiers and the common one-character operators
# first): the regex engine tries them in order at every token. Group numbers are fixed and
# used directly by tokenize(); the op group only takes operators that cannot start a longer
# token, the rest fall through to the later groups.
_MASTER = re.compile(
    r"""[ \t\f\v\x1a\xa0\ufeff]*(?:
      (?P<id>(?!(?<![.\#\w])[Rr][Ee][Mm](?![\w$%!@]))[A-Za-z_][A-Za-z0-9_]*(?:[$%!]|@(?!\())?)
    | (?P<op>[(),\[\];\#?^@]|\.(?!\d)|=(?![=<>])|\+(?![+=])|-(?![-=])|\*(?!=)|/(?![/*=])|<(?![>=])
             |>(?!=)|:(?!:)|!(?!=)|<>|<=|>=|=<|::(?![^\r\n"]+?::))
    | (?P<cont>(?:\r\n|\r|\n)[ \t\f\v]*(?:\d+)?:(?!:))
    | (?P<nl>\r\n|\r|\n)
    | (?P<str>"[^"\r\n]*(?:(?:""|(?:\r\n|\r|\n)[ \t\f\v]*(?:\d+)?:(?!:))[^"\r\n]*)*")
    | (?P<ustr>"[^"\r\n]*(?:(?:""|(?:\r\n|\r|\n)[ \t\f\v]*(?:\d+)?:(?!:))[^"\r\n]*)*)
    | (?P<num>(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?(?:\.\d+)*)
    | (?P<rem>(?<![.\#\w])[Rr][Ee][Mm](?![\w$%!@])[^\r\n]*)
    | (?P<js>//[^\r\n]*|/\*[\s\S]*?(?:\*/|\Z))
    | (?P<fp>::[^\r\n"]+?::)
    | (?P<hex>\$[0-9A-Fa-f]*\$)
    | (?P<mn>'[^'\s"]*')
    | (?P<sq>'[^'\r\n]*')
    | (?P<xop>===|!==|==|!=|=>|&&|\|\||\+\+|--|\+=|-=|\*=|/=|[{}&|~\\%$`'])
    | (?P<ws>[ \t\f\v\x1a\xa0\ufeff]+)
    | (?P<bad>.)
    )""",
    re.VERBOSE,
)
_G = _MASTER.groupindex
_ID, _OP, _CONT, _NL, _STR, _USTR, _NUM, _REM = (_G[k] for k in ("id", "op", "cont", "nl", "str", "ustr", "num", "rem"))
_HEX, _MN, _FP, _XOP, _WS = (_G[k] for k in ("hex", "mn", "fp", "xop", "ws"))
# token kind of each group number (xop tokens are plain "op" tokens)
_KIND = {index: ("op" if name == "xop" else name) for name, index in _G.items()}
# groups that make a line suspect (see Lexed.suspect)
_ODD = frozenset(_G[k] for k in ("ustr", "js", "sq", "xop", "bad"))

_NEWLINE = re.compile(r"\r\n|\r|\n")


class Lexed(NamedTuple):
    """Logical lines of tokens plus what is needed to map offsets back to line/col.

    suspect[i] is False when line i has balanced brackets and no token that the lexical and
    foreign-construct checks could flag, so those checks can skip it."""

    lines: list[list[Tok]]
    line_starts: list[int]
    suspect: list[bool]

    def where(self, pos: int) -> tuple[int, int]:
        """1-based (physical line, column) of a text offset."""
        idx = bisect_right(self.line_starts, pos) - 1
        return idx + 1, pos - self.line_starts[idx] + 1


def line_starts_of(text: str) -> list[int]:
    """Offsets where each physical line starts (\\r\\n, \\r and \\n all end a line)."""
    starts = [0]
    starts.extend([m.end() for m in _NEWLINE.finditer(text)])
    return starts


# Identifiers that the foreign-construct check looks at (console.log, alert(, ...).
SUSPECT_WORDS = frozenset(["console", "document", "json", "alert"])
MAX_DEPTH = 1000


def tokenize(text: str) -> Lexed:
    """Split `text` into logical lines of tokens; never raises."""
    lines: list[list[Tok]] = []
    suspect: list[bool] = []
    cur: list[Tok] = []
    append = cur.append
    par = brk = 0  # bracket balance of the current line
    odd = False  # the current line needs the lexical/foreign checks
    for m in _MASTER.finditer(text):
        g = m.lastindex
        if g == _ID:
            start, end = m.span(g)
            val = text[start:end]
            low = val.lower()
            append(("id", val, start, low))
            if low in SUSPECT_WORDS:
                odd = True
        elif g == _OP:
            start, end = m.span(g)
            val = text[start:end]
            append(("op", val, start, val))
            if val == "(":
                par += 1
                if par > MAX_DEPTH:
                    odd = True
            elif val == ")":
                par -= 1
            elif val == "[":
                brk += 1
                if brk > MAX_DEPTH:
                    odd = True
            elif val == "]":
                brk -= 1
            if par < 0 or brk < 0:
                odd = True
        elif g == _NL:
            if cur:
                lines.append(cur)
                suspect.append(odd or par != 0 or brk != 0)
                cur = []
                append = cur.append
                par = brk = 0
                odd = False
        elif g in (_STR, _NUM):
            start, end = m.span(g)
            val = text[start:end]
            append((_KIND[g], val, start, val))
        elif g in (_REM, _CONT, _WS):
            continue
        else:
            start, end = m.span(g)  # type: ignore[arg-type]
            val = text[start:end]
            append((_KIND[g], val, start, val))  # type: ignore[index]
            if g in _ODD:
                odd = True
    if cur:
        lines.append(cur)
        suspect.append(odd or par != 0 or brk != 0)
    return Lexed(lines, line_starts_of(text), suspect)
