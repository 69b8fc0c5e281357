"""Constructs that the held-out checks on more public BBj code (docs/syntax-conformance.md,
"Held-out check on more public BBj code": first, second and third sample) found reported
wrongly, or reported as a cascade, one small program each.

The snippets are written for these tests; they only reproduce the language shape that real,
compiling programs use."""

from __future__ import annotations

import pytest

from curate.bbjsyntax import check_source

WINDOW = 'gui! = BBjAPI().openSysGui("X0")\nwin! = gui!.addWindow(20, 20, 400, 300, "Orders")\n'


def _codes(code: str) -> list[tuple[int, str]]:
    return [(i.line, i.code) for i in check_source(code)]


# == first sample =============================================================================


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
    code = "class public Flag\n    method public boolean isSet()\n        return 0\n    methodend\nclassend\n"
    assert _codes(code) == []


def test_malformed_return_value_outside_method_and_def_fn_is_still_reported() -> None:
    # a value on RETURN compiles anywhere (second sample below); a broken one does not
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
    # TO and STEP are names to BASIS's compiler (`step = 2`, see the second sample below); THEN is not
    assert _codes("then = 2\n") == [(1, "BBJ501")]


# == second sample ============================================================================

# -- a multi-line DEF needs no FNEND ------------------------------------------------------------


def test_def_without_fnend_before_the_next_def() -> None:
    code = (
        "total = fnhalf(10) + fnsquare(3)\n"
        "goto done\n"
        "def fnhalf(v)\n"
        "    if v < 0 then v = -v\n"
        "    return v / 2\n"
        "def fnsquare(v)\n"
        "    return v * v\n"
        "fnend\n"
        "done:\n"
        "print total\n"
    )
    assert _codes(code) == []


def test_def_without_fnend_at_the_end_of_the_file() -> None:
    code = 'print fnlabel$("a")\nstop\ndef fnlabel$(name$)\n    name$ = cvs(name$, 4)\n    return "[" + name$ + "]"\n'
    assert _codes(code) == []


def test_blocks_left_open_inside_an_unclosed_def_are_still_reported() -> None:
    code = "def fnsum(n)\n    s = 0\n    while n > 0\n        s = s + n, n = n - 1\n    return s\ndef fnone(n)\n    return 1\nfnend\n"
    assert _codes(code) == [(3, "BBJ504")]


def test_fnend_without_def_is_still_reported() -> None:
    assert _codes("x = 1\nfnend\n") == [(2, "BBJ505")]


# -- RETURN with a value compiles outside DEF FN too ----------------------------------------------


def test_return_value_in_a_one_line_if_at_top_level() -> None:
    code = "ready = 1\nif ready then return 1 fi\nIf ready Then Return 2 Fi\nreturn ready * 3\n"
    assert _codes(code) == []


def test_malformed_return_value_is_still_reported() -> None:
    assert _codes("def fntwice(v)\n    return v *\nfnend\n") == [(2, "BBJ501")]


# -- the MDI object has the methods of the MDI interfaces --------------------------------------


@pytest.mark.parametrize(
    "call",
    [
        "w = mdi!.getClientWidth() - 20",
        'mdi!.registerMDIClosingCallback(handler!, "onClosing")',
        "n = mdi!.countClients()",
        "mdi!.closeAll()",
        'mdi!.setTitle("Orders")',
    ],
)
def test_mdi_interface_methods(call: str) -> None:
    code = "if BBjAPI().isInMDI() then\n    mdi! = BBjAPI().getMDI()\n    " + call + "\nendif\n"
    assert _codes(code) == []


def test_fabricated_mdi_method_still_reported() -> None:
    code = 'mdi! = BBjAPI().getMDI()\nmdi!.addEventListener("close", "bye")\n'
    assert _codes(code) == [(2, "BBJ511")]


# -- TO and STEP are ordinary variable names ---------------------------------------------------


def test_to_and_step_assigned_as_variables() -> None:
    code = "step = 5\nTO = 100\nprint step, to\nfor i = 1 to 10 step 2\n    print i\nnext i\n"
    assert _codes(code) == []


def test_for_without_end_value_is_still_reported() -> None:
    assert _codes("for i = 1 to\n    print i\nnext i\n") == [(1, "BBJ501")]


# == third sample =============================================================================

# -- a FOR ... NEXT loop inside one one-line IF --------------------------------------------------


