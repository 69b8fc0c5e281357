"""Which code belongs to which UI generation: the ONE table behind BBJ401/BBJ402, also shown in
docs/rules.md and read by the tests. Character-mode code (`PRINT @(x,y)`, `'CS'`) runs under
every generation, so it has no entry; each entry marks code that some generation cannot run.

DWC programs use the same BBjSysGui API as BBj GUI (so `addWindow` is fine in a dwc example),
plus CSS styling and the web manager, which only the browser client has. `executeAsyncScript`,
`executeScript` and `injectScript` have no entry: BBj GUI's BBjHtmlView has them too (the API
data in bbj-corpus/api, BBj 16.00/19.10)."""

from __future__ import annotations

import re
from collections.abc import Collection, Iterator
from dataclasses import dataclass
from functools import cache

GUI_OBJECTS = frozenset({"bbj-gui", "dwc"})
CONTROLS = (
    "Window|ChildWindow|Button|ToolButton|EditBox|CEdit|InputE|InputN|InputD|InputT|StaticText|ListBox|"
    "ListButton|ListEdit|CheckBox|RadioButton|Grid|Tree|TabCtrl|MenuBar|PopupMenu|HtmlView|ImageCtrl|"
    "ProgressBar|Slider|StatusBar|GroupBox|ScrollBar|Divider|Spinner"
)
REM_LINES = re.compile(r"^[ \t]*(?:[0-9]+[ \t]+)?rem\b.*$", re.MULTILINE)
CASE_SENSITIVE_ESCAPE = re.compile(r"\\[A-Z]")


@dataclass(frozen=True)
class GenerationPattern:
    """Code matching `regex` only runs under the `allowed` generations. BBj is case-insensitive,
    so `regex` is lower-cased and applied to lower-cased code: without re.IGNORECASE and without
    a leading `\\b`, Python's re can jump to a literal prefix, which makes the scan ~10x faster.
    A match that starts with a letter must start a word (checked in `pattern_hits`)."""

    name: str
    regex: re.Pattern[str]
    allowed: frozenset[str]
    what: str  # how docs/rules.md and messages name it
    sample: str  # a line it matches (the tests feed it to every generation)


def _pattern(name: str, regex: str, allowed: Collection[str], what: str, sample: str) -> GenerationPattern:
    if CASE_SENSITIVE_ESCAPE.search(regex):
        raise ValueError(f"{name}: upper-case escapes such as \\S change meaning when lower-cased")
    return GenerationPattern(name, re.compile(regex.lower()), frozenset(allowed), what, sample)


GENERATION_PATTERNS: tuple[GenerationPattern, ...] = (
    _pattern(
        "vpro5-sysgui-print",
        r"print\s*\(\s*(?:sys_?gui|gui)\w*\s*[,)]",
        {"vpro5"},
        "PRINT (sysgui)'...' mnemonics",
        "print (sysgui)'window'(100,100,320,150,\"Order\",$00010003$)",
    ),
    _pattern(
        "vpro5-control-mnemonic",
        r"'(?:button|checkbox|radiobutton|listbox|listbutton|listedit|inpute|inputn|edit|hscroll|vscroll)'\s*\(",
        {"vpro5"},
        "a Visual PRO/5 control mnemonic ('BUTTON'(...))",
        "print (chan)'button'(102,20,70,130,28,\"OK\",$$)",
    ),
    _pattern(
        "vpro5-ctrl-function",
        r"ctrl\s*\(\s*(?:sys_?gui|gui)\w*\s*,",
        {"vpro5"},
        "CTRL(sysgui,...)",
        "name$ = ctrl(sysgui,101,1)",
    ),
    _pattern(
        "sysgui-channel-open",
        r"open\s*\([^)]*\)\s*\"X0\"",
        {"vpro5", "bbj-gui", "dwc"},
        'OPEN (chan)"X0" (the SYSGUI device)',
        'open (sysgui)"X0"',
    ),
    _pattern(
        "bbjsysgui-api",
        r"(?:get|open)SysGui\s*\(|BBjSysGui\b",
        GUI_OBJECTS,
        "BBjSysGui (getSysGui(), openSysGui())",
        "sysgui! = BBjAPI().getSysGui()",
    ),
    _pattern(
        "bbjapi-control",
        rf"\.\s*add(?:{CONTROLS})\s*\(",
        GUI_OBJECTS,
        "BBjAPI controls (addWindow(), addButton(), ...)",
        'button! = window!.addButton(101,20,20,90,25,"OK")',
    ),
    _pattern(
        "css-styling",
        r"\.\s*(?:setStyle|addStyle|removeStyle|addClass|removeClass|setPanelStyle)\s*\(",
        GUI_OBJECTS,
        "CSS styling (setStyle(), addStyle(), addClass())",
        'button!.setStyle("color","red")',
    ),
    _pattern(
        "dwc-web-manager",
        r"getWebManager\s*\(|\.\s*injectStyle(?:Url)?\s*\(|\.\s*addWebComponent\s*\(",
        {"dwc"},
        "the browser API (getWebManager(), injectStyle(), addWebComponent())",
        "web! = BBjAPI().getWebManager()",
    ),
)


@cache
def _offending(generations: frozenset[str]) -> tuple[tuple[GenerationPattern, ...], re.Pattern[str] | None]:
    """The entries that none of `generations` runs, and one regex matching any of them (a cheap
    first pass: most blocks match nothing). Cached per label set, so compiled once per run."""
    patterns = tuple(p for p in GENERATION_PATTERNS if not p.allowed & generations)
    if not patterns:
        return (), None
    return patterns, re.compile("|".join(f"(?:{p.regex.pattern})" for p in patterns))


def _word_match(regex: re.Pattern[str], code: str) -> int | None:
    """Start of the first match that does not begin inside a word (`print` but not `reprint`)."""
    for match in regex.finditer(code):
        start = match.start()
        if start == 0 or not code[start].isalpha() or not (code[start - 1].isalnum() or code[start - 1] == "_"):
            return start
    return None


def pattern_hits(code: str, generations: frozenset[str] = frozenset()) -> Iterator[tuple[GenerationPattern, int]]:
    """Each entry that none of `generations` runs (by default: every entry) found in `code`,
    once, with the 0-based line of its first match. REM lines are ignored: a comment may name
    any API."""
    patterns, first_pass = _offending(generations)
    code = code.lower()
    if first_pass is None or not first_pass.search(code):
        return
    if "rem" in code:
        code = REM_LINES.sub("", code)
    for pattern in patterns:
        start = _word_match(pattern.regex, code)
        if start is not None:
            yield pattern, code.count("\n", 0, start)
