"""Blind expert rating of model answers from an eval run (`bbj-curate review --eval RUN`).

Torch-free and Textual-free: the eval report imports `qualitative_summary` from here.

- `curate.rating.samples`: the answers to rate, read from `evals/<run>/samples.jsonl`
- `curate.rating.store`: `evals/<run>/ratings.jsonl` (atomic appends, last line wins) and the
  deterministic left/right layout of each case
- `curate.rating.aggregate`: means with intervals, win rates, per-category tables
- `curate.rating.agreement`: inter-reviewer agreement (Krippendorff's alpha, weighted kappa)
- `curate.rating.promote`: a rated answer as a draft training example
"""

from __future__ import annotations

from curate.rating.aggregate import qualitative_report, qualitative_summary

__all__ = ["qualitative_report", "qualitative_summary"]