def test_for_and_next_inside_one_one_line_if() -> None:
    code = 'dim names$[3]\ncount = 3\nif count > 0 then for k = 1 to count; print names$[k]; next k\nprint "done"\n'
    assert _codes(code) == []


def test_for_and_bare_next_inside_one_one_line_if() -> None:
    code = "total = 0\nif total = 0 then for k = 1 to 5; total = total + k; next; print total\nend\n"
    assert _codes(code) == []


def test_for_and_next_inside_a_colon_continued_one_line_if() -> None:
    code = 'open_windows = 2\nif open_windows then\n:   for w = 1 to open_windows;\n:       print "closing ", w;\n:   next w\nrelease\n'
    assert _codes(code) == []


def test_next_in_a_one_line_if_still_continues_an_outer_loop() -> None:
    code = "for row = 1 to 10\n    if mod(row, 2) then next row\n    print row\nnext row\n"
    assert _codes(code) == []


def test_for_opened_in_a_one_line_if_may_still_close_on_a_later_line() -> None:
    code = "ready = 1\nif ready then for step_no = 1 to 3\n    print step_no\nnext step_no\n"
    assert _codes(code) == []


def test_unclosed_for_outside_an_if_is_still_reported() -> None:
    code = "for row = 1 to 10\n    print row\nend\n"
    assert _codes(code) == [(1, "BBJ504")]


# -- a variable declared twice with different classes -------------------------------------------


def test_redeclared_variable_has_no_certain_class() -> None:
    code = (
        'declare auto BBjInputN amount!\namount!.setMask("###0.00")\ndeclare auto BBjButton amount!\namount!.setMask("###0")\namount!.setImageFile("ok.png")\n'
    )
    assert _codes(code) == []


def test_parameter_redeclared_in_a_method_body_has_no_certain_class() -> None:
    code = (
        "class public Holder\n"
        "    method public void show(BBjInputN ctl!)\n"
        "        declare BBjButton ctl!\n"
        '        ctl!.setMask("00")\n'
        "    methodend\n"
        "classend\n"
    )
    assert _codes(code) == []


def test_same_class_declared_twice_is_still_checked() -> None:
    code = (
        "declare BBjTopLevelWindow win!\n"
        "declare BBjTopLevelWindow win!\n"
        'win! = BBjAPI().openSysGui("X0").addWindow(10, 10, 200, 100, "Win")\n'
        "win!.noSuchWindowMethod()\n"
    )
    assert _codes(code) == [(4, "BBJ511")]


def test_a_single_declare_is_still_checked() -> None:
    code = 'declare BBjTopLevelWindow win!\nwin! = BBjAPI().openSysGui("X0").addWindow(10, 10, 200, 100, "Win")\nwin!.noSuchWindowMethod()\n'
    assert _codes(code) == [(3, "BBJ511")]


def test_declarations_in_another_method_do_not_conflict() -> None:
    code = (
        "class public Pair\n"
        "    method public void first()\n"
        "        declare BBjChildWindow w!\n"
        "        w!.setVisible(1)\n"
        "    methodend\n"
        "    method public void second()\n"
        "        declare BBjTopLevelWindow w!\n"
        "        w!.noSuchWindowMethod()\n"
        "    methodend\n"
        "classend\n"
    )
    assert _codes(code) == [(8, "BBJ511")]


# -- a stray FI/ENDIF inside a SWITCH does not close an IF outside it ---------------------------


def test_endif_typed_for_next_in_a_case_arm_is_reported_once() -> None:
    code = (
        "mode = 1, n = 3\n"
        "if n > 0 then\n"
        "    switch mode\n"
        "        case 1\n"
        "            for k = 0 to n - 1\n"
        "                print k\n"
        "            endif\n"
        "            break\n"
        "        case 2\n"
        '            print "two"\n'
        "            break\n"
        "        case default\n"
        '            print "other"\n'
        "            break\n"
        "    swend\n"
        "endif\n"
    )
    codes = _codes(code)
    assert (5, "BBJ504") in codes
    assert len(codes) <= 2  # the FOR, at most the stray ENDIF; no cascade over later lines
    assert all(line in (5, 7) for line, _ in codes)


