"""Generate N varied, valid example files (all four types and five generation labels) for
benchmarks: `python bench/gen_examples.py OUT_DIR --count 10000`."""

from __future__ import annotations

import argparse
import random
from pathlib import Path

TOPICS = ["gui", "database", "strings", "file-io", "control-flow", "oop", "dwc"]
WORDS = "customer order invoice account ledger stock vendor report balance record item price total name city".split()
GUI = {
    "bbj-gui": [
        "sysgui! = BBjAPI().getSysGui()",
        'window! = sysgui!.addWindow(10,10,400,300,"{w}")',
        'button! = window!.addButton(101,20,20,100,25,"OK")',
        'button!.setCallback(BBjAPI.ON_BUTTON_PUSH,"on_ok")',
        "process_events",
        "on_ok:",
        'msgbox("{w} saved")',
        "return",
    ],
    "dwc": [
        "sysgui! = BBjAPI().getSysGui()",
        'window! = sysgui!.addWindow(10,10,400,300,"{w}")',
        'window!.setStyle("background","#eef")',
        'BBjAPI().getWebManager().injectStyle(".{w} { color: red; }")',
        "process_events",
    ],
    "character": ["print 'cs',@(10,5),\"{w}:\",", "input @(20,5),answer$", 'print @(10,7),"You typed ",answer$'],
    "vpro5": ["sysgui = unt", 'open (sysgui)"X0"', "print (sysgui)'window'(101,50,50,300,200,\"{w}\",$00010083$)"],
    "all": ['{w}$ = "{w}"', "count = len({w}$)", "for i = 1 to count", "    print {w}$(i,1)", "next i"],
}


def code(generation: str, rng: random.Random, title: str) -> str:
    word = rng.choice(WORDS)
    lines = [f"rem {title}"] + [line.replace("{w}", word) for line in GUI[generation]]
    lines += [f'{rng.choice(WORDS)}_{i}$ = "{rng.choice(WORDS)} {rng.randint(1, 99999)}"' for i in range(rng.randint(1, 6))]
    return "\n".join(lines)


def example(index: int, rng: random.Random) -> tuple[str, str]:
    kind = ["completion", "comprehension", "migration", "explanation"][index % 4]
    generation = ["all", "character", "vpro5", "bbj-gui", "dwc"][index % 5]
    words = " ".join(rng.choice(WORDS) for _ in range(4))
    title = f"Example {index} {words}"
    meta = [f"title: {title}", f"type: {kind}"]
    if kind == "migration":
        source, target = ("vpro5", "bbj-gui") if generation in ("vpro5", "all", "character") else ("bbj-gui", "dwc")
        meta += [f"generation: [{source}, {target}]", f"from_generation: {source}", f"to_generation: {target}"]
        body = (
            f"## Code\n\n### Before ({source})\n\n```bbj\n{code(source, rng, title)}\n```\n\n### After ({target})\n\n```bbj\n{code(target, rng, title)}\n```\n"
        )
    else:
        meta.append(f"generation: {generation}")
        body = f"## Code\n\n```bbj\n{code(generation, rng, title)}\n```\n"
        if kind in ("completion", "comprehension"):
            body += f"\n## Expected Behavior\n\nThe program shows the {words} and waits for the user.\n"
    meta += ["difficulty: basic", f"tags: [{rng.choice(WORDS)}]", "status: approved"]
    body += f"\n## Explanation\n\nThis example {index} explains how the {words} are handled, step by step, in BBj.\n"
    return TOPICS[index % len(TOPICS)], "---\n" + "\n".join(meta) + "\n---\n\n" + body


def generate(out: Path, count: int, seed: int = 7) -> list[Path]:
    rng = random.Random(seed)
    paths = []
    for index in range(count):
        topic, text = example(index, rng)
        path = out / topic / f"example-{index:06d}.md"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)
        paths.append(path)
    return paths


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("out", type=Path)
    parser.add_argument("--count", type=int, default=10_000)
    args = parser.parse_args()
    print(f"wrote {len(generate(args.out, args.count))} examples under {args.out}")


if __name__ == "__main__":
    main()
