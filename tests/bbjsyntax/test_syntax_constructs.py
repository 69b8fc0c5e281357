"""One construct per case: what BBj accepts, what it rejects, and with which code."""

from __future__ import annotations

import pytest
from bbjsyntax_mutants import FABRICATED_LINES

from curate.bbjsyntax import check_source

VALID = [
    'PRINT "Hello ""World"""',
    "x = 1, y = 2",
    'LET a$ = "x" + $0D0A$',
    "a! = BBjAPI().getSysGui()",
    '0010 PRINT "x"\n0020 GOTO 0010',
    'start: PRINT "x"; GOTO start',
    "rem just a comment",
    'PRINT "x"; rem comment',
    "REM upper case comment\nMETHODRET",
    'if a = 1 then print "one" else print "other"',
    "if a = 1 then\n  print 1\nelse\n  print 2\nfi",
    "IF A THEN\n  PRINT 1\nENDIF;REM done",
    "if x goto done\ndone:",
    'if x$ = "" x$ = "default"',
    "IF A=6 THEN B=7 ELSE X=6 FI; PRINT X",
    "if a then b = 1\n: else b = 2",
    "if x then 100 else 200",
    "if !(ok) then\n  print 1\nfi",
    "for i = 1 to 10 step 2\n  print i\nnext i",
    "for i = 1 to 3; print i; next",
    "for i = 1 to 10\n  if i = 5 then next i\n  print i\nnext i",
    "for i = 1 to 10\n  if i = 5 then\n    next i\n  fi\nnext i",
    "while x < 3\n  x = x + 1\nwend",
    "while 1\n  if x then break\nwend",
    "repeat\n  x = x + 1\nuntil x > 3",
    "switch x\n  case 1\n    break\n  case 2; print 2; break\n  case default\nswend",
    "SWITCH i; CASE 1; PRINT 1; BREAK; CASE DEFAULT; PRINT 0; SWEND",
    (
        "class public A extends B implements C, D\n  field private BBjString Name$ = \"\"\n  method public A()\n"
        "  methodend\n  method public static void go(BBjString a$, java.util.List l!)\n    methodret\n"
        "  methodend\nclassend"
    ),
    "class public A\n  method public String[] names(byte[] data)\n    methodret null()\n  methodend\nclassend",
    "class public A\n  method public void declared()\n  method public void other()\n    print 1\n  methodend\nclassend",
    "interface public I extends J\n  method public void run()\ninterfaceend",
    "use java.util.HashMap\nuse ::lib/util.bbj::Helper",
    "declare auto BBjTopLevelWindow w!",
    "declare String[] names!",
    "declare java.lang.String@ s$\ns$ = new String@()",
    "def fna(x) = x * 2",
    'def fnb$(a$)\n  return a$ + "!"\nfnend',
    "def fna(x)\n  return x",
    'open (1, err=*next)"file.txt"',
    "read record (1, key=k$, dom=*next)rec$",
    "READ RECORD(1,IND=2,ERR=9500)*,A$",
    "write (1)a$,b$",
    "print (0)'CS',@(0,0),\"x\",",
    'input (0, err=*same)@(5,5), "Name: ", n$:(""=done, LEN=1,20)\ndone:',
    "input *",
    'dim a$[10], b[2,3], c$:"NAME:C(10)"',
    'sqlopen (1)"db"\nsqlprep (1)"select * from t"\nsqlexec (1)',
    'callback(ON_CLOSE, "bye", 0)\nprocess_events\nbye: release',
    "on x gosub a, b\na:\nb:\nreturn",
    "x! = new java.util.ArrayList()",
    's$ = str(n:"###,##0.00")',
    "v$ = fid(ch)(9)(1, 3)",
    "exitto done\ndone:",
    'throw "bad", 200',
    'X! = "a"+\n: "b"',
    'msg$ = "line1\n: line2"',
    'CHANOPT (1)"BAUD=9600"',
    'MKEYED "f",[1:6],[7:10:"N"],0,16',
    'SELECT (1)rec$ FROM "t.dat" WHERE (rec.x>1) SORTBY rec.y$ LIMIT 0, 10',
    "x! = cast(BBjString[], y!)",
    "a = 0.1234.1",
    "release -1",
    "methodret",
    "next",
    "LET C=2;",
    "if 1 then\nprint 1",
    'System.out.println("x")',
    'x$ = "http://a/b // c { } === && ||"',
    "rem var x = 5; console.log(x) { }",
    "print 'HIDE', 'BOX'(1,2)",
    "label1: rem only a comment",
    "#this!.doIt()",
    "new Gen(a!, b!)",
    "::lib.bbj::Util.run()",
    "x = a AND b OR NOT(c)",
    "propertyLic!=System.getProperty(\"p\")",
    "table FF 00 01 9C 0A",
    "library\nASC(param:string): int",
]

