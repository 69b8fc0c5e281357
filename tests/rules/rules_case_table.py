"""Failing and passing cases for every registered rule: small Markdown files written to a
temporary `training-data/<topic>/` and run through the real loader and the rule.

A case names the code, the file content, and where the code must be reported: `lines` (exact
file lines) or `at` (a unique substring whose line is the expected one). `lines=[]` is a
passing case: the rule must report nothing."""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from curate.templates import CODE_PLACEHOLDER, EXPLANATION_PLACEHOLDER

HEAD = "title: Greet the user\ntype: completion\ngeneration: all\ndifficulty: basic"
CODE = '## Code\n\n```bbj\nrem Greet the user\nprint "hello"\n```\n'
EXPECTED = "## Expected Behavior\n\nPrints hello on the terminal.\n"
EXPLAIN = "## Explanation\n\nPRINT writes its arguments to the terminal.\n"
BODY = f"\n{CODE}\n{EXPECTED}\n{EXPLAIN}"


def doc(head: str = HEAD, body: str = BODY) -> str:
    return f"---\n{head}\n---\n{body}"


def head(**changes: str | None) -> str:
    """HEAD with keys replaced (None drops a key); new keys are appended in order."""
    lines = dict(line.split(": ", 1) for line in HEAD.split("\n"))
    for key, value in changes.items():
        if value is None:
            lines.pop(key, None)
        else:
            lines[key] = value
    return "\n".join(f"{k}: {v}" for k, v in lines.items())


def gen(generation: str, code: str, type_: str = "completion") -> str:
    """A valid example of `generation` whose one program is `code` (after its REM line)."""
    body = f"\n## Code\n\n```bbj\nrem Sample program\n{code}\n```\n\n{EXPECTED}\n{EXPLAIN}"
    return doc(head(generation=generation, type=type_), body)


def migration(
    before: str = 'print "old"', after: str = 'print "new"', source: str | None = "vpro5", target: str | None = "bbj-gui", sides: str = "both"
) -> str:
    parts = ["\n## Code\n"]
    if sides in ("both", "before"):
        parts.append(f"### Before ({source})\n\n<!-- filename: main.bbj -->\n```bbj\nrem Before\n{before}\n```\n")
    if sides in ("both", "after"):
        parts.append(f"### After ({target})\n\n<!-- filename: main.bbj -->\n```bbj\nrem After\n{after}\n```\n")
    parts.append(EXPLAIN)
    return doc(head(type="migration", generation="[vpro5, bbj-gui]", from_generation=source, to_generation=target), "\n".join(parts))


def make_dir(path: Path) -> None:
    path.mkdir(parents=True)


def make_symlink_loop(path: Path) -> None:
    os.symlink(path.name, path)


def make_sparse(path: Path) -> None:
    with open(path, "wb") as handle:
        handle.truncate(6 * 1024 * 1024)


@dataclass
class Case:
    code: str
    id: str
    content: str | bytes = field(default_factory=doc)
    lines: list[int] | None = None
    at: str | None = None
    path: str = "strings/greet-the-user.md"
    make: Callable[[Path], None] | None = None
    others: dict[str, str] = field(default_factory=dict)  # more files, for project rules
    env: dict[str, str] = field(default_factory=dict)  # for the fake bbjcpl (BBJ520-523)
    checker: str = "builtin"  # producer codes (BBJ5xx/6xx) run through `run_checks` with it
    budget: float | None = None  # seconds per file for the lint step (BBJ007)

    @property
    def failing(self) -> bool:
        return self.lines != [] or self.at is not None


def ok(code: str, id: str, content: str | bytes = "", **kw: object) -> Case:
    return Case(code, id, content or doc(), lines=[], **kw)  # type: ignore[arg-type]


VALID = doc()
CRLF = VALID.replace("\n", "\r\n")
TWO_FILES = '## Code\n\n<!-- filename: main.bbj -->\n```bbj\nrem Main\ncall "util.bbj"\n```\n\n<!-- filename: {name} -->\n```bbj\nrem Util\nprint "util"\n```\n'

