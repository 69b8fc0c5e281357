"""One compiled master regex turns BBj source into logical lines of tokens.

Why one regex: the checker must read >= 1 MB/s on one core, so the per-character work is left
to `re` and Python only touches whole tokens. A logical line is a physical line plus any
following lines that start with ':' (BBj's line continuation; in line-numbered code the
continuation line keeps its number, `0760:,B$`); REM comments are dropped here.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from itertools import accumulate
from typing import Final, NamedTuple

# One token: (kind, text, offset in the source, lowercased text), read by field name as
# t[KIND], t[TEXT], t[POS], t[LOW]. A plain tuple, not a NamedTuple: building ~100k of them
# per MB is the lexer's main cost, and NamedTuple construction made the whole check 0.73x as fast
# (docs/benchmarks.md, measured interleaved after the faster lexer),
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
# first): the regex engine tries them in order at every token. What never becomes a token is
# skipped inside the match, before the token: blanks, REM comments (to the end of the line)
# and ':' continuations (a line break, blanks, maybe the line number, then ':'), so a comment
# line costs one match, not two. Brackets have a group of their own (the only operators the
# loop counts); the op group only takes operators that cannot start a longer token, the rest
# fall through to the later groups. `end` matches once, empty, at the end of the text.
_BLANK = r"[ \t\f\v\x1a\xa0\ufeff]"
_BREAK = r"(?:\r\n|\r|\n)"
_CONT = rf"{_BREAK}[ \t\f\v]*(?:\d+)?:(?!:)"
_MASTER = re.compile(
    rf"""(?:{_BLANK}+|[Rr](?<![.\#\w][Rr])[Ee][Mm](?![\w$%!@])[^\r\n]*|{_CONT})*(?:
      (?P<id>[A-Za-z_][A-Za-z0-9_]*(?:[$%!]|@(?!\())?)
    | (?P<op>[,;\#?^@]|\.(?!\d)|=(?![=<>])|\+(?![+=])|-(?![-=])|\*(?!=)|/(?![/*=])|<(?![>=])
             |>(?!=)|:(?!:)|!(?!=)|<>|<=|>=|=<|::(?![^\r\n"]+?::))
    | (?P<lp>\()
    | (?P<rp>\))
    | (?P<nl>{_BREAK})
    | (?P<lb>\[)
    | (?P<rb>\])
    | (?P<str>"[^"\r\n]*(?:(?:""|{_CONT})[^"\r\n]*)*")
    | (?P<ustr>"[^"\r\n]*(?:(?:""|{_CONT})[^"\r\n]*)*)
    | (?P<num>(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?(?:\.\d+)*)
    | (?P<js>//[^\r\n]*|/\*[\s\S]*?(?:\*/|\Z))
    | (?P<fp>::[^\r\n"]+?::)
    | (?P<hex>\$[0-9A-Fa-f]*\$)
    | (?P<mn>'[^'\s"]*')
    | (?P<sq>'[^'\r\n]*')
    | (?P<xop>===|!==|==|!=|=>|&&|\|\||\+\+|--|\+=|-=|\*=|/=|[{{}}&|~\\%$`'])
    | (?P<bad>.)
    | (?P<end>\Z)
    )""",
    re.VERBOSE,
)
_G = _MASTER.groupindex
_ID, _OP, _LP, _RP, _NL, _LB, _RB, _STR, _NUM = (_G[k] for k in ("id", "op", "lp", "rp", "nl", "lb", "rb", "str", "num"))
_HEX, _MN, _FP, _XOP, _END = (_G[k] for k in ("hex", "mn", "fp", "xop", "end"))
# token kind of each group number (bracket and xop tokens are plain "op" tokens)
_KIND = {index: ("op" if name in ("xop", "lp", "rp", "lb", "rb") else name) for name, index in _G.items()}
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

    def col_of(self, pos: int) -> int:
        """1-based column of a text offset (the parser asks for it at every block event)."""
        starts = self.line_starts
        return pos - starts[bisect_right(starts, pos) - 1] + 1


# Bytes that are either control characters (a sign of binary input, see checker._binary) or
# line ends other than \r and \n to str.splitlines (\v, \f, \x1c-\x1e).
_ODD_BYTES = bytes([*range(0x00, 0x09), 0x0B, 0x0C, *range(0x0E, 0x1A), *range(0x1B, 0x20), 0x7F])


def plain_text(text: str) -> bool:
    """True when `text` has no control character besides tab, \r, \n and Ctrl-Z, and no line end
    besides \r and \n (so str.splitlines agrees with BBj's line ends).

    Why bytes: deleting a byte set from the UTF-8 form runs in C at memory speed, about five
    times faster than a regex character-class search over the text; UTF-8 never uses bytes
    below 0x80 inside a multi-byte character, and the three non-ASCII line ends are found by
    plain substring search."""
    data = text.encode("utf-8", "surrogatepass")
    if len(data.translate(None, _ODD_BYTES)) != len(data):
        return False
    return text.isascii() or not ("\x85" in text or "\u2028" in text or "\u2029" in text)


def line_starts_of(text: str, plain: bool = False) -> list[int]:
    """Offsets where each physical line starts (\\r\\n, \\r and \\n all end a line).

    For `plain` text (see plain_text) str.splitlines does the work in C."""
    if plain:
        starts = list(accumulate(map(len, text.splitlines(True)), initial=0))
        if len(starts) > 1 and text[-1] not in "\r\n":
            starts.pop()  # the last line has no line break: nothing starts after it
        return starts
    starts = [0]
    starts.extend([m.end() for m in _NEWLINE.finditer(text)])
    return starts


_ASCII_LOWER = str.maketrans("ABCDEFGHIJKLMNOPQRSTUVWXYZ", "abcdefghijklmnopqrstuvwxyz")
# Identifiers that the foreign-construct check looks at (console.log, alert(, ...).
SUSPECT_WORDS = frozenset(["console", "document", "json", "alert"])
MAX_DEPTH = 1000


def tokenize(text: str, plain: bool = False) -> Lexed:
    """Split `text` into logical lines of tokens; never raises. `plain`: see plain_text."""
    lines: list[list[Tok]] = []
    suspect: list[bool] = []
    cur: list[Tok] = []
    append = cur.append
    # Sliced per identifier: one pass in C instead of a call per token. Identifiers are ASCII, so
    # only A-Z need lowering, and offsets stay put even where a lowercase is longer ('İ').
    lowered = text.lower() if text.isascii() else text.translate(_ASCII_LOWER)
    par = brk = 0  # bracket balance of the current line
    odd = False  # the current line needs the lexical/foreign checks
    for m in _MASTER.finditer(text):
        g = m.lastindex
        if g == _ID:
            start, end = m.span(g)
            low = lowered[start:end]
            append(("id", text[start:end], start, low))
            if low in SUSPECT_WORDS:
                odd = True
        elif g == _OP:
            start, end = m.span(g)
            val = text[start:end]
            append(("op", val, start, val))
        elif g == _LP:
            start = m.start(g)
            append(("op", "(", start, "("))
            par += 1
            if par > MAX_DEPTH:
                odd = True
        elif g == _RP:
            start = m.start(g)
            append(("op", ")", start, ")"))
            par -= 1
            if par < 0:
                odd = True
        elif g == _NL:
            if cur:
                lines.append(cur)
                suspect.append(odd or par != 0 or brk != 0)
                cur = []
                append = cur.append
                par = brk = 0
                odd = False
        elif g == _LB:
            start = m.start(g)
            append(("op", "[", start, "["))
            brk += 1
            if brk > MAX_DEPTH:
                odd = True
        elif g == _RB:
            start = m.start(g)
            append(("op", "]", start, "]"))
            brk -= 1
            if brk < 0:
                odd = True
        elif g in (_STR, _NUM):
            start, end = m.span(g)
            val = text[start:end]
            append((_KIND[g], val, start, val))
        elif g != _END:
            start, end = m.span(g)  # type: ignore[arg-type]
            val = text[start:end]
            append((_KIND[g], val, start, val))  # type: ignore[index]
            if g in _ODD:
                odd = True
    if cur:
        lines.append(cur)
        suspect.append(odd or par != 0 or brk != 0)
    return Lexed(lines, line_starts_of(text, plain), suspect)
