"""`bbj-curate review --eval RUN`: the rating app. It owns the run, the ratings file and the
layout of each case; the screen only shows a case and hands the app what the reviewer did."""

from __future__ import annotations

import gc
from pathlib import Path
from typing import TYPE_CHECKING, ClassVar

from textual.app import App
from textual.binding import Binding, BindingType

from curate.checks import CheckOptions
from curate.config import CurateConfig
from curate.discover import display_path
from curate.rating.promote import PromoteError, draft
from curate.rating.samples import Case, EvalRun
from curate.rating.store import Rating, Ratings, append_rating, load_ratings, sides
from curate.templates import new_example_path
from curate.tui.checking import checked
from curate.tui.decisions import FileWriter, StaleFileError
from curate.tui.editor import open_in_editor
from curate.tui.screens.help import HELP_BINDINGS, show_key_help
from curate.tui.screens.host import RatingHost
from curate.tui.screens.rating import RatingScreen


class RatingApp(App[None]):
    """Rate `models` (two names of the run) case by case as `reviewer`."""

    TITLE = "bbj-curate review --eval"
    BINDINGS: ClassVar[list[BindingType]] = [Binding("q", "quit", "Quit"), *HELP_BINDINGS]

    def __init__(
        self,
        run: EvalRun,
        models: tuple[str, str],
        config: CurateConfig,
        reviewer: str,
        *,
        seed: int = 0,
        editor: str | None = None,
        check_options: CheckOptions | None = None,
    ) -> None:
        super().__init__()
        self.eval_run = run
        self.models = models
        self.config = config
        self.reviewer = reviewer
        self.seed = seed
        self.editor = editor
        self.check_options = check_options or CheckOptions(jobs=1, dedupe=False)
        self.cases: list[Case] = run.comparable(models)
        self.ratings: Ratings = load_ratings(run.path)
        self.writer = FileWriter()

    def on_mount(self) -> None:
        self.sub_title = self.eval_run.name
        start = self.next_unrated(-1, 1)
        self.screen_view = RatingScreen(0 if start is None else start)
        self.push_screen(self.screen_view)
        notes = self.eval_run.dropped + self.ratings.dropped
        if notes:
            self.notify(f"{len(notes)} line(s) skipped: " + "; ".join(notes[:3]), severity="warning", timeout=10, markup=False)

    def action_help(self) -> None:
        show_key_help(self)

    def on_ready(self) -> None:
        """Freeze what lives as long as the app (the run's answers, the widgets, the styles) out
        of the collector: its full passes walked them all, up to ~100 ms on a key now and then."""
        gc.freeze()

    def on_unmount(self) -> None:
        gc.unfreeze()

    def layout(self, case_id: str) -> tuple[str, str]:
        return sides(case_id, self.reviewer, self.models, self.seed)

    def update_subtitle(self) -> None:
        mine = sum(1 for case in self.cases if (case.id, self.reviewer) in self.ratings.by_key)
        others = len(set(self.ratings.reviewers()) - {self.reviewer})
        self.sub_title = f"{self.eval_run.name} · {self.reviewer}: {mine:,} of {len(self.cases):,} rated" + (f" · {others} other reviewer(s)" if others else "")

    def next_unrated(self, index: int, direction: int) -> int | None:
        """The next case in `direction` from `index` this reviewer has not rated."""
        position = index + direction
        while 0 <= position < len(self.cases):
            if (self.cases[position].id, self.reviewer) not in self.ratings.by_key:
                return position
            position += direction
        return None

    def save_rating(self, rating: Rating) -> bool:
        try:
            append_rating(self.eval_run.path, rating)
        except OSError as exc:
            self.notify(f"cannot save the rating: {exc.strerror or exc}", severity="error", timeout=10, markup=False)
            return False
        self.ratings.by_key.pop((rating.case_id, rating.reviewer), None)
        self.ratings.by_key[(rating.case_id, rating.reviewer)] = rating
        return True

    def promote(self, case: Case, model: str) -> Path | None:
        """Write `model`'s answer as a draft example, open it in the editor, then check it."""
        answer = self.eval_run.answer(case.id, model)
        if answer is None:
            return None
        try:
            written = draft(case, answer, self.eval_run.name)
        except PromoteError as exc:
            self.notify(f"cannot promote {case.id}: {exc}", severity="error", timeout=10, markup=False)
            return None
        data_root = self.config.root / self.config.data_root
        topic = case.topic if case.topic in self.config.topics else self.config.topics[0]
        path = new_example_path(data_root, topic, written.title)
        if not path.resolve().is_relative_to(data_root.resolve()):
            self.notify(f"refusing to write outside the data root: {path}", severity="error", markup=False)
            return None
        display = display_path(path)
        try:
            self.writer.create(path, display, written.text.encode("utf-8"))
        except (StaleFileError, OSError) as exc:
            self.notify(f"cannot create {display}: {exc}", severity="error", markup=False)
            return None
        problem = open_in_editor(self, path, self.editor)
        if problem:
            self.notify(problem, severity="error", markup=False)
        diagnostics, _ = checked([path], self.config, self.check_options)
        errors = [d for d in diagnostics if d.severity == "error"]
        if errors:
            self.notify(
                f"{display}: draft written, {len(errors)} error(s) to fix before it can be approved, e.g. {errors[0].code} {errors[0].message}",
                severity="warning",
                timeout=10,
                markup=False,
            )
        else:
            self.notify(f"{display}: draft written; it passes the checks", markup=False)
        return path


if TYPE_CHECKING:
    _IS_A_HOST: type[RatingHost] = RatingApp  # mypy: the app is what its screen expects of it
