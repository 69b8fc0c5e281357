"""Mutants of valid programs must be flagged within one line of the fault (>= 95%).

See bbjsyntax_mutants.py for how each fault line is defined without asking the checker. A dropped
FI/ENDIF compiles with BASIS's compiler, so the checker reports it as a warning (BBJ506): those
mutants count when any finding is near the fault; every other kind counts only an error."""

from __future__ import annotations

from collections import Counter

import pytest
from bbjsyntax_corpus import CORPUS, SKIP_REASON, corpus_files, read_text
from bbjsyntax_mutants import Mutant, all_mutants
from bbjsyntax_samples import SAMPLES
from shared_corpus import missing

from curate.bbjsyntax import check_source

TARGET = 0.95


def _rate(texts: dict[str, str], per_kind: int, rounds: int = 1) -> tuple[float, Counter, Counter, list[str]]:
    total: Counter = Counter()
    hit: Counter = Counter()
    misses: list[str] = []
    jobs = [(seed * rounds + r, name, text) for seed, (name, text) in enumerate(sorted(texts.items())) for r in range(rounds)]
    for seed, name, text in jobs:
        assert check_source(text) == [], f"{name} must be valid before mutating it"
        for m in all_mutants(text, seed, per_kind):
            total[m.kind] += 1
            if _flagged(m, errors_only=m.kind != WARNED_KIND):
                hit[m.kind] += 1
            else:
                misses.append(f"{name}: {m.kind} at {sorted(m.fault_lines)}")
    rate = sum(hit.values()) / max(1, sum(total.values()))
    return rate, total, hit, misses


WARNED_KIND = "drop fi"  # the IF policy: an IF block without FI compiles, so it is a warning


def _flagged(m: Mutant, errors_only: bool) -> bool:
    return any(abs(i.line - f) <= 1 and (i.severity == "error" or not errors_only) for i in check_source(m.text) for f in m.fault_lines)


def _report(label: str, rate: float, total: Counter, hit: Counter, misses: list[str]) -> None:
    print(f"\n{label}: {sum(hit.values())}/{sum(total.values())} mutants flagged near the fault = {rate:.1%}")
    rest = sum(total.values()) - total[WARNED_KIND]
    print(f"  without '{WARNED_KIND}' (errors only): {sum(hit.values()) - hit[WARNED_KIND]}/{rest}")
    for kind in sorted(total):
        print(f"  {kind:24s} {hit[kind]}/{total[kind]}")
    for miss in misses[:20]:
        print("  missed:", miss)


def test_mutants_of_own_samples() -> None:
    rate, total, hit, misses = _rate(dict(SAMPLES), per_kind=4, rounds=4)
    _report("own samples", rate, total, hit, misses)
    assert sum(total.values()) >= 250
    assert rate >= TARGET


@pytest.mark.skipif(missing(), reason=SKIP_REASON)
def test_mutants_of_corpus_files() -> None:
    texts = {str(p.relative_to(CORPUS / "files")): read_text(p).replace("\r\n", "\n") for p in corpus_files() if p.suffix.lower() == ".bbj"}
    rate, total, hit, misses = _rate(texts, per_kind=2)
    _report("corpus files", rate, total, hit, misses)
    assert sum(total.values()) >= 500
    assert rate >= TARGET