def test_switch_inside_a_multi_line_if_is_unaffected() -> None:
    code = (
        "answer = 2\n"
        "if answer > 0 then\n"
        "    switch answer\n"
        "        case 1\n"
        "            if answer = 1 then\n"
        '                print "one"\n'
        "            else\n"
        '                print "?"\n'
        "            endif\n"
        "            break\n"
        "        case default\n"
        '            print "many"\n'
        "            break\n"
        "    swend\n"
        "else\n"
        '    print "none"\n'
        "endif\n"
    )
    assert _codes(code) == []


# == fifth sample (issue 17) ==================================================================


@pytest.mark.parametrize(
    "code",
    [
        # whole arrays passed to a method: `Type name[ALL]` (and `name[]`, `name[,]`)
        "class public Strings\n"
        "    method public static BBjString glue(BBjString words$[all], BBjString sep$)\n"
        '        methodret ""\n'
        "    methodend\n"
        "    method public static void fill(BBjNumber grid[,], BBjInt size%)\n"
        "    methodend\n"
        "classend\n",
        # `ERR=*ENDIF` ends a verb's options; its arguments go on over ':' lines
        'if found then\n    call "lookup.aon",err=*endif,\n:       code$,\n:       name$\nendif\n',
        # line-numbered code continued on a line that keeps its number: `0120:,B$[ALL]`
        '0100 DIM A$[5],B$[5]\n0110 CALL "fill.aon",A$[ALL],\n0120:,B$[ALL],C$\n0130 END\n',
        # one-line IFs nested in a one-line IF, `FI;` and `; ELSE IF` on the same line
        "if n < 0 then if strict then n = 0 fi; else if n > 99 then n = 99\nprint n\n",
        "if (v < 0) v = 0; else if (v > 255) v = 255\n",
        # inside an IF block, an ELSE after a one-line IF belongs to the block
        "if mode = 2\n    if n > 0 then n = n - 1\nelse\n    n = n + 1\nendif\n",
        # ELSE on the line after a one-line IF ... THEN statement, then a block
        'if len(name$) then label$ = name$\nelse\n    label$ = "?"\n    missing = missing + 1\nfi\nprint label$\n',
        # a FOR whose only NEXT is inside a one-line IF (scan while blank)
        'for p = 1 to len(text$)\n    if text$(p, 1) = " " then next p\nfirst$ = text$(p)\n',
        # an IF block with a NEXT inside: the loop's real NEXT may sit in a never-closed IF
        "for p = 1 to 9\n    if skip(p) then\n        next p\n    fi\n    print p\nnext p\n",
    ],
)
def test_fifth_sample_shapes_are_valid(code: str) -> None:
    assert _codes(code) == []


@pytest.mark.parametrize(
    ("code", "opener"),
    [
        # an IF without THEN whose block runs on to the enclosing WEND
        ("while more\n    if qty > 0\n        total = total + qty\n    read more\nwend\n", 2),
        # ... to a label and a RETURN (a subroutine), then the end of the file
        ("gosub tally\nstop\ntally:\n    if qty\n        total = total + qty\n    return\n", 4),
        # an IF ... THEN block left open before METHODEND
        (
            "class public Cart\n    field public BBjNumber n\n    method public void add(BBjNumber q)\n"
            "        if q > 0 then\n            #n = #n + q\n    methodend\nclassend\n",
            4,
        ),
        # an ELSE with no IF block to belong to (not even the one-line IF just above it)
        ("if a then b = 1; else if c then d = 2\nelse\n    d = 3\n", 2),
        ("while more\n    if x > 9 then x = 0\n    read more\n    else\n        x = 1\nwend\n", 4),
    ],
)
def test_if_structure_the_compiler_accepts_is_only_a_warning(code: str, opener: int) -> None:
    issues = check_source(code)
    assert [(i.line, i.code, i.severity) for i in issues] == [(opener, "BBJ506", "warning")]


@pytest.mark.parametrize(
    ("code", "expected"),
    [
        ("class public A\n    method public void m()\n        print 1\nclassend\n", (2, "BBJ504")),
        ("class public A\n    method public void m()\n        print 1\n    methodend\n", (1, "BBJ504")),
        ("while more\n    read more\n", (1, "BBJ504")),
        ('for i = 1 to 3\n    print i\nprint "done"\n', (1, "BBJ504")),
        ("while more\n    for i = 1 to 3\n        print i\nwend\n", (2, "BBJ504")),
    ],
)
def test_model_slips_stay_errors(code: str, expected: tuple[int, str]) -> None:
    issues = check_source(code)
    assert expected in [(i.line, i.code) for i in issues]
    assert all(i.severity == "error" for i in issues)
