"""Generate BBj example-like Markdown files with planted near duplicates, for the dedupe
benchmark: unrelated programs composed from statement families of every topic (strings,
file I/O, GUI, SQL, control flow, classes), and variants of some of them made the ways people
really copy an example: variables renamed, lines reordered, inserted or deleted, comments and
prose edited, literals changed. Deterministic for a seed."""

from __future__ import annotations

import random
from dataclasses import dataclass

NOUNS = [
    "customer",
    "order",
    "invoice",
    "item",
    "record",
    "line",
    "total",
    "count",
    "name",
    "file",
    "row",
    "user",
    "price",
    "stock",
    "code",
    "entry",
    "result",
    "buffer",
    "key",
    "window",
    "button",
    "grid",
    "field",
    "amount",
    "date",
    "vendor",
    "part",
    "note",
    "label",
    "index",
]
VERBS = [
    "reads",
    "writes",
    "prints",
    "counts",
    "sorts",
    "finds",
    "opens",
    "closes",
    "checks",
    "builds",
    "formats",
    "splits",
    "joins",
    "updates",
    "loads",
    "shows",
]
WORDS = [
    "hello",
    "world",
    "error",
    "ready",
    "done",
    "total",
    "report",
    "summary",
    "warning",
    "invalid",
    "saved",
    "loading",
    "closed",
    "open",
    "customer",
    "sales",
    "north",
    "south",
    "widget",
    "gadget",
]
SUFFIX = ["$", "", "%", "!"]
TOPICS = ["strings", "file-io", "gui", "database", "control-flow", "oop"]

FRAGMENTS = [
    ['{s}$ = "{w} {w2}"', 'print "{W}: ", {s}$', "print len({s}$)"],
    ['{s}$ = "{w}"', "for {i} = 1 to len({s}$)", "    print {s}$({i},1)", "next {i}"],
    ['{s}$ = cvs("{w} {w2}", 4)', 'if pos("{c}"={s}$) > 0 then print "found {w}"'],
    ["{n} = {k}", "while {n} > 0", "    {n} = {n} - {k2}", "    print {n}", "wend"],
    ["dim {a}[{k}]", "for {i} = 0 to {k}", "    {a}[{i}] = {i} * {k2}", "next {i}"],
    ["{ch} = unt", 'open ({ch})"{w}.dat"', "read record ({ch}, err={lbl}) {s}$", "close ({ch})"],
    ["{ch} = unt", 'open ({ch}, mode="O_CREATE")"{w}.txt"', 'write ({ch}) "{w2}", {k}', "close ({ch})"],
    ["sysgui! = BBjAPI().getSysGui()", '{o}! = sysgui!.addWindow({k}, {k2}, 400, 300, "{W}")', '{o}!.setCallback(BBjAPI.ON_CLOSE, "{lbl}")'],
    ['{o}! = win!.addButton({k}, 10, 10, 90, 25, "{W}")', '{o}!.setCallback(BBjAPI.ON_BUTTON_PUSH, "on_{w}")'],
    ['{o}! = win!.addEditBox({k}, 10, 40, 200, 25, "")', '{o}!.setText("{w}")', "{s}$ = {o}!.getText()"],
    ['{o}! = win!.addListBox({k}, 10, 70, 200, 100, "{w};{w2}")', "{o}!.selectIndex(0)"],
    ['sql$ = "SELECT * FROM {w} WHERE id = ?"', "{ch} = sqlunt", 'sqlopen ({ch}) "{W}DB"', "sqlprep ({ch}) sql$", "sqlexec ({ch}) {k}"],
    ['{r}! = BBjAPI().createMemoryRecordData("{w}:C(20),{w2}:N(10)")', '{r}!.setFieldValue("{w}", "{w2}")'],
    ["switch {n}", "    case {k}", '        print "{w}"', "        break", "    case default", '        print "{w2}"', "swend"],
    ["if {n} > {k} then", '    print "{w}"', "else", '    print "{w2}"', "endif"],
    ["gosub {lbl}", "stop", "{lbl}:", '    print "{W}"', "return"],
    ["declare java.util.HashMap {o}!", "{o}! = new java.util.HashMap()", '{o}!.put("{w}", {k})', 'print {o}!.get("{w}")'],
    ["class public {C}", "    field public BBjString {W}$", "    method public void {w}()", "        print #{W}$", "    methodend", "classend"],
    ['{s}$ = date(0:"%Yl-%Mz-%Dz")', 'print "{W} ", {s}$'],
    ['{n} = num("{k}", err={lbl})', "{n} = int({n} / {k2}) * {k2}", 'print str({n}:"###,##0")'],
    ['{s}$ = ""', "for {i} = 1 to {k}", "    {s}$ = {s}$ + chr(64 + {i})", "next {i}", "print {s}$"],
    ["print 'CS', @(0,0), \"{W}\"", 'print @({k},{k2}), "{w}"', 'input @({k},{k3}), "{W}: ", {s}$'],
    ["rem {w} the {w2} with {w3}", '{s}$ = stbl("{W}", "{w2}")'],
    ["{ch} = unt", 'open ({ch})"{w}.idx"', 'extract record ({ch}, key="{w2}", dom={lbl}) {s}$', "write record ({ch}) {s}$"],
]
SENTENCES = [
    "This example {v} the {n1} and {v2} the {n2}.",
    "The program uses {f}() to get the {n1} before it {v} anything.",
    "Note that {x} is a {kind} variable, so its name ends in {suf}.",
    "When the {n1} is empty the loop does not run at all.",
    "The {n2} is kept in {x} until the {n1} is {v3}.",
    "Use err= to branch to a label instead of stopping on an error.",
    "BBj keywords are not case-sensitive, but consistent case makes the {n1} code easier to read.",
    "The channel number comes from unt, so it never collides with an open {n2} channel.",
    "A callback names the label that handles the {n1} event.",
    "Closing the {n2} channel releases the lock on the {n1} file.",
    "The result is printed with a mask so the {n1} lines up in a report.",
    "In the {n1} case the {n2} is reused rather than created again.",
]


