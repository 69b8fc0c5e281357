"""A small Pygments lexer for BBj, enough to colour examples in the review TUI.

BBj keywords are case-insensitive (`METHODEND`, `methodend`); strings are double-quoted with
`""` as the escape; `rem` starts a comment that runs to the end of the line (also after a `;`
compound separator); variable names end in `$` (string), `%` (integer) or `!` (object); a name
followed by `:` at the start of a line is a label; mnemonics are single-quoted (`'CS'`)."""

from __future__ import annotations

from typing import ClassVar

from pygments.lexer import RegexLexer, words
from pygments.token import (
    Comment,
    Keyword,
    Name,
    Number,
    Operator,
    Punctuation,
    String,
    Text,
    Whitespace,
)

STATEMENTS = (
    "begin", "break", "call", "case", "chdir", "class", "classend", "clear", "close", "continue",
    "data", "declare", "def", "default", "delete", "dim", "direct", "disable", "do", "dread", "else",
    "elseif", "enable", "end", "endif", "endtrace", "enter", "erase", "escape", "exit", "exitto",
    "extends", "extract", "extractrecord", "fi", "field", "file", "find", "findrecord", "fnend",
    "for", "from", "gosub", "goto", "if", "implements", "indexed", "initfile", "input", "inpute",
    "inputn", "interface", "interfaceend", "iolist", "let", "library", "lock", "method", "methodend",
    "methodret", "mkdir", "mkeyed", "next", "on", "open", "precision", "print", "private",
    "process_events", "protected", "public", "read", "readrecord", "record", "redim", "release",
    "remove", "rename", "repeat", "reset", "restore", "retry", "return", "rmdir", "run", "save",
    "select", "seterr", "setesc", "setopts", "settime", "settrace", "sort", "sqlclose", "sqlexec",
    "sqlopen", "sqlprep", "sqlset", "start", "static", "step", "stop", "string", "swend", "switch",
    "then", "throw", "to", "unlock", "until", "use", "wait", "wend", "where", "while", "write",
    "writerecord", "xcall",
)
OPTIONS = ("err", "dom", "end", "ind", "key", "knum", "tim", "siz", "bsz", "len", "mode", "rec", "tbl", "opt")
WORD_OPERATORS = ("and", "or", "not", "xor")


class BBjLexer(RegexLexer):
    """Pygments lexer for BBj source (BASIS International's Business BASIC)."""

    name = "BBj"
    aliases: ClassVar[list[str]] = ["bbj"]
    filenames: ClassVar[list[str]] = ["*.bbj", "*.src"]

    tokens: ClassVar[dict[str, list[tuple[object, ...]]]] = {
        "root": [
            (r"[ \t]+", Whitespace),
            (r"\n", Text),
            (r"^\d+(?=[ \t])", Name.Label),
            (r"^[A-Za-z_][\w.]*:(?=[ \t]*(?:$|\n|[A-Za-z]))", Name.Label),
            (r"(?i)rem(?=[ \t\n]|$).*?$", Comment.Single),
            (r'"', String.Double, "string"),
            (r"'[^'\n]*'", String.Symbol),
            (r"/@@.*?@/", Comment.Multiline),
            (r"(?i)\b(" + "|".join(OPTIONS) + r")(?=\s*=)", Name.Attribute),
            (r"(?i)\b(" + "|".join(WORD_OPERATORS) + r")\b", Operator.Word),
            (r"(?i)\bfn(?!end\b)[A-Za-z_]\w*[$%]?", Name.Function),
            (r"[A-Za-z_]\w*[$%!](?=\s*\()", Name.Function),
            (r"[A-Za-z_][\w.]*[$%!]", Name.Variable),
            (words(STATEMENTS, prefix=r"(?i)\b", suffix=r"\b"), Keyword),
            (r"(?i)\b(?:null|bbjapi)(?=\s*\()", Keyword.Pseudo),
            (r"(?i)\b(?:true|false)\b", Keyword.Constant),
            (r"#[A-Za-z_]\w*[$%!]?", Name.Variable.Instance),
            (r"[A-Za-z_]\w*(?=\s*\()", Name.Function),
            (r"[A-Za-z_]\w*", Name),
            (r"\d+\.\d*(?:[eE][+-]?\d+)?|\.\d+(?:[eE][+-]?\d+)?|\d+(?:[eE][+-]?\d+)?", Number),
            (r"\$[0-9A-Fa-f]*\$", Number.Hex),
            (r"::|<>|<=|>=|[-+*/^=<>!]", Operator),
            (r"[()\[\],;:.@{}&|\\?]", Punctuation),
        ],
        "string": [
            (r'""', String.Escape),
            (r'"', String.Double, "#pop"),
            (r'[^"\n]+', String.Double),
            (r"\n", String.Double, "#pop"),
        ],
    }
