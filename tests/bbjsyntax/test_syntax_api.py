"""BBJ511: methods that a well-known BBj class does not have, with the type followed through
assignments, DECLARE, typed parameters, FIELDs and call chains."""

from __future__ import annotations

import pytest

from curate.bbjsyntax import check_source

SETUP = 'sysgui! = BBjAPI().openSysGui("X0")\nwindow! = sysgui!.addWindow(10, 10, 300, 200, "Demo")\nbutton! = window!.addButton(1, 10, 10, 80, 25, "OK")\n'


def _api(code: str) -> list[tuple[int, str]]:
    return [(i.line, i.message) for i in check_source(code) if i.code == "BBJ511"]


def test_seed_case_add_event_listener() -> None:
    issues = _api(SETUP + 'button!.addEventListener("click", "onClick")\n')
    assert len(issues) == 1
    line, message = issues[0]
    assert line == 4 and "BBjButton" in message and "addEventListener" in message and "setCallback" in message


@pytest.mark.parametrize(
    "call",
    [
        'button!.setCallback(BBjAPI.ON_BUTTON_PUSH, "onClick")',
        'button!.setText("Cancel")',
        "button!.setEnabled(0)",
        "button!.SETVISIBLE(1)",
        "button!.toString()",
        'window!.setTitle("New")',
        "window!.getAllControls()",
        'window!.addStyle("card")',
        "sysgui!.getAvailableContext()",
        'BBjAPI().getGlobalNamespace().setValue("k", 1)',
    ],
)
def test_methods_the_class_has(call: str) -> None:
    assert _api(SETUP + call + "\n") == []


@pytest.mark.parametrize(
    ("code", "name"),
    [
        (SETUP + 'window!.addLabel(1, 1, 1, 1, 1, "x")', "addLabel"),
        (SETUP + "window!.show()", "show"),
        (SETUP + 'edit! = window!.addEditBox(2, 1, 1, 1, 1, "")\nedit!.onChange("x")', "onChange"),
        ('BBjAPI().getSysGui().addWindow(1,1,1,1,"t").addButton(1,1,1,1,1,"b").onClick("x")', "onClick"),
        ('declare BBjButton b!\nb!.setOnAction("x")', "setOnAction"),
        ('sg! = BBjAPI().getSysGui()\nw = sg!.addWindow(1, 1, 1, 1, "x")\nw.fooBar()', "fooBar"),
        ("class public A\n  method public void m(BBjTopLevelWindow w!)\n    w!.render()\n  methodend\nclassend", "render"),
        (('class public A\n  field private BBjListBox Items!\n  method public void m()\n    #Items!.push("x")\n  methodend\nclassend'), "push"),
    ],
)
def test_methods_the_class_lacks(code: str, name: str) -> None:
    issues = _api(code)
    assert len(issues) == 1 and name in issues[0][1]


@pytest.mark.parametrize(
    "code",
    [
        SETUP + "button! = new MyButton()\nbutton!.addEventListener(1)",  # reassigned: unknown
        SETUP + "button! = window!.getControl(1)\nbutton!.setSelected(1)",  # base type: subclasses count
        "unknown!.addEventListener(1)",
        "declare BBjButton b\nb = 5\nb.anything()",  # reassigned to a number
        "class public BBjButton\nclassend\ndeclare BBjButton b!\nb!.anything()",  # user class shadows
        "declare BBjString s!\ns!.anything()",  # value types are not checked
        "x! = BBjAPI().makeVector()\nx!.whatever()",  # no data for BBjVector
        SETUP + "class public A\n  method public void m()\n    button!.addEventListener(1)\n  methodend\nclassend",
    ],
)
def test_unknown_or_uncertain_types_are_not_flagged(code: str) -> None:
    assert _api(code) == []
