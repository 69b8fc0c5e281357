"""Regenerate `bbj_api_methods.json` (class -> method names) from the BBj javadoc data.

Why generated: the checker must not read ../shared at run time, and the javadoc JSON files
are large (docs, parameters); we keep only method names. The javadoc data lists each class's
own methods only, so the small inheritance table below (hand-written from the BBj object
model) supplies the inherited ones. It over-approximates on purpose: a method we wrongly
think a class has costs a missed finding, a method we wrongly think it lacks costs a false
error.

Run:  .venv/bin/python -m curate.bbjsyntax._gen_api [--api-dir ../shared/bbj-corpus/api]
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path

SOURCES = ("com.basis.bbj.proxies.sysgui.json", "com.basis.bbj.proxies.json")
OUT = Path(__file__).with_name("bbj_api_methods.json")

# Classes whose method lists we never check (value types, constants, empty data).
SKIP = {"BBjString", "BBjNumber", "BBjInt", "BBjConstants", "ProxyConstants", "SysGuiProxyConstants", "NonStandardAttribute", "BBjWebManager", "BBjHelpManager"}
NOT_CONTROLS = {
    "BBjGridSortInfo",
    "BBjGridCell",
    "BBjImageManager",
    "BBjSystemMetrics",
    "BBjFont",
    "BBjIcon",
    "BBjServerSecurity",
    "BBjImage",
    "BBjMenu",
    "BBjMenuItem",
    "BBjCheckableMenuItem",
    "BBjMenuBar",
    "BBjGridData",
    "BBjGeolocation",
    "BBjRadioGroup",
    "BBjPopupMenu",
}
# Interfaces implemented by specific control families only (given in EXTRA_PARENTS).
NOT_SHARED = {"ListBehavior", "Separator", "SysGuiBatchAgent", "WrappedJComponentBase", "FormBuilderWrappedJComponent"}
WINDOWS = {"BBjTopLevelWindow", "BBjChildWindow", "BBjDialogWindow"}
EXTRA_PARENTS = {
    # The javadoc lists some window methods (addMenuBar, addStatusBar, ...) only under the MDI
    # window interface; real programs call them on every window, so windows inherit that list.
    "BBjWindow": ["MDIWindowIF"],
    "BBjCheckBox": ["BBjToggleButton"],
    "BBjRadioButton": ["BBjToggleButton"],
    "BBjToolButton": ["BBjButton", "BBjToggleButton"],
    "BBjMenuButton": ["BBjButton"],
    "BBjListBox": ["ListBehavior"],
    "BBjListButton": ["BBjListBox", "BBjComboBox", "ListBehavior"],
    "BBjListEdit": ["BBjListBox", "BBjComboBox", "ListBehavior"],
    "BBjListSpinner": ["BBjSpinner", "ListBehavior"],
    "BBjInputD": ["BBjInput"],
    "BBjInputE": ["BBjInput"],
    "BBjInputN": ["BBjInput"],
    "BBjInputT": ["BBjInput"],
    "BBjInputDSpinner": ["BBjInputD", "BBjSpinner"],
    "BBjInputESpinner": ["BBjInputE", "BBjSpinner"],
    "BBjInputNSpinner": ["BBjInputN", "BBjSpinner"],
    "BBjInputTSpinner": ["BBjInputT", "BBjSpinner"],
    "BBjEditBoxSpinner": ["BBjEditBox", "BBjSpinner"],
    "BBjStandardGrid": ["BBjGrid"],
    "BBjDataAwareGrid": ["BBjGrid"],
    "BBjDataBoundGrid": ["BBjGrid"],
    "BBjDebugGrid": ["BBjGrid"],
    "BBjBarChart": ["BBjChart", "BBjCommonChart"],
    "BBjLineChart": ["BBjChart", "BBjCommonChart"],
    "BBjPieChart": ["BBjChart", "BBjCommonChart"],
    "BBjGenericChart": ["BBjChart", "BBjCommonChart"],
    "BBjCheckableMenuItem": ["BBjMenuItem"],
    "BBjMenu": ["BBjMenuItem"],
    "BBjPopupMenu": ["BBjMenu"],
    # The MDI object gets its closing callbacks, closeAll, borders and window methods from the
    # three MDI interfaces, which the javadoc data lists apart from BBjMDI's own 8 methods.
    "BBjMDI": ["MDIWindowIF", "MDIInfraStructureIF", "MDIBorderManagementIF"],
    "BBjFormatMappingAction": ["BBjMappingAction"],
}
FACTORY_EXTRAS = {
    "getsysgui": "BBjSysGui",
    "opensysgui": "BBjSysGui",
    "addwindow": "BBjTopLevelWindow",
    "createtoplevelwindow": "BBjTopLevelWindow",
    "getwindow": "BBjWindow",
    "getactivewindow": "BBjWindow",
    "addchildwindow": "BBjChildWindow",
    "getchildwindow": "BBjChildWindow",
    "createchildwindow": "BBjChildWindow",
    "addgrid": "BBjStandardGrid",
    "getgrid": "BBjStandardGrid",
    "addhorizontalslider": "BBjSlider",
    "addverticalslider": "BBjSlider",
    "addhorizontalscrollbar": "BBjScrollBar",
    "addverticalscrollbar": "BBjScrollBar",
    "getglobalnamespace": "BBjNamespace",
    "getgroupnamespace": "BBjNamespace",
    "getnewnamespace": "BBjNamespace",
    "getexistingnamespace": "BBjNamespace",
    "createsqlrecordset": "BBjRecordSet",
    "creatememoryrecordset": "BBjRecordSet",
    "createfilerecordset": "BBjRecordSet",
    "getparentwindow": "BBjWindow",
    "getcurrentsessioninfo": "BBjSessionInfo",
    "createpopupmenu": "BBjPopupMenu",
}
FACTORY_OWNERS = ("BBjAPI", "BBjSysGui", "BBjWindow", "BBjControl", "BBjMenuBar", "BBjMenu", "BBjPopupMenu")


def _complete_add_get(own: dict[str, set[str]]) -> None:
    """The javadoc lists some control accessors of a window only one way round (getDrawPanel
    without addDrawPanel): where a window has addX or getX for a class BBjX, give it both."""
    for owner in ("BBjWindow",):
        methods = own.get(owner, set())
        extra = set()
        for meth in methods:
            for have, want in (("add", "get"), ("get", "add")):
                if meth.startswith(have) and "BBj" + meth[3:] in own:
                    extra.add(want + meth[3:])
        methods |= extra


def build(api_dir: Path) -> dict[str, object]:
    """Compact data: classes (own methods), parents (inheritance), factories (method -> class)."""
    own: dict[str, set[str]] = {}
    sysgui: set[str] = set()
    for name in SOURCES:
        data = json.loads((api_dir / name).read_text(encoding="utf-8"))
        for cls in data["classes"]:
            own.setdefault(cls["name"], set()).update(m["name"] for m in cls["methods"])
            if name == SOURCES[0]:
                sysgui.add(cls["name"])
    _complete_add_get(own)
    interfaces = sorted(c for c in sysgui if not c.startswith("BBj") and c not in NOT_SHARED)
    parents: dict[str, list[str]] = {}
    for cls in sorted(own):
        if cls in SKIP:
            continue
        base = list(EXTRA_PARENTS.get(cls, []))
        if cls in sysgui and cls.startswith("BBj") and cls not in NOT_CONTROLS and cls != "BBjControl":
            if cls in WINDOWS:
                base.append("BBjWindow")
            base += ["BBjControl", *interfaces]
        if base:
            parents[cls] = sorted(set(base) - {cls})
    factories: dict[str, str] = {}
    for owner in FACTORY_OWNERS:
        for meth in own.get(owner, ()):
            for prefix in ("add", "get", "create", "make", "open"):
                target = "BBj" + meth[len(prefix) :]
                if meth.startswith(prefix) and target in own and target not in SKIP:
                    factories[meth.lower()] = target
    factories.update(FACTORY_EXTRAS)
    classes = {c: sorted(own[c]) for c in sorted(own) if c not in SKIP}
    return {"source": "bbj-corpus api/" + ", ".join(SOURCES), "classes": classes, "parents": parents, "factories": dict(sorted(factories.items()))}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    root = Path(__file__).resolve().parents[2]
    parser.add_argument("--api-dir", type=Path, default=root / ".." / "shared" / "bbj-corpus" / "api")
    parser.add_argument("--out", type=Path, default=OUT)
    args = parser.parse_args(argv)
    data = build(args.api_dir)
    args.out.write_text(json.dumps(data, separators=(",", ":"), sort_keys=False) + "\n", encoding="utf-8")
    print(f"wrote {args.out} ({len(data['classes'])} classes)")  # type: ignore[arg-type]
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
