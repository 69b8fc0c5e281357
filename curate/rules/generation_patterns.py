"""Which code belongs to which UI generation: the ONE table behind BBJ401/BBJ402, also shown in
docs/rules.md and read by the tests. Character-mode code (`PRINT @(x,y)`, `'CS'`) runs under
every generation, so it has no entry; each entry marks code that some generation cannot run.

DWC programs use the same BBjSysGui API as BBj GUI (so `addWindow` is fine in a dwc example),
plus CSS styling and the web manager, which only the browser client has."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

GUI_OBJECTS = frozenset({"bbj-gui", "dwc"})
CONTROLS = (
    "Window|ChildWindow|Button|ToolButton|EditBox|CEdit|InputE|InputN|InputD|InputT|StaticText|ListBox|"
    "ListButton|ListEdit|CheckBox|RadioButton|Grid|Tree|TabCtrl|MenuBar|PopupMenu|HtmlView|ImageCtrl|"
    "ProgressBar|Slider|StatusBar|GroupBox|ScrollBar|Divider|Spinner|WebComponent"
)
REM_LINES = re.compile(r"^[ \t]*(?:[0-9]+[ \t]+)?rem\b.*$", re.IGNORECASE | re.MULTILINE)


@dataclass(frozen=True)
class GenerationPattern:
    """Code matching `regex` only runs under the `allowed` generations."""

    name: str
    regex: re.Pattern[str]
    allowed: frozenset[str]
    what: str  # how docs/rules.md and messages name it
    sample: str  # a line it matches (the tests feed it to every generation)


def _pattern(name: str, regex: str, allowed: set[str], what: str, sample: str) -> GenerationPattern:
    return GenerationPattern(name, re.compile(regex, re.IGNORECASE), frozenset(allowed), what, sample)


GENERATION_PATTERNS: tuple[GenerationPattern, ...] = (
    _pattern(
        "vpro5-sysgui-print", r"\bprint\s*\(\s*(?:sys_?gui|gui)\w*\s*[,)]", {"vpro5"},
        "PRINT (sysgui)'...' mnemonics", "print (sysgui)'window'(100,100,320,150,\"Order\",$00010003$)",
    ),
    _pattern(
        "vpro5-control-mnemonic", r"'(?:button|checkbox|radiobutton|listbox|listbutton|listedit|inpute|inputn|edit|hscroll|vscroll)'\s*\(",
        {"vpro5"}, "a Visual PRO/5 control mnemonic ('BUTTON'(...))", "print (chan)'button'(102,20,70,130,28,\"OK\",$$)",
    ),
    _pattern(
        "vpro5-ctrl-function", r"\bctrl\s*\(\s*(?:sys_?gui|gui)\w*\s*,", {"vpro5"},
        "CTRL(sysgui,...)", "name$ = ctrl(sysgui,101,1)",
    ),
    _pattern(
        "sysgui-channel-open", r"\bopen\s*\([^)]*\)\s*\"X0\"", {"vpro5", "bbj-gui", "dwc"},
        'OPEN (chan)"X0" (the SYSGUI device)', 'open (sysgui)"X0"',
    ),
    _pattern(
        "bbjsysgui-api", r"\b(?:get|open)SysGui\s*\(|\bBBjSysGui\b", GUI_OBJECTS,
        "BBjSysGui (getSysGui(), openSysGui())", "sysgui! = BBjAPI().getSysGui()",
    ),
    _pattern(
        "bbjapi-control", rf"\.\s*add(?:{CONTROLS})\s*\(", GUI_OBJECTS,
        "BBjAPI controls (addWindow(), addButton(), ...)", 'button! = window!.addButton(101,20,20,90,25,"OK")',
    ),
    _pattern(
        "css-styling", r"\.\s*(?:setStyle|addStyle|removeStyle|addClass|removeClass)\s*\(", GUI_OBJECTS,
        "CSS styling (setStyle(), addStyle(), addClass())", 'button!.setStyle("color","red")',
    ),
    _pattern(
        "dwc-web-manager", r"\bgetWebManager\s*\(|\bexecuteAsyncScript\s*\(|\.\s*inject(?:Style|Script)(?:Url)?\s*\(", {"dwc"},
        "the browser API (getWebManager(), injectStyle(), executeAsyncScript())", "web! = BBjAPI().getWebManager()",
    ),
)

_ANY = re.compile("|".join(f"(?:{p.regex.pattern})" for p in GENERATION_PATTERNS), re.IGNORECASE)


def pattern_hits(code: str) -> Iterator[tuple[GenerationPattern, int]]:
    """Each pattern found in `code` once, with the 0-based line of its first match; REM lines
    are ignored (a comment may name any API)."""
    if not _ANY.search(code):
        return
    if "rem" in code.lower():
        code = REM_LINES.sub("", code)
    for pattern in GENERATION_PATTERNS:
        match = pattern.regex.search(code)
        if match:
            yield pattern, code.count("\n", 0, match.start())
