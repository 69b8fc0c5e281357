"""`lookup_bbj_api`: the methods of a BBj class, with the ones it inherits, from the API data
file the built-in checker ships (`curate/bbjsyntax/bbj_api_methods.json`, generated from the
BASIS javadoc by `curate/bbjsyntax/_gen_api.py`), so an assistant can check a call before
writing it. The checker reads the same file for BBJ511."""

from __future__ import annotations

import difflib
import json
from functools import cache
from importlib import resources
from typing import Any

from bbj_mcp.results import ApiLookup, ApiMethod
from curate.bbjsyntax.api import UNCHECKED, load_api

DATA_FILE = "bbj_api_methods.json"


@cache
def api_data() -> dict[str, Any]:
    """The raw data (class -> methods as the javadoc spells them, class -> parents), read once."""
    text = resources.files("curate.bbjsyntax").joinpath(DATA_FILE).read_text(encoding="utf-8")
    data: dict[str, Any] = json.loads(text)
    return data


def _class_names() -> dict[str, str]:
    return {name.lower(): name for name in api_data()["classes"]}


def ancestors(class_name: str) -> list[str]:
    """Parents first, then theirs (breadth first), each once; names as the data spells them."""
    parents: dict[str, list[str]] = api_data()["parents"]
    out: list[str] = []
    todo = list(parents.get(class_name, ()))
    while todo:
        name = todo.pop(0)
        if name not in out and name != class_name:
            out.append(name)
            todo.extend(parents.get(name, ()))
    return out


def lookup(class_name: str, method: str | None = None) -> ApiLookup:
    """Case-insensitive, like BBj. An unknown class or method comes back with close names."""
    names = _class_names()
    wanted = class_name.strip().rstrip("!").strip()
    canonical = names.get(wanted.lower())
    if canonical is None:
        close = difflib.get_close_matches(wanted.lower(), list(names), n=5, cutoff=0.6)
        return ApiLookup(
            class_name=wanted, found=False, ancestors=[], methods=[], method=method, has_method=None, suggestions=[names[c] for c in close], note=""
        )
    classes: dict[str, list[str]] = api_data()["classes"]
    methods: dict[str, ApiMethod] = {}
    lineage = ancestors(canonical)
    for owner in [canonical, *lineage]:
        for name in classes.get(owner, ()):
            methods.setdefault(name.lower(), ApiMethod(name=name, declared_in=owner))
    listed = sorted(methods.values(), key=lambda m: m.name.lower())
    has_method = None
    suggestions: list[str] = []
    note = ""
    if any(c.lower() in UNCHECKED for c in [canonical, *lineage]):
        note = f"the API data for {canonical} is known to be incomplete: a method missing here may exist (the checker does not flag calls on it)"
    if method:
        key = method.strip().rstrip("(").strip().lower()
        # The checker's view (BBJ511): accessor counterparts (getX for a listed setX) count too.
        has_method = None if note else key in load_api().methods(canonical.lower(), True)
        if not has_method:
            close = difflib.get_close_matches(key, list(methods), n=5, cutoff=0.6)
            suggestions = [methods[c].name for c in close]
    return ApiLookup(
        class_name=canonical,
        found=True,
        ancestors=lineage,
        methods=listed,
        method=method,
        has_method=has_method,
        suggestions=suggestions,
        note=note,
    )
