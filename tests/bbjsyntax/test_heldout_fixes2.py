"""Constructs that the second held-out check on public BBj code (docs/syntax-conformance.md,
"Held-out check on more public BBj code", second sample) found reported wrongly.

Each snippet is written for these tests and only reproduces the language shape that real,
compiling programs use."""

from __future__ import annotations

import pytest

from curate.bbjsyntax import check_source


def _codes(code: str) -> list[tuple[int, str]]:
    return [(i.line, i.code) for i in check_source(code)]


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
    code = (
        "print fnlabel$(\"a\")\n"
        "stop\n"
        "def fnlabel$(name$)\n"
        "    name$ = cvs(name$, 4)\n"
        "    return \"[\" + name$ + \"]\"\n"
    )
    assert _codes(code) == []


def test_blocks_left_open_inside_an_unclosed_def_are_still_reported() -> None:
    code = (
        "def fnsum(n)\n"
        "    s = 0\n"
        "    while n > 0\n"
        "        s = s + n, n = n - 1\n"
        "    return s\n"
        "def fnone(n)\n"
        "    return 1\n"
        "fnend\n"
    )
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
        "mdi!.setTitle(\"Orders\")",
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
