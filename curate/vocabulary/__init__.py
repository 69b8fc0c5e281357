"""The domain's vocabulary, stated once: UI generations and their human names, example types,
difficulties and statuses, which statuses train and which are only recorded, which fence
languages hold BBj, which Markdown files are not examples, how a schema finding maps to its
rule code, and which generations a piece of code can run under (from the one pattern table in
`curate.vocabulary.generation_table`, behind BBJ401/402 and the import guesser alike).

Hooks, `bbj-curate`, the review TUI and `bbj-train` all import these names; nothing else
spells them out. Readers live next to their formats: an example file through
`curate.example.read_text`, a BBj source file through `curate.source_text.decode_source`."""

from __future__ import annotations

import re

from curate.vocabulary.generation_table import pattern_hits

GENERATIONS = ("character", "vpro5", "bbj-gui", "dwc")
ALL_GENERATIONS = "all"  # the label of portable code
GENERATION_NAMES = {"character": "Character Mode", "vpro5": "Visual PRO/5", "bbj-gui": "BBj GUI", "dwc": "DWC"}
# What the system prompt of a training record says about its target generation.
GENERATION_DESCRIPTIONS = {
    "character": "character mode, terminal screens with PRINT @(x,y) and INPUT",
    "vpro5": "Visual PRO/5 GUI, built with PRINT (sysgui) mnemonics",
    "bbj-gui": "BBj GUI (BBjSysGui)",
    "dwc": "DWC, the browser-based Dynamic Web Client",
    "all": "any UI generation (portable BBj)",
}
# How people name generations in headings ("### Before (Character Mode)", "### After (BBj GUI/DWC)").
GENERATION_ALIASES = {
    "character mode": "character", "character": "character", "terminal": "character",
    "visual pro/5": "vpro5", "visual pro5": "vpro5", "visual pro 5": "vpro5", "vpro/5": "vpro5", "vpro5": "vpro5", "pro/5": "vpro5",
    "bbj gui": "bbj-gui", "bbj-gui": "bbj-gui", "bbjgui": "bbj-gui", "gui": "bbj-gui",
    "dynamic web client": "dwc", "dwc": "dwc", "browser": "dwc",
}  # fmt: skip

TYPES = ("completion", "comprehension", "migration", "explanation")
DIFFICULTIES = ("basic", "intermediate", "advanced")
STATUSES = ("draft", "in-review", "approved", "needs-work", "rejected")
# Statuses that reach training unless a command is told otherwise (`--status`).
TRAINABLE_STATUSES = ("approved",)
# Statuses that record a decision not to train: compile and dedupe errors on them do not block
# (a rejection must be committable), and they drop out of duplicate clusters (already the loser).
RECORD_ONLY_STATUSES = frozenset({"rejected"})
# Statuses of an example still being written: its compile and dedupe findings are warnings (they
# tell its author what to fix without blocking a commit of work in progress) until its status
# moves on (in-review, approved), and skeleton text in it is expected (BBJ114).
UNFINISHED_STATUSES = frozenset({"draft"})
# Statuses that never keep a duplicate cluster while another member could.
NEVER_KEEPER_STATUSES = UNFINISHED_STATUSES | RECORD_ONLY_STATUSES

# The fence language of BBj code in an example, and the labels people also put on BBj code
# (legacy data, other editors). Every block under one of these labels is compiled as BBj, so a
# wrong label never hides code from the compile check; labels are never rewritten on export.
BBJ_FENCE = "bbj"
BBJ_FENCE_LANGUAGES = frozenset({"bbj", "bbx", "basic", "vb", "vba", "vbnet", "vb.net", "pro5", "vpro5", "visualpro5", "bbasic", "businessbasic"})
OUTPUT_FENCE_LANGUAGES = frozenset({"", "text"})

# Markdown files in the data folder that are documentation, not examples. Always skipped;
# `exclude` in [tool.bbj-curate] adds patterns to these. The hooks' `exclude:` regex is
# generated from the same list (a test compares them).
NON_EXAMPLE_FILES = ("README.md", "FORMAT.md", "CONTRIBUTING.md", "CHANGELOG.md", "LICENSE.md")
NON_EXAMPLE_REGEX = r"(^|/)(" + "|".join(name.removesuffix(".md") for name in NON_EXAMPLE_FILES) + r")\.md$"

# Findings that are configuration mistakes, not problems of the example's content: a command
# or hook that reports one exits 2, as for an unknown code in [tool.bbj-curate] (BBJ207:
# `lint_ignore` names no rule, so it silences nothing while its author thinks it does).
CONFIG_ERROR_CODES = frozenset({"BBJ207"})

# The rule codes of front matter schema findings (`curate.schema.schema_errors`).
SCHEMA_MISSING_KEY = "BBJ201"
SCHEMA_UNKNOWN_KEY = "BBJ202"
SCHEMA_INVALID_VALUE = "BBJ203"


def schema_error_code(key: str, message: str) -> str:
    """The rule code of one `(key, message)` from `schema_errors`: a finding without a key is a
    missing required key, an 'unknown key' message an unknown key, the rest invalid values."""
    if message.startswith("unknown key"):
        return SCHEMA_UNKNOWN_KEY
    return SCHEMA_INVALID_VALUE if key else SCHEMA_MISSING_KEY


def is_bbj_fence(language: str, output: bool = False) -> bool:
    """Whether a block with this fence label holds BBj to compile. A bare fence is BBj except
    in an output section (`## Expected Output` shows what the program prints)."""
    return not output if language == "" else language in BBJ_FENCE_LANGUAGES


def generation_name(generation: str) -> str:
    return GENERATION_NAMES.get(generation, generation)


CHARACTER_CLUE = re.compile(r"@\(\s*[\w\d]|\binput\b", re.IGNORECASE)


def generations_allowed(code: str) -> frozenset[str]:
    """The generations under which every generation-specific construct in `code` runs (all
    four when it has none): the BBJ401 table read the other way round."""
    allowed = frozenset(GENERATIONS)
    for pattern, _ in pattern_hits(code):
        allowed &= pattern.allowed
    return allowed


def guess_generation(code: str) -> tuple[str, str]:
    """(generation, clue) for unlabelled code, chosen so that BBJ401 never rejects it: the
    most specific generation every matched table entry allows; `character` for terminal code
    with no GUI construct (character-mode code runs everywhere, so no table entry forbids it);
    `all` when the code says nothing or its constructs allow no single generation."""
    hits = list(pattern_hits(code))
    allowed = generations_allowed(code)
    clue = ", ".join(p.what for p, _ in hits)
    if not hits:
        return ("character", "PRINT @(x,y)/INPUT") if CHARACTER_CLUE.search(code) else (ALL_GENERATIONS, "no generation-specific API")
    if not allowed:
        return ALL_GENERATIONS, f"constructs of different generations: {clue}"
    if len(allowed) == 1:
        return next(iter(allowed)), clue
    # Several allowed (BBjSysGui runs under BBj GUI and DWC alike): the GUI generation first.
    return ("bbj-gui" if "bbj-gui" in allowed else min(allowed)), clue