NEAR = '{name} = 0\nfor i = 1 to 10\n{name} = {name} + i\nnext i\nprint "The sum of one to ten is ", {name}'
APPROVED_NEAR = gen("all", NEAR.format(name="sum")).replace("difficulty: basic", "difficulty: basic\nstatus: approved")

CASES: list[Case] = [
    # BBJ0xx: the file itself
    Case("BBJ001", "directory-named-md", lines=[1], make=make_dir),
    Case("BBJ001", "symlink-loop", lines=[1], make=make_symlink_loop),
    Case("BBJ001", "fifo", lines=[1], make=os.mkfifo),
    Case("BBJ001", "link-to-dev-zero", lines=[1], make=lambda path: path.symlink_to("/dev/zero")),
    ok("BBJ001", "regular-file"),
    Case("BBJ002", "nul-bytes", b"---\ntitle: x\x00\n---\n", lines=[1]),
    Case("BBJ002", "latin-1", b"---\ntitle: Caf\xe9\ntype: completion\n---\n", lines=[2]),
    ok("BBJ002", "utf8-accents", doc(head(title="Café à la carte"))),
    Case("BBJ003", "six-megabytes", lines=[1], make=make_sparse),
    ok("BBJ003", "small-file"),
    Case("BBJ004", "bom", ("\ufeff" + VALID).encode("utf-8"), lines=[1]),
    ok("BBJ004", "no-bom"),
    Case("BBJ005", "crlf", CRLF.encode("utf-8"), lines=[1]),
    Case("BBJ005", "first-cr-on-line-3", VALID.replace("type: completion\n", "type: completion\r\n").encode(), lines=[3]),
    ok("BBJ005", "lf"),
    Case("BBJ006", "zero-bytes", b"", lines=[1]),
    Case("BBJ006", "whitespace-only", "  \n\n\t\n", lines=[1]),
    ok("BBJ006", "content"),
    Case("BBJ007", "slower-than-the-budget", doc(body=BODY + "\n" + "print 1\n" * 200_000), lines=[1], budget=0.001),
    ok("BBJ007", "within-the-budget", budget=10.0),
    # BBJ1xx: structure
    Case("BBJ101", "heading-first", "# Greet\n\n" + BODY, lines=[1]),
    Case("BBJ101", "blank-line-first", "\n" + VALID, lines=[1]),
    ok("BBJ101", "front-matter-first"),
    Case("BBJ102", "never-closed", "---\ntitle: Greet\n## Code\n", lines=[1]),
    ok("BBJ102", "closed-with-dots", VALID.replace("\n---\n", "\n...\n", 1)),
    Case("BBJ103", "unclosed-flow-list", doc("title: Greet\ntype: [completion\ngeneration: all"), lines=[4]),
    Case("BBJ103", "bad-indent", doc("title: Greet\n  type: completion"), lines=[3]),
    Case("BBJ103", "alias", doc(HEAD + "\ndescription: &d hi\nreview_note: *d"), at="review_note: *d"),
    Case("BBJ103", "repeated-key", doc(HEAD + "\ntype: explanation"), at="type: explanation"),
    Case("BBJ103", "repeated-key-quoted", doc(HEAD + '\n"type": explanation'), at='"type": explanation'),
    Case("BBJ103", "repeated-key-explicit-form", doc(HEAD + "\n? type\n: explanation"), at="? type"),
    Case("BBJ103", "repeated-nested-key", doc(HEAD + "\nlint_ignore_reasons: {a: x, a: y}"), at="lint_ignore_reasons"),
    Case("BBJ103", "bad-explicit-timestamp", doc(HEAD + "\nreviewed: !!timestamp 2026-13-01"), lines=[2]),
    ok("BBJ103", "valid-yaml"),
    Case("BBJ104", "top-level-list", doc("- title: Greet\n- type: completion"), lines=[2]),
    Case("BBJ104", "scalar", doc("just some words"), lines=[2]),
    ok("BBJ104", "mapping"),
    Case("BBJ105", "completion-without-expected", doc(body=f"\n{CODE}\n{EXPLAIN}"), at="type: completion"),
    Case("BBJ105", "explanation-heading-deleted", doc(body=f"\n{CODE}\n{EXPECTED}\nPRINT writes.\n"), at="type: completion"),
    Case("BBJ105", "comprehension-without-code", doc(head(type="comprehension"), f"\n{EXPLAIN}"), at="type: comprehension"),
    ok("BBJ105", "expected-output-instead", doc(body=f"\n{CODE}\n## Expected Output\n\n```text\nhello\n```\n\n{EXPLAIN}")),
    ok("BBJ105", "explanation-needs-only-explanation", doc(head(type="explanation"), f"\n{EXPLAIN}\n```bbj\nrem x\nprint 1\n```\n")),
    Case("BBJ106", "empty-explanation", doc(body=f"\n{CODE}\n{EXPECTED}\n## Explanation\n\n<!-- write me -->\n"), at="## Explanation"),
    Case("BBJ106", "empty-expected", doc(body=f"\n{CODE}\n## Expected Behavior\n\n{EXPLAIN}"), at="## Expected Behavior"),
    ok("BBJ106", "all-filled"),
    Case("BBJ107", "code-section-prose", doc(body=f"\n## Code\n\nJust call print.\n\n{EXPECTED}\n{EXPLAIN}"), at="## Code"),
    Case("BBJ107", "explanation-without-block", doc(head(type="explanation"), f"\n{EXPLAIN}"), at="## Explanation"),
    ok("BBJ107", "block-only-in-explanation", doc(head(type="explanation"), f"\n{EXPLAIN}\n```bbj\nrem x\nprint 1\n```\n")),
    Case("BBJ108", "notes-section", doc(body=BODY + "\n## Notes\n\nSee the manual.\n"), at="## Notes"),
    Case("BBJ108", "typo", doc(body=f"\n{CODE}\n{EXPECTED}\n## Explaination\n\nPRINT writes.\n"), at="## Explaination"),
    ok("BBJ108", "case-insensitive-and-subsections", doc(body=BODY.replace("## Code", "## code").replace("PRINT writes", "### Details\n\nPRINT writes"))),
    Case("BBJ109", "code-twice", doc(body=BODY + "\n## Code\n\n```bbj\nrem again\nprint 2\n```\n"), lines=[23]),
    ok("BBJ109", "each-once"),
    Case("BBJ110", "unclosed", doc(body=f"\n{EXPECTED}\n{EXPLAIN}\n## Code\n\n```bbj\nrem x\nprint 1\n"), at="```bbj"),
    ok(
        "BBJ110", "tilde-fence-holds-backticks", doc(body=BODY.replace('```bbj\nrem Greet the user\nprint "hello"\n```', '~~~bbj\nrem Greet\nprint "```"\n~~~'))
    ),
    Case("BBJ111", "no-after", migration(sides="before"), at="## Code"),
    Case("BBJ111", "no-before", migration(sides="after"), at="## Code"),
    ok("BBJ111", "both-sides", migration()),
    Case("BBJ112", "snake-case", path="strings/Greet_User.md", lines=[1]),
    Case("BBJ112", "trailing-dash", path="strings/greet-.md", lines=[1]),
    ok("BBJ112", "kebab-with-digits", path="strings/greet-user-2.md"),
    Case("BBJ113", "unknown-folder", path="misc/greet-the-user.md", lines=[1]),
    Case("BBJ113", "no-topic-folder", path="greet-the-user.md", lines=[1]),
    ok("BBJ113", "known-topic", path="gui/greet-the-user.md"),
    Case(
        "BBJ114",
        "explanation-left-in-review",
        doc(head(status="in-review"), BODY.replace("PRINT writes its arguments to the terminal.", EXPLANATION_PLACEHOLDER)),
        at="TODO: explain",
    ),
    Case(
        "BBJ114", "starter-code-left-approved", doc(head(status="approved"), BODY.replace('print "hello"', f'print "{CODE_PLACEHOLDER}"')), at="TODO: replace"
    ),
    ok("BBJ114", "skeleton-in-a-draft", doc(head(status="draft"), BODY.replace("PRINT writes its arguments to the terminal.", EXPLANATION_PLACEHOLDER))),
    ok("BBJ114", "own-todo-note", doc(head(status="approved"), BODY.replace('print "hello"', 'rem TODO: a real note\nprint "hello"'))),
    # BBJ2xx: front matter
    Case("BBJ201", "no-generation", doc(head(generation=None)), lines=[1]),
    ok("BBJ201", "all-required"),
    Case("BBJ202", "plural-typo", doc(head(generation=None, generations="all")), at="generations: all"),
    ok("BBJ202", "known-keys", doc(head(status="draft", source="original"))),
    Case("BBJ203", "null-title", doc(head(title="")), at="title:"),
    Case("BBJ203", "number-title", doc(head(title="42")), at="title: 42"),
    Case("BBJ203", "bad-date", doc(head(reviewed="2026-13-01")), at="reviewed:"),
    Case("BBJ203", "repeated-generation", doc(head(generation="[dwc, dwc]")), at="generation:"),
    Case("BBJ203", "bad-tag", doc(head(tags="[Event Handling]")), at="tags:"),
    Case("BBJ203", "all-in-list", doc(head(generation="[all, dwc]")), at="generation:"),
    ok("BBJ203", "date-and-list", doc(head(reviewed="2026-01-05", generation="[bbj-gui, dwc]", tags="[gui, event-handling]"))),
    Case("BBJ204", "from-on-completion", doc(head(from_generation="vpro5")), at="from_generation:"),
    Case("BBJ204", "to-on-explanation", doc(head(type="explanation", to_generation="dwc"), f"\n{EXPLAIN}\n```bbj\nrem x\nprint 1\n```\n"), at="to_generation:"),
    ok("BBJ204", "on-migration", migration()),
    Case("BBJ205", "no-target", migration(target=None), at="type: migration"),
    Case("BBJ205", "neither", migration(source=None, target=None), lines=[3, 3]),
    ok("BBJ205", "both-given", migration()),
    Case("BBJ206", "same", migration(source="dwc", target="dwc"), at="to_generation:"),
    ok("BBJ206", "different", migration()),
    Case("BBJ206", "list-names-the-source", migration(source="vpro5", target="[vpro5, dwc]"), at="to_generation:"),
    ok("BBJ206", "list-of-other-targets", migration(target="[bbj-gui, dwc]").replace("### After ([bbj-gui, dwc])", "### After (bbj-gui, dwc)")),
    Case("BBJ207", "unknown-code", doc(head(lint_ignore="[BBJ302, BBJ199]")), at="lint_ignore:"),
    Case("BBJ207", "unknown-family-its-documented-bad-example", doc(head(lint_ignore="[BBJ999]")), at="lint_ignore:"),
    ok("BBJ207", "known-code", doc(head(lint_ignore="[BBJ302, BBJ401]"))),
    Case("BBJ208", "same-title-other-case", doc(head(title="GREET  the user")), path="strings/zz-greet.md", others={"strings/aa-greet.md": VALID}, at="title:"),
    ok("BBJ208", "different-titles", others={"strings/other.md": doc(head(title="Greet the world"))}),
    # BBJ3xx: code conventions
    Case("BBJ301", "basic", VALID.replace("```bbj", "```basic"), at="```basic"),
    Case("BBJ301", "bare-fence", VALID.replace("```bbj", "```"), lines=[10]),
    Case("BBJ301", "python-not-fixable", VALID.replace("```bbj", "```python"), at="```python"),
    Case("BBJ301", "bbj-in-output", doc(body=f"\n{CODE}\n## Expected Output\n\n```bbj\nhello\n```\n\n{EXPLAIN}"), lines=[17]),
    ok(
        "BBJ301",
        "upper-case-and-text-output",
        doc(body=f"\n{CODE.replace('```bbj', '```BBj')}\n## Expected Output\n\n```text\nhello\n```\n\n```\nbye\n```\n\n{EXPLAIN}"),
    ),
    Case("BBJ302", "no-rem", VALID.replace("rem Greet the user\n", ""), at='print "hello"'),
    Case("BBJ302", "rem-not-first", VALID.replace("rem Greet the user\n", '\n\nprint "x"\nrem late\n'), at='print "x"'),
    ok("BBJ302", "line-number-rem-and-excerpts", doc(body=BODY.replace("rem Greet", "\n0010 REM Greet") + '\n```bbj\nx$="excerpt"\n```\n')),
    ok("BBJ302", "mixed-case", VALID.replace("rem Greet", "  Rem Greet")),
    Case("BBJ303", "empty-block", doc(body=BODY + "\n```bbj\n\n```\n"), at="```bbj\n\n"),
    ok("BBJ303", "non-empty"),
    Case("BBJ304", "dot-dot", doc(body=TWO_FILES.format(name="../util.bbj") + f"\n{EXPECTED}\n{EXPLAIN}"), at="filename: ../"),
    Case("BBJ304", "absolute", doc(body=TWO_FILES.format(name="/tmp/util.bbj") + f"\n{EXPECTED}\n{EXPLAIN}"), at="filename: /tmp"),
    Case("BBJ304", "drive-letter", doc(body=TWO_FILES.format(name="C:util.bbj") + f"\n{EXPECTED}\n{EXPLAIN}"), at="filename: C:"),
    Case("BBJ304", "backslash", doc(body=TWO_FILES.format(name="lib\\util.bbj") + f"\n{EXPECTED}\n{EXPLAIN}"), at="filename: lib"),
    ok("BBJ304", "relative-folder", doc(body=TWO_FILES.format(name="lib/util.bbj") + f"\n{EXPECTED}\n{EXPLAIN}")),
    Case("BBJ305", "same-name-other-case", doc(body=TWO_FILES.format(name="MAIN.bbj") + f"\n{EXPECTED}\n{EXPLAIN}"), at="filename: MAIN"),
    ok("BBJ305", "before-and-after-share-a-name", migration()),
    Case("BBJ306", "unused-code", VALID.replace('print "hello"', 'print "hello" ; rem noqa: BBJ510'), at="print"),
    Case("BBJ306", "unknown-code", VALID.replace('print "hello"', 'print "hello" ; REM NOQA: BBJ9999'), at="print"),
    ok("BBJ306", "code-that-silences", VALID.replace('print "hello"', 'console.log("hello") ; rem noqa: BBJ510')),
    # BBJ4xx: generation consistency
    Case("BBJ401", "character-getsysgui", gen("character", 'print "x"\nsysgui! = BBjAPI().getSysGui()'), at="getSysGui"),
    Case("BBJ401", "dwc-vpro5-mnemonic", gen("dwc", "print (sysgui)'window'(10,10,200,100,\"Hi\",$00010003$)"), at="print (sysgui)"),
    Case("BBJ401", "vpro5-addwindow", gen("vpro5", 'w! = s!.addWindow(10,10,200,100,"Hi")'), at="addWindow"),
    Case("BBJ401", "bbj-gui-web-component", gen("bbj-gui", 'c! = w!.addWebComponent(101,10,10,100,30,"sl-button")'), at="addWebComponent"),
    Case("BBJ401", "bbj-gui-web-manager", gen("bbj-gui", "w! = BBjAPI().getWebManager()"), at="getWebManager"),
    Case("BBJ401", "migration-after-is-vpro5", migration(after="print (sysgui)'button'(1,1,1,1,1,\"B\",$$)"), at="print (sysgui)'button'"),
    ok("BBJ401", "dwc-addwindow", gen("dwc", 'w! = BBjAPI().getSysGui().addWindow(10,10,200,100,"Hi")')),
    ok("BBJ401", "rem-mentions-api", gen("character", 'rem a GUI program would call getSysGui() here\nprint @(10,5),"Hi"')),
    ok("BBJ401", "comparison-of-two", gen("[vpro5, bbj-gui]", 'print (sysgui)\'window\'(1,1,1,1,"A",$$)\nw! = BBjAPI().getSysGui().addWindow(1,1,1,1,"B")')),
    ok(
        "BBJ401",
        "migration-after-in-a-listed-target",
        migration(target="[bbj-gui, dwc]", after='BBjAPI().getWebManager().injectStyle("x")').replace("### After ([bbj-gui, dwc])", "### After (bbj-gui, dwc)"),
    ),
    Case(
        "BBJ401",
        "migration-after-in-no-listed-target",
        migration(target="[bbj-gui, dwc]", after="print (sysgui)'button'(1,1,1,1,1,\"B\",$$)").replace(
            "### After ([bbj-gui, dwc])", "### After (bbj-gui, dwc)"
        ),
        at="print (sysgui)'button'",
    ),
    ok("BBJ401", "migration-sides-match", migration(before="print (sysgui)'window'(1,1,1,1,\"A\",$$)", after='w! = s!.addWindow(1,1,1,1,"B")')),
    Case("BBJ403", "before-names-character", migration().replace("### Before (vpro5)", "### Before (character)"), at="### Before"),
    Case("BBJ403", "after-names-dwc", migration().replace("### After (bbj-gui)", "### After (DWC)"), at="### After"),
    ok("BBJ403", "case-insensitive-match", migration().replace("### After (bbj-gui)", "### After (BBj-GUI)")),
    ok("BBJ403", "human-names", migration().replace("### Before (vpro5)", "### Before (Visual PRO/5)").replace("### After (bbj-gui)", "### After (BBj GUI)")),
    ok(
        "BBJ403",
        "upstream-style-list",
        migration(source="character", target="[bbj-gui, dwc]", before='input "Name: ", name$')
        .replace("### Before (character)", "### Before (Character Mode)")
        .replace("### After ([bbj-gui, dwc])", "### After (BBj GUI/DWC)"),
    ),
    Case("BBJ403", "human-name-of-another-generation", migration().replace("### Before (vpro5)", "### Before (Character Mode)"), at="### Before"),
    Case("BBJ403", "unknown-name", migration().replace("### After (bbj-gui)", "### After (Swing)"), at="### After"),
    ok("BBJ403", "no-parentheses", migration().replace("### Before (vpro5)", "### Before")),
    ok("BBJ403", "after-names-both-listed-targets", migration(target="[bbj-gui, dwc]").replace("### After ([bbj-gui, dwc])", "### After (bbj-gui, dwc)")),
    ok("BBJ403", "after-names-one-listed-target", migration(target="[bbj-gui, dwc]").replace("### After ([bbj-gui, dwc])", "### After (DWC)")),
    Case(
        "BBJ403",
        "after-names-an-unlisted-target",
        migration(target="[bbj-gui, dwc]").replace("### After ([bbj-gui, dwc])", "### After (character)"),
        at="### After",
    ),
    Case("BBJ402", "all-addwindow", gen("all", 'w! = BBjAPI().getSysGui().addWindow(10,10,200,100,"Hi")'), at="addWindow"),
    ok("BBJ402", "all-plain-print", gen("all", 'print "hello"')),
    # BBJ5xx: the compile check, built-in checker (run through the real `bbj-curate check` steps)
    Case("BBJ501", "missing-operator", gen("all", "total = price tax"), at="total = price tax"),
    ok("BBJ501", "with-operator", gen("all", "total = price + tax")),
    Case("BBJ502", "unclosed-paren", gen("all", "print str(x"), at="print str(x"),
    ok("BBJ502", "closed-paren", gen("all", "print str(x)")),
    Case("BBJ503", "unterminated", gen("all", 'print "hello'), at='print "hello'),
    ok("BBJ503", "doubled-quotes", gen("all", 'print "Say ""hi"" now"')),
    Case("BBJ504", "while-without-wend", gen("all", "x = 0\nwhile x < 10\nx = x + 1"), at="while x < 10"),
    ok("BBJ504", "while-wend", gen("all", "x = 0\nwhile x < 10\nx = x + 1\nwend")),
    Case("BBJ505", "wend-closes-for", gen("all", "for i = 1 to 3\nwend"), at="wend"),
    ok("BBJ505", "next-closes-for", gen("all", "for i = 1 to 3\nnext i")),
    Case("BBJ506", "if-block-without-fi", gen("all", "x = 0\nif x < 10 then\n    x = x + 1\nprint x"), at="if x < 10 then"),
    Case("BBJ506", "else-without-if", gen("all", "x = 0\nelse\nprint x"), at="else"),
    ok("BBJ506", "if-block-with-fi", gen("all", "x = 0\nif x < 10 then\n    x = x + 1\nfi\nprint x")),
    Case("BBJ510", "console-log", gen("all", 'console.log("hi")'), at="console.log"),
    ok("BBJ510", "print", gen("all", 'print "hi"')),
    Case(
        "BBJ511",
        "add-event-listener",
        gen("bbj-gui", 'b! = BBjAPI().getSysGui().addWindow(10,10,200,100,"Hi").addButton(1,10,10,80,25,"OK")\nb!.addEventListener("click", "x")'),
        at="addEventListener",
    ),
    ok(
        "BBJ511",
        "set-callback",
        gen("bbj-gui", 'b! = BBjAPI().getSysGui().addWindow(10,10,200,100,"Hi").addButton(1,10,10,80,25,"OK")\nb!.setCallback(b!.ON_BUTTON_PUSH, "push")'),
    ),
    Case("BBJ512", "nested-too-deep", gen("all", "x = " + "(" * 1001 + "1" + ")" * 1001), at="x = ((("),
    ok("BBJ512", "nested-a-little", gen("all", "x = " + "(" * 50 + "1" + ")" * 50)),
    Case("BBJ524", "parent-folder", doc(body=TWO_FILES.format(name="../util.bbj") + f"\n{EXPECTED}\n{EXPLAIN}"), at="filename: ../util"),
    ok("BBJ524", "sub-folder", doc(body=TWO_FILES.format(name="lib/util.bbj") + f"\n{EXPECTED}\n{EXPLAIN}")),
    # BBJ52x: the bbjcpl adapter, against the fake compiler (tests/compile/fake_bbjcpl)
    Case("BBJ520", "bbjcpl-error", gen("all", "print x + "), at="print x + ", checker="bbjcpl", env={"FAKE_BBJCPL_BAD": '["print x +"]'}),
    ok("BBJ520", "bbjcpl-clean", gen("all", 'print "hi"'), checker="bbjcpl"),
    Case("BBJ521", "bbjcpl-hangs", at="rem Greet the user", checker="bbjcpl", env={"FAKE_BBJCPL_MODE": "sleep"}),
    ok("BBJ521", "bbjcpl-returns", checker="bbjcpl"),
    Case("BBJ522", "bbjcpl-crashes", at="rem Greet the user", checker="bbjcpl", env={"FAKE_BBJCPL_MODE": "crash"}),
    ok("BBJ522", "bbjcpl-runs", checker="bbjcpl"),
    Case("BBJ523", "bbjcpl-prints-a-stack-trace", at="rem Greet the user", checker="bbjcpl", env={"FAKE_BBJCPL_MODE": "garbage"}),
    ok("BBJ523", "bbjcpl-prints-its-format", gen("all", "print x + "), checker="bbjcpl", env={"FAKE_BBJCPL_BAD": '["print x +"]'}),
    # BBJ6xx: duplicates of another example (the approved one is kept, so this file is flagged)
    Case(
        "BBJ601",
        "one-word-of-prose-changed",
        gen("all", NEAR.format(name="sum")).replace("PRINT writes its", "PRINT shows its"),
        at="title:",
        others={"strings/sum-of-numbers.md": APPROVED_NEAR},
    ),
    ok("BBJ601", "different-program", gen("all", 'print "hello"'), others={"strings/sum-of-numbers.md": APPROVED_NEAR}),
    Case(
        "BBJ602",
        "prose-recased",
        gen("all", NEAR.format(name="sum")).replace("PRINT writes its", "print  writes its"),
        at="title:",
        others={"strings/sum-of-numbers.md": APPROVED_NEAR},
    ),
    ok("BBJ602", "near-but-not-exact", gen("all", NEAR.format(name="total")), others={"strings/sum-of-numbers.md": APPROVED_NEAR}),
]
