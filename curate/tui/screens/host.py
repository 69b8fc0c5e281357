"""What the screens need from the app that hosts them, as protocols: the apps import their
screens, never the other way round, so a screen can be imported (and tested) on its own and
the dependency points one way (app -> screens -> these protocols)."""

from __future__ import annotations

from pathlib import Path
from typing import Any, Protocol, cast, runtime_checkable

from textual.app import App

from curate.config import CurateConfig
from curate.diagnostics import Diagnostic
from curate.rating.samples import Case, EvalRun
from curate.rating.store import Rating, Ratings
from curate.tui.store import Entry


@runtime_checkable
class ReviewHost(Protocol):
    """The review app as its screens see it: the entries, and the actions that write."""

    entries: dict[str, Entry]
    problems: list[Diagnostic]
    config: CurateConfig

    def approve(self, display: str, note: str | None) -> None: ...

    def decide(self, display: str, status: str, note: str | None) -> bool: ...

    def browser_order(self) -> list[Entry]: ...

    def edit_in_editor(self, display: str) -> None: ...

    def quick_edit(self, display: str) -> None: ...

    def open_example(self, display: str) -> None: ...

    def update_subtitle(self, shown: int) -> None: ...

    def twin_name(self, display: str) -> str: ...

    def to_browser(self) -> None: ...


@runtime_checkable
class RatingHost(Protocol):
    """The rating app as its screen sees it: the run, the cases and the ratings."""

    eval_run: EvalRun
    models: tuple[str, str]
    reviewer: str
    cases: list[Case]
    ratings: Ratings

    def layout(self, case_id: str) -> tuple[str, str]: ...

    def update_subtitle(self) -> None: ...

    def next_unrated(self, index: int, direction: int) -> int | None: ...

    def save_rating(self, rating: Rating) -> bool: ...

    def promote(self, case: Case, model: str) -> Path | None: ...


def review_host(app: App[Any]) -> ReviewHost:
    """The running app seen through ReviewHost (mypy checks that ReviewApp implements it, in
    curate/tui/app.py)."""
    return cast(ReviewHost, app)


def rating_host(app: App[Any]) -> RatingHost:
    return cast(RatingHost, app)
