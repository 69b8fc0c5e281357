"""Reading bbjcpl's stderr: error lines in the real format, lines naming another file of the
program, unreadable output, and failing exits (the way a broken Java install looks)."""

from __future__ import annotations

import pytest

from curate.compile.bbjcpl import parse_output
from curate.compile.program import SourceFile

MAIN = SourceFile("Main.bbj", "x\n" * 10, range(20, 30))
NAMES = frozenset({"Main.bbj", "Util.bbj"})


@pytest.mark.parametrize(
    ("stderr", "stdout", "returncode", "expected"),
    [
        (
            "/t/Main.bbj: error at line 30 (3):     method public void m())\n",
            "",
            0,
            [("Main.bbj", 3, "BBJ520", "bbjcpl: error at BBj line 30: method public void m())")],
        ),
        ("/t/Main.bbj: error at line 7 (7): print x)\n", "", 0, [("Main.bbj", 7, "BBJ520", "bbjcpl: error at line 7: print x)")]),
        ("/t/Util.bbj: error at line 20 (2): classend)\n", "", 0, [("Util.bbj", 2, "BBJ520", "bbjcpl: error at BBj line 20: classend)")]),
        ("/t/Other.bbj: error at line 20 (2): x\n", "", 0, [("Main.bbj", 2, "BBJ520", "bbjcpl: error at BBj line 20: x")]),
        (
            '/t/Main.bbj: error at line 10 (1): print "a: error at line 5 (9): b"\n',
            "",
            0,
            [("Main.bbj", 1, "BBJ520", 'bbjcpl: error at BBj line 10: print "a: error at line 5 (9): b"')],
        ),
        ("Picked up JAVA_TOOL_OPTIONS\n", "", 0, [("Main.bbj", 0, "BBJ523", "unrecognised bbjcpl output: Picked up JAVA_TOOL_OPTIONS")]),
        (
            "/t/Main.bbj: error at line 10 (1): x(\nwarning: odd\n",
            "",
            0,
            [("Main.bbj", 1, "BBJ520", "bbjcpl: error at BBj line 10: x("), ("Main.bbj", 0, "BBJ523", "unrecognised bbjcpl output: warning: odd")],
        ),
        (
            "bbjcpl: line 3: java: command not found\n",
            "",
            127,
            [("Main.bbj", 0, "BBJ522", "bbjcpl exited with status 127: bbjcpl: line 3: java: command not found")],
        ),
        ("", "usage: bbjcpl [-N] file\n", 2, [("Main.bbj", 0, "BBJ522", "bbjcpl exited with status 2: usage: bbjcpl [-N] file")]),
        ("", "", -9, [("Main.bbj", 0, "BBJ522", "bbjcpl was killed by signal 9: no output")]),
        ("", "", 0, []),
        ("\n  \n", "banner on stdout\n", 0, []),
    ],
)
def test_parse_output(stderr: str, stdout: str, returncode: int, expected: list[tuple[str, int, str, str]]) -> None:
    found = parse_output(MAIN, stderr, stdout, returncode, NAMES)
    assert [(f.file, f.line, f.code, f.message) for f in found] == expected


def test_long_output_is_cut() -> None:
    (finding,) = parse_output(MAIN, "x" * 5000 + "\n", "", 0, NAMES)
    assert finding.code == "BBJ523" and len(finding.message) < 700 and finding.message.endswith("...")