@dataclass
class Sample:
    id: str
    text: str
    family: int  # examples of one family are planted near duplicates of each other
    variant: int  # 0 for the original


def _names(rng: random.Random) -> dict[str, str]:
    def pick() -> str:
        return rng.choice(NOUNS) + rng.choice(["", "_" + rng.choice(NOUNS), str(rng.randint(1, 9))])

    def word() -> str:
        return rng.choice(WORDS)

    return {
        "s": pick(),
        "n": pick(),
        "a": pick(),
        "o": pick(),
        "r": pick(),
        "i": rng.choice(["i", "j", "k", "x"]),
        "ch": rng.choice(["chan", "ch", "fh", "unit"]) + rng.choice(["", "1", "2", "%"]),
        "lbl": rng.choice(NOUNS) + "_" + rng.choice(["err", "done", "exit", "sub"]),
        "w": word(),
        "w2": word(),
        "w3": word(),
        "W": word().upper(),
        "c": rng.choice("abcdefgxyz"),
        "C": rng.choice(NOUNS).capitalize() + rng.choice(NOUNS).capitalize(),
        "k": str(rng.randint(1, 99)),
        "k2": str(rng.randint(2, 20)),
        "k3": str(rng.randint(1, 24)),
    }


def _code(rng: random.Random) -> list[str]:
    lines = [f"rem {rng.choice(VERBS)} the {rng.choice(NOUNS)} {rng.choice(NOUNS)}"]
    for template in rng.sample(FRAGMENTS, rng.randint(3, 6)):
        names = _names(rng)
        lines.extend(line.format(**names) for line in template)
    return lines


