"""Constructs that the third held-out check on public BBj code (docs/syntax-conformance.md,
"Held-out check on more public BBj code", third sample) found reported wrongly, or reported
as a cascade.

Each snippet is written for these tests and only reproduces the language shape that real,
compiling programs use."""

from __future__ import annotations

from curate.bbjsyntax import check_source


def _codes(code: str) -> list[tuple[int, str]]:
    return [(i.line, i.code) for i in check_source(code)]


# -- a FOR ... NEXT loop inside one one-line IF --------------------------------------------------

def test_for_and_next_inside_one_one_line_if() -> None:
    code = (
        "dim names$[3]\n"
        "count = 3\n"
        "if count > 0 then for k = 1 to count; print names$[k]; next k\n"
        "print \"done\"\n"
    )
    assert _codes(code) == []


def test_for_and_bare_next_inside_one_one_line_if() -> None:
    code = (
        "total = 0\n"
        "if total = 0 then for k = 1 to 5; total = total + k; next; print total\n"
        "end\n"
    )
    assert _codes(code) == []


def test_for_and_next_inside_a_colon_continued_one_line_if() -> None:
    code = (
        "open_windows = 2\n"
        "if open_windows then\n"
        ":   for w = 1 to open_windows;\n"
        ":       print \"closing \", w;\n"
        ":   next w\n"
        "release\n"
    )
    assert _codes(code) == []


def test_next_in_a_one_line_if_still_continues_an_outer_loop() -> None:
    code = (
        "for row = 1 to 10\n"
        "    if mod(row, 2) then next row\n"
        "    print row\n"
        "next row\n"
    )
    assert _codes(code) == []


def test_for_opened_in_a_one_line_if_may_still_close_on_a_later_line() -> None:
    code = (
        "ready = 1\n"
        "if ready then for step_no = 1 to 3\n"
        "    print step_no\n"
        "next step_no\n"
    )
    assert _codes(code) == []


def test_unclosed_for_outside_an_if_is_still_reported() -> None:
    code = (
        "for row = 1 to 10\n"
        "    print row\n"
        "end\n"
    )
    assert _codes(code) == [(1, "BBJ504")]


# -- a variable declared twice with different classes -------------------------------------------

def test_redeclared_variable_has_no_certain_class() -> None:
    code = (
        "declare auto BBjInputN amount!\n"
        "amount!.setMask(\"###0.00\")\n"
        "declare auto BBjButton amount!\n"
        "amount!.setMask(\"###0\")\n"
        "amount!.setImageFile(\"ok.png\")\n"
    )
    assert _codes(code) == []


def test_parameter_redeclared_in_a_method_body_has_no_certain_class() -> None:
    code = (
        "class public Holder\n"
        "    method public void show(BBjInputN ctl!)\n"
        "        declare BBjButton ctl!\n"
        "        ctl!.setMask(\"00\")\n"
        "    methodend\n"
        "classend\n"
    )
    assert _codes(code) == []


def test_same_class_declared_twice_is_still_checked() -> None:
    code = (
        "declare BBjTopLevelWindow win!\n"
        "declare BBjTopLevelWindow win!\n"
        "win! = BBjAPI().openSysGui(\"X0\").addWindow(10, 10, 200, 100, \"Win\")\n"
        "win!.noSuchWindowMethod()\n"
    )
    assert _codes(code) == [(4, "BBJ511")]


def test_a_single_declare_is_still_checked() -> None:
    code = (
        "declare BBjTopLevelWindow win!\n"
        "win! = BBjAPI().openSysGui(\"X0\").addWindow(10, 10, 200, 100, \"Win\")\n"
        "win!.noSuchWindowMethod()\n"
    )
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
        "            print \"two\"\n"
        "            break\n"
        "        case default\n"
        "            print \"other\"\n"
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
        "                print \"one\"\n"
        "            else\n"
        "                print \"?\"\n"
        "            endif\n"
        "            break\n"
        "        case default\n"
        "            print \"many\"\n"
        "            break\n"
        "    swend\n"
        "else\n"
        "    print \"none\"\n"
        "endif\n"
    )
    assert _codes(code) == []
