"""Guesses for imported records that carry no metadata: UI generation, example type, topic and
title, each from content patterns, each with a short reason so a reviewer can judge it. The
generation comes from the same table as BBJ401 (`curate.vocabulary.guess_generation`), so a
draft never carries a generation the linter rejects."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

from curate.vocabulary import guess_generation
from train.data.chatml import fenced_blocks, text_outside_blocks

MIGRATE_WORDS = re.compile(r"\b(migrat\w*|convert\w*|port(?:ing|ed)?|rewrite|rewriting|moderni[sz]\w*|upgrad\w*|translat\w*)\b", re.IGNORECASE)
QUESTION_START = re.compile(r"^\s*(how|what|why|when|which|where|who|can|could|is|are|does|do|should|explain|describe|tell)\b", re.IGNORECASE)

TOPIC_WORDS: dict[str, frozenset[str]] = {
    "dwc": frozenset("getwebmanager executeasyncscript bbjwebmanager injectstyle dwc css browser html addclass setattribute".split()),
    "gui": frozenset("window button sysgui getsysgui addwindow addbutton setcallback listbox editbox ctrl dialog msgbox process_events".split()),
    "database": frozenset("sql sqlopen sqlprep sqlexec sqlfetch sqlclose sqltmpl database table query recordset mkeyed knum jdbc resultset".split()),
    "file-io": frozenset("open close read write file channel directory fid extract lock unlock erase csv".split()),
    "strings": frozenset("str mid pos cvs len string trim ucase lcase substring mask fattr chr asc".split()),
    "oop": frozenset("class classend method methodend methodret field interface interfaceend extends implements new".split()),
    "control-flow": frozenset("if then else endif fi for next while wend gosub goto return switch swend case repeat until exitto break".split()),
}
TOKEN = re.compile(r"[a-z_]+")
FALLBACK_TOPIC = "control-flow"


@dataclass(frozen=True, slots=True)
class Guess:
    """What the import inferred about one record, and why."""

    type: str
    generation: str
    from_generation: str | None
    to_generation: str | None
    topic: str
    why: str


def _code(content: str) -> str:
    return "\n".join(block.code for block in fenced_blocks(content))


def guess_type(user: str, assistant: str) -> tuple[str, str]:
    user_code, assistant_code = _code(user), _code(assistant)
    prose = text_outside_blocks(user)
    if user_code.strip() and assistant_code.strip():
        source, target = guess_generation(user_code)[0], guess_generation(assistant_code)[0]
        if MIGRATE_WORDS.search(prose) and source != target and "all" not in (source, target):
            return "migration", "code in and out, migration wording, generations differ"
        return "completion", "code in the question and the answer"
    if user_code.strip():
        return "comprehension", "code in the question, prose answer"
    if assistant_code.strip():
        if QUESTION_START.match(prose) or prose.rstrip().endswith("?"):
            return "explanation", "a question answered with code"
        return "completion", "a task answered with code"
    return "explanation", "no code on either side"


def guess_topic(text: str, topics: Sequence[str]) -> str:
    """The configured topic whose keywords occur most often; ties go to the earlier topic."""
    counts = Counter(TOKEN.findall(text.lower()))
    scores = {topic: sum(counts[word] for word in TOPIC_WORDS[topic]) for topic in topics if topic in TOPIC_WORDS}
    best = max(scores.items(), key=lambda item: item[1], default=(None, 0))
    if best[0] and best[1] > 0:
        return best[0]
    return FALLBACK_TOPIC if FALLBACK_TOPIC in topics or not topics else topics[0]


def guess(user: str, assistant: str, topics: Sequence[str]) -> Guess:
    kind, type_why = guess_type(user, assistant)
    answer_generation, answer_clue = guess_generation(_code(assistant) or assistant)
    from_generation = to_generation = None
    if kind == "migration":
        from_generation, from_clue = guess_generation(_code(user))
        to_generation = answer_generation
        generation_why = f"from {from_generation} ({from_clue}) to {to_generation} ({answer_clue})"
    elif kind == "comprehension":
        answer_generation, answer_clue = guess_generation(_code(user))
        generation_why = f"{answer_generation} ({answer_clue})"
    else:
        generation_why = f"{answer_generation} ({answer_clue})"
    topic = guess_topic(f"{user}\n{assistant}", topics)
    why = f"type={kind} ({type_why}); generation={generation_why}; topic={topic}"
    return Guess(kind, answer_generation, from_generation, to_generation, topic, why)


def title_from(user: str, limit: int = 80) -> str:
    """A one-line title from the first prose line of the user turn ('' when there is none)."""
    for line in text_outside_blocks(user).split("\n"):
        cleaned = re.sub(r"[`*_#>]+", "", line)
        cleaned = re.sub(r"\s+", " ", cleaned).strip().rstrip(":").strip()
        if cleaned:
            if len(cleaned) > limit:
                cleaned = cleaned[:limit].rsplit(" ", 1)[0].rstrip(",;:") + "..."
            return cleaned
    return ""