def _prose(rng: random.Random, code: list[str]) -> list[str]:
    variables = [t for line in code for t in line.replace("(", " ").split() if t.endswith(("$", "!", "%"))] or ["x$"]
    out = []
    for template in rng.sample(SENTENCES, rng.randint(3, 6)):
        x = rng.choice(variables)
        out.append(
            template.format(
                v=rng.choice(VERBS),
                v2=rng.choice(VERBS),
                v3=rng.choice(VERBS),
                n1=rng.choice(NOUNS),
                n2=rng.choice(NOUNS),
                f=rng.choice(["len", "pos", "cvs", "str", "num", "unt"]),
                x=x,
                kind={"$": "string", "!": "object", "%": "integer"}[x[-1]],
                suf=x[-1],
            )
        )
    return out


def render(title: str, code: list[str], prose: list[str], status: str) -> str:
    return (
        f"---\ntitle: {title}\ntype: completion\ngeneration: all\nstatus: {status}\n---\n\n"
        "## Code\n\n```bbj\n" + "\n".join(code) + "\n```\n\n## Explanation\n\n" + " ".join(prose) + "\n"
    )


def mutate(rng: random.Random, code: list[str], prose: list[str], edits: int) -> tuple[list[str], list[str]]:
    """Apply `edits` random edits of the kinds people make when they copy an example."""
    code, prose = list(code), list(prose)
    for _ in range(edits):
        kind = rng.choice(["rename", "reorder", "insert", "delete", "comment", "prose", "literal"])
        if kind == "rename":
            tokens = sorted({t.rstrip("$!%") for line in code for t in line.replace("(", " ").replace(".", " ").split() if t[-1:] in "$!%" and t[:1].isalpha()})
            if tokens:
                old = rng.choice(tokens)
                new = rng.choice(NOUNS) + "_" + rng.choice(NOUNS)
                code = [line.replace(old, new) for line in code]
        elif kind == "reorder" and len(code) > 2:
            at = rng.randrange(len(code) - 1)
            code[at], code[at + 1] = code[at + 1], code[at]
        elif kind == "insert":
            code.insert(
                rng.randrange(len(code) + 1),
                rng.choice([f'print "{rng.choice(WORDS)}"', f"rem {rng.choice(VERBS)} {rng.choice(NOUNS)}", f"{rng.choice(NOUNS)} = {rng.randint(0, 99)}"]),
            )
        elif kind == "delete" and len(code) > 3:
            del code[rng.randrange(1, len(code))]
        elif kind == "comment":
            code[0] = f"rem {rng.choice(VERBS)} a {rng.choice(NOUNS)} and the {rng.choice(NOUNS)}"
        elif kind == "prose":
            at = rng.randrange(len(prose))
            words = prose[at].split()
            words[rng.randrange(len(words))] = rng.choice(NOUNS)
            prose[at] = " ".join(words)
            if rng.random() < 0.3:
                prose.insert(rng.randrange(len(prose) + 1), f"This also {rng.choice(VERBS)} the {rng.choice(NOUNS)}.")
        elif kind == "literal":
            at = rng.randrange(len(code))
            code[at] = code[at].replace(rng.choice(WORDS), rng.choice(WORDS)).replace(str(rng.randint(1, 9)), str(rng.randint(1, 9)))
    return code, prose


def generate(count: int, seed: int = 7, family_share: float = 0.4, max_edits: int = 8) -> list[Sample]:
    """`count` samples; about `family_share` of them are variants of an earlier original,
    each with 1..max_edits edits (few edits: clear duplicates; many: near the threshold)."""
    rng = random.Random(seed)
    samples: list[Sample] = []
    originals: list[tuple[int, list[str], list[str]]] = []
    variants: dict[int, int] = {}
    while len(samples) < count:
        if originals and rng.random() < family_share:
            family, code, prose = rng.choice(originals)
            variant = variants[family] = variants.get(family, 0) + 1
            code, prose = mutate(rng, code, prose, rng.randint(1, max_edits))
        else:
            family, variant = len(originals), 0
            code = _code(rng)
            prose = _prose(rng, code)
            originals.append((family, code, prose))
        topic = TOPICS[family % len(TOPICS)]
        status = rng.choice(["draft", "draft", "in-review", "approved"])
        samples.append(Sample(f"{topic}/ex{len(samples):06d}.md", render(f"Example {len(samples)}", code, prose, status), family, variant))
    return samples
