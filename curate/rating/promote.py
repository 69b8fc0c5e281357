"""A rated answer as a draft training example: the case's type, generation and difficulty, the
prompt as the request (title and description), the answer's code as the code and its prose as
the explanation, `status: draft` and a `source` naming the eval run, case and model. Parts the
answer cannot fill keep the skeleton's TODO text, so the draft fails the checks until a
reviewer has edited it; then it goes through the same gate as every example."""

from __future__ import annotations

import re
from dataclasses import dataclass

from curate.frontmatter_yaml import load_front_matter
from curate.rating.samples import Answer, Case
from curate.rating.segments import code_blocks, prose
from curate.schema import GENERATIONS, schema_errors
from curate.templates import render_skeleton, yaml_value
from curate.vocabulary import guess_generation

TITLE_WORDS = 12
TODO_CODE = 'print "TODO: replace with the example program"'
TODO_BEHAVIOR = "TODO: describe what the program does when it runs."
TODO_EXPLANATION = "TODO: explain how the code works and why it is written this way."


class PromoteError(ValueError):
    """The answer cannot become an example (the message says why)."""


def title_for(case: Case) -> str:
    """The prompt's first sentence, cut to a dozen words: a starting point the reviewer edits."""
    words = " ".join(prose(case.prompt).split()).split(" ")
    first = " ".join(words[:TITLE_WORDS]).strip()
    first = re.split(r"(?<=[.?!:])\s", first)[0].rstrip(" .:?!") or f"Eval case {case.id}"
    return first[0].upper() + first[1:] + ("…" if len(words) > TITLE_WORDS and not first.endswith("…") else "")


def _migration_generations(case: Case, source_code: str) -> tuple[str, str | list[str]]:
    """(from, to) for the front matter: the case's own fields, else the source code's clues."""
    target = case.generation
    source = case.from_generation or guess_generation(source_code)[0]
    if source not in GENERATIONS:
        source = "character" if target != "character" else "vpro5"
    if target not in GENERATIONS:  # "all": the code runs under every other generation
        return source, [g for g in GENERATIONS if g != source]
    if target == source:
        source = next(g for g in GENERATIONS if g != target)
    return source, target


def _fence(code: str) -> str:
    fence = "````" if "```" in code else "```"
    return f"{fence}bbj\n{code.strip(chr(10))}\n{fence}"


@dataclass(frozen=True)
class Draft:
    title: str
    text: str


def draft(case: Case, answer: Answer, run_name: str) -> Draft:
    """The title and Markdown of the draft; its front matter passes the schema (PromoteError if not)."""
    answer_code = answer.code or next(iter(code_blocks(answer.raw)[::-1]), "")
    explanation = prose(answer.raw) or TODO_EXPLANATION
    prompt_code = next(iter(code_blocks(case.prompt)), "")
    title = f"{title_for(case)} ({case.id})"
    difficulty = case.difficulty if case.difficulty in ("basic", "intermediate", "advanced") else "basic"
    generation: str | list[str] = case.generation if case.generation in (*GENERATIONS, "all") else "all"
    source_gen: str | None = None
    target_gen: str | list[str] | None = None
    if case.type == "migration":
        source_gen, target_gen = _migration_generations(case, prompt_code)
        generation = [source_gen, *(target_gen if isinstance(target_gen, list) else [target_gen])]
    skeleton = render_skeleton(title, case.type, generation, difficulty, None, source_gen, target_gen if isinstance(target_gen, str) else None)
    front = skeleton.split("\n---\n", 1)[0].removeprefix("---\n").split("\n")
    if isinstance(target_gen, list):
        front = [f"to_generation: {yaml_value(target_gen)}" if line.startswith("to_generation:") else line for line in front]
    description = " ".join(prose(case.prompt).split())
    front.insert(4, f"description: {yaml_value(description)}")
    front.append(f"source: {yaml_value(f'eval run {run_name}, case {case.id}, answer of {answer.model}')}")
    meta, *_ = load_front_matter("---\n" + "\n".join(front) + "\n---\n")
    problems = [message for _, message in schema_errors(meta)]
    if problems:
        raise PromoteError("; ".join(problems))
    body = ["## Code", ""]
    if case.type == "migration":
        body += [
            f"### Before ({source_gen})",
            "",
            _fence(prompt_code or TODO_CODE),
            "",
            f"### After ({', '.join(generation[1:])})",
            "",
            _fence(answer_code or TODO_CODE),
        ]
    elif case.type == "comprehension":
        body += [_fence(prompt_code or answer_code or TODO_CODE)]
    else:
        body += [_fence(answer_code or prompt_code or TODO_CODE)]
    if case.type in ("completion", "comprehension"):
        body += ["", "## Expected Behavior", "", TODO_BEHAVIOR]
    body += ["", "## Explanation", "", explanation]
    return Draft(title, "---\n" + "\n".join(front) + "\n---\n\n" + "\n".join(body) + "\n")
