"""Constructs that the held-out check on more public BBj code (docs/syntax-conformance.md,
"Held-out check on more public BBj code") found reported wrongly, one small program each.

The snippets are written for these tests; they only reproduce the language shape that real,
compiling programs use."""

from __future__ import annotations

import pytest

from curate.bbjsyntax import check_source

WINDOW = (
    'gui! = BBjAPI().openSysGui("X0")\n'
    'win! = gui!.addWindow(20, 20, 400, 300, "Orders")\n'
)


def _codes(code: str) -> list[tuple[int, str]]:
    return [(i.line, i.code) for i in check_source(code)]


@pytest.mark.parametrize(
    "code",
    [
        # list buttons and list edits are combo boxes: their methods come from BBjComboBox
        WINDOW + 'kinds! = win!.addListButton(101, 10, 10, 120, 90, "A" + $0a$ + "B")\nkinds!.setFieldHeight(24)\n',
        WINDOW + 'city! = win!.addListEdit(102, 10, 40, 120, 90, "")\ncity!.openList()\n',
        # the javadoc lists addMenuBar/addStatusBar only under the MDI window interface
        WINDOW + "bar! = win!.addMenuBar()\nstatus! = win!.addStatusBar(103)\n",
        # windows have getDrawPanel, so they have addDrawPanel too
        WINDOW + "paint! = win!.addDrawPanel(104, 0, 0, 200, 100)\n",
        # popup menu items take callbacks like any control
        WINDOW + 'ok! = win!.addButton(105, 10, 70, 80, 25, "OK")\nmenu! = ok!.addPopupMenu()\n'
        'copy! = menu!.addMenuItem(-1, "Copy")\ncopy!.setCallback(copy!.ON_POPUP_ITEM_SELECT, "doCopy")\n'
        "copy!.setEnabled(0)\n",
        # grid classes extend interfaces the data lacks: their calls are not judged
        WINDOW + "lines! = win!.addGrid(106, 0, 0, 300, 200)\nlines!.startEdit(0, 1)\n",
        # one half of an accessor pair implies the other
        WINDOW + 'ok! = win!.addButton(105, 10, 70, 80, 25, "OK")\nshape = ok!.getCursor()\n',
    ],
)
def test_api_calls_real_programs_make(code: str) -> None:
    assert _codes(code) == []


def test_fabricated_method_still_reported_on_other_controls() -> None:
    code = WINDOW + 'ok! = win!.addButton(105, 10, 70, 80, 25, "OK")\nok!.addEventListener("click", "go")\n'
    assert _codes(code) == [(4, "BBJ511")]


def test_return_with_value_inside_a_method_body() -> None:
    code = (
        "class public Flag\n"
        "    method public boolean isSet()\n"
        "        return 0\n"
        "    methodend\n"
        "classend\n"
    )
    assert _codes(code) == []


def test_malformed_return_value_outside_method_and_def_fn_is_still_reported() -> None:
    # a value on RETURN compiles anywhere (test_heldout_fixes2); a broken one does not
    code = "class public Flag\n    method public void clear()\n    methodend\nclassend\nreturn 7 +\n"
    assert _codes(code) == [(5, "BBJ501")]


@pytest.mark.parametrize(
    "code",
    [
        'dim cust$:"NAME:C(20),BAL:N(10)"\nfield cust$,"NAME"="Acme"\n',
        'dim week$:"HRS[7]:N(5)"\nfor d = 1 to 7\n    field week$,"HRS",[d]=8,err=*next\nnext d\n',
        'FIELD rec$,"CITY_"+str(n:"00")=city$\n',
    ],
)
def test_field_verb_sets_a_template_field(code: str) -> None:
    assert _codes(code) == []


def test_class_field_declarations_are_still_checked() -> None:
    good = "class public Box\n    field public BBjNumber Width = 3\nclassend\n"
    bad = "class public Box\n    field public BBjNumber\nclassend\n"
    assert _codes(good) == []
    assert _codes(bad) == [(2, "BBJ501")]


@pytest.mark.parametrize(
    "code",
    [
        "limit = 20\nfor i = 1 to limit\n    print i\nnext i\n",
        "from = 3, where = from + 1\n",
        "if count < limit then print count\n",
        'select (1)rec$ from "orders.dat" where rec.total > limit sortby rec.name$ limit 0, 10\n',
        "begin except keep$, limit\n",
    ],
)
def test_select_clause_words_are_ordinary_names_elsewhere(code: str) -> None:
    assert _codes(code) == []


def test_reserved_words_stay_reserved() -> None:
    # TO and STEP are names to BASIS's compiler (`step = 2`, see test_heldout_fixes2); THEN is not
    assert _codes("then = 2\n") == [(1, "BBJ501")]