INVALID = [
    ('print "abc', {"BBJ503"}),
    ("x = (1 + 2", {"BBJ502"}),
    ("x = 1 + 2)", {"BBJ502"}),
    ("x = a[1", {"BBJ502"}),
    ("x = 1 +", {"BBJ501"}),
    ("x = a b", {"BBJ501"}),
    ("print f(a b)", {"BBJ501"}),
    ("x = a & b", {"BBJ510"}),
    ("x = $zz", {"BBJ501"}),
    ("return 5 *", {"BBJ501"}),
    ("end 5", {"BBJ501"}),
    ("goto", {"BBJ501"}),
    ("method public void m()\n  print 1\nmethodend", {"BBJ501"}),
    ("for i = 1 to 10\n  print i", {"BBJ504"}),
    ("while 1\n  x = 1", {"BBJ504"}),
    ("repeat\n  x = 1", {"BBJ504"}),
    ("switch x\n  case 1\n    print 1", {"BBJ504"}),
    ("if x then\n  print 1", {"BBJ506"}),
    ("if x\n  print 1", {"BBJ506"}),
    ("class public A\n  method public void m()\n    print 1\n  methodend", {"BBJ504"}),
    ("class public A\n  method public void m()\n    print 1\nclassend", {"BBJ504"}),
    ("class public A\n  method public void m()\n    print 1\n  method public void n()\n  methodend\nclassend",
     {"BBJ504"}),
    ("interface public I\n  method public void m()", {"BBJ504"}),
    ("def fna(x)\n  while x\n    x = x - 1\n  return x", {"BBJ504"}),
    ("wend", {"BBJ505"}),
    ("swend", {"BBJ505"}),
    ("until x", {"BBJ505"}),
    ("methodend", {"BBJ505"}),
    ("classend", {"BBJ505"}),
    ("else", {"BBJ506"}),
    ("case 1", {"BBJ505"}),
    ("for i = 1 to 3\n  print i\nwend", {"BBJ504", "BBJ505"}),
    ("for i = 1 to 3\n  while x\n  next i\nwend", {"BBJ504", "BBJ505"}),
    ("class public A\n  method public void m(\n  methodend\nclassend", {"BBJ502", "BBJ505"}),
    ("class public A\n  method public void m())\n  methodend\nclassend", {"BBJ502", "BBJ505"}),
    ("case 1:", {"BBJ505", "BBJ510"}),
    ("var x = 5", {"BBJ510"}),
    ("x = 1;\ny = 2;\nz = 3;", {"BBJ510"}),
]


@pytest.mark.parametrize("code", VALID)
def test_valid(code: str) -> None:
    assert check_source(code) == []


@pytest.mark.parametrize(("code", "codes"), INVALID)
def test_invalid(code: str, codes: set[str]) -> None:
    assert {i.code for i in check_source(code)} == codes


@pytest.mark.parametrize("line", FABRICATED_LINES)
def test_fabricated_line(line: str) -> None:
    issues = check_source(f"x = 1\n{line}\ny = 2\n")
    assert any(i.code == "BBJ510" and i.line == 2 for i in issues), issues


def test_unclosed_block_is_reported_at_its_opener() -> None:
    code = "class public A\n  method public void m()\n    while 1\n      x = 1\n  methodend\nclassend\n"
    issues = check_source(code)
    assert [(i.line, i.code) for i in issues] == [(3, "BBJ504")]


def test_dropped_inner_end_blames_the_inner_block() -> None:
    """Indentation refines which block lost its end once the structure is known broken."""
    code = "while a\n  while b\n    x = 1\nwend\n"
    assert [(i.line, i.code) for i in check_source(code)] == [(2, "BBJ504")]


def test_issue_positions_are_one_based_and_sorted() -> None:
    code = 'x = 1\n  y = "abc\nz = (1\n'
    issues = check_source(code)
    assert [(i.line, i.col, i.code) for i in issues] == [(2, 7, "BBJ503"), (3, 5, "BBJ502")]
    assert issues == sorted(issues, key=lambda i: (i.line, i.col))
