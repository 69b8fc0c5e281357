"""Blind side-by-side rating of two models' answers, one case at a time: the prompt on top, the
answers as A and B below (BBj coloured, with their compile-check findings), the keys-only form
at the bottom. Which model is A is a per-case coin flip (`curate.rating.store.sides`), and the
names appear only once the rating is saved."""

from __future__ import annotations

import gc
from functools import partial
from typing import ClassVar

from pygments.token import Comment, Keyword, Name, Number, Operator, String, is_token_subtype
from rich.style import Style
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.screen import Screen
from textual.timer import Timer
from textual.widgets import Header, Static

from curate.rating.samples import Answer, Case
from curate.rating.segments import segments
from curate.rating.store import dimensions_for, now
from curate.tui.bbj_lexer import BBjLexer
from curate.tui.screens.host import RatingHost, rating_host
from curate.tui.screens.note_prompt import NotePrompt
from curate.tui.screens.rating_form import SIDE_LABELS, SIDES, RatingForm
from curate.tui.widgets.footer import KeyFooter
from curate.tui.widgets.text_pane import PaneText, TextPane

STATUS_STYLES = {"ok": "bold green", "syntax-error": "bold red", "no-code": "bold yellow", "timeout": "bold magenta", "error": "bold magenta"}
MAX_FINDINGS = 8
# Coloured and wrapped texts kept (prompt and two answers a case): the case before, this one and
# the next. Wrapped lines are many small objects; more of them only lengthen the collector's passes.
PREFETCH_KEEP = 9
# The next case is coloured and wrapped once no layout pass came for this long (a size change of
# the panes costs one or two more passes after the first frame): while the reviewer reads.
PREFETCH_DELAY = 0.05
LEXER = BBjLexer()
# A few colours by token family (the review screens' monokai palette, without its background):
# one shared style per family keeps the repaint cheap.
TOKEN_STYLES = (
    (Comment, Style(color="#75715e", italic=True)),
    (String, Style(color="#e6db74")),
    (Number, Style(color="#ae81ff")),
    (Name.Label, Style(color="#fd971f", bold=True)),
    (Name.Function, Style(color="#a6e22e")),
    (Name.Attribute, Style(color="#a6e22e")),
    (Keyword, Style(color="#66d9ef", bold=True)),
    (Operator, Style(color="#f92672")),
)


def highlight_bbj(code: str) -> Text:
    """BBj source as a Text coloured by token family."""
    text = Text()
    for token, value in LEXER.get_tokens(code):
        style = next((style for family, style in TOKEN_STYLES if is_token_subtype(token, family)), None)
        text.append(value, style=style)
    text.rstrip()
    return text


def markdown_view(text: str) -> Text:
    """Prose as plain text, BBj blocks coloured, other blocks dimmed: one `Text`, highlighted
    once here (a rich `Syntax` would lex again on every repaint and every width measurement)."""
    view = Text()
    for segment in segments(text):
        if view:
            view.append("\n\n")
        if segment.language is None:
            view.append(segment.text)
        elif segment.is_bbj or segment.language == "":
            view.append_text(highlight_bbj(segment.text))
        else:
            view.append(segment.text, style="dim")
    return view or Text("(empty answer)", style="dim italic")


def findings_view(answer: Answer) -> Text:
    text = Text("check: ", style="bold")
    text.append(answer.status, style=STATUS_STYLES.get(answer.status, ""))
    for diag in answer.diagnostics[:MAX_FINDINGS]:
        text.append(f"\n{diag.get('line', '?'):>4}:{diag.get('col', '?'):<3} ", style="dim")
        text.append(str(diag.get("code", "")), style="red" if diag.get("severity") == "error" else "yellow")
        text.append(f" {diag.get('message', '')}")
    if len(answer.diagnostics) > MAX_FINDINGS:
        text.append(f"\n… {len(answer.diagnostics) - MAX_FINDINGS} more", style="dim")
    return text


class RatingScreen(Screen[None]):
    """Shows `rating_app.cases[index]`; the app stores ratings and promotes answers."""

    BINDINGS: ClassVar[list[BindingType]] = [
        *[Binding(str(n), f"score({n})", "Score", show=n == 1, key_display="1-5" if n == 1 else None, tooltip="Score the marked field") for n in range(1, 6)],
        Binding("down,j,tab", "move(1)", "Next field", show=False, priority=True),
        Binding("up,k,shift+tab", "move(-1)", "Previous field", show=False, priority=True),
        Binding("left", "prefer('left')", "A better", key_display="←"),
        Binding("equals_sign,t", "prefer('tie')", "Tie", key_display="="),
        Binding("right", "prefer('right')", "B better", key_display="→"),
        Binding("m", "note", "Note"),
        Binding("enter", "save", "Save / next", priority=True),
        Binding("right_square_bracket", "step(1)", "Next unrated", key_display="]"),
        Binding("left_square_bracket", "step(-1)", "Previous unrated", key_display="[", show=False),
        Binding("pagedown", "go(1)", "Next case", show=False),
        Binding("pageup", "go(-1)", "Previous case", show=False),
        Binding("p", "promote", "Promote", tooltip="Write the preferred (or marked) answer as a draft example and open it"),
    ]
    DEFAULT_CSS = """
    RatingScreen #case-meta { height: 1; padding: 0 1; background: $panel; }
    RatingScreen #prompt { height: auto; max-height: 30%; border: round $panel; }
    RatingScreen #answers { height: 1fr; }
    RatingScreen .side { width: 1fr; border: round $panel; }
    RatingScreen .side-title { height: 1; text-style: bold; padding: 0 1; }
    RatingScreen .answer-box { height: 1fr; }
    RatingScreen .findings { height: auto; max-height: 6; padding: 0 1; border-top: solid $panel; }
    RatingScreen #form { height: 4; padding: 0 1; background: $boost; }
    """

    def __init__(self, index: int = 0) -> None:
        super().__init__(id="rating")
        self.index = index
        self.form = RatingForm(("code_quality", "idiomatic"))
        self.revealed = False
        self.views: dict[tuple[str, str], PaneText] = {}  # (case id, "prompt" or model) -> coloured text
        self.prefetch_timer: Timer | None = None

    @property
    def rating_app(self) -> RatingHost:
        return rating_host(self.app)

    @property
    def case(self) -> Case:
        return self.rating_app.cases[self.index]

    def compose(self) -> ComposeResult:
        yield Header(show_clock=False)
        yield Static(id="case-meta")
        yield TextPane(id="prompt")
        with Horizontal(id="answers"):
            for side in SIDES:
                with Vertical(classes="side", id=f"side-{side}"):
                    yield Static(id=f"title-{side}", classes="side-title")
                    yield TextPane(id=f"answer-{side}", classes="answer-box")
                    yield Static(id=f"findings-{side}", classes="findings")
        yield Static(id="form")
        yield KeyFooter()

    def on_mount(self) -> None:
        self.screen_layout_refresh_signal.subscribe(self, self.postpone_prefetch, immediate=True)
        self.show_case(self.index)

    # -- showing a case -----------------------------------------------------------------------

    def show_case(self, index: int) -> None:
        """Fill every panel for case `index`; a case this reviewer rated shows its rating."""
        with self.app.batch_update():
            self._fill(index)

    def _fill(self, index: int) -> None:
        app = self.rating_app
        self.index = index
        case = self.case
        left, right = app.layout(case.id)
        saved = app.ratings.of(case.id, app.reviewer)
        dims = dimensions_for(case.expects)
        self.form = RatingForm.from_rating(saved, dims, left, right) if saved else RatingForm(dims)
        self.revealed = saved is not None
        meta = Text(case.id, style="bold")
        meta.append(f" · {case.generation} / {case.type} · {case.difficulty} · {case.topic or '-'}")
        meta.append(f" · case {index + 1:,} of {len(app.cases):,}", style="dim")
        meta.append("  rated" if saved else "  not rated yet", style="green" if saved else "yellow")
        self.query_one("#case-meta", Static).update(meta, layout=False)  # fixed heights (the CSS): repaint only
        self.query_one("#prompt", TextPane).show(self.view(index, "prompt"))
        for side, model in zip(SIDES, (left, right), strict=True):
            answer = app.eval_run.answer(case.id, model)
            self.query_one(f"#answer-{side}", TextPane).show(self.view(index, model))
            self.query_one(f"#findings-{side}", Static).update(findings_view(answer) if answer else "")
        self.refresh_form()
        app.update_subtitle()
        if self.prefetch_timer is not None:
            self.prefetch_timer.stop()
        self.prefetch_timer = self.set_timer(PREFETCH_DELAY, partial(self.prefetch, index + 1))

    def view(self, index: int, part: str) -> PaneText:
        """The coloured prompt or answer of case `index`, from the cache the prefetch fills."""
        case = self.rating_app.cases[index]
        key = (case.id, part)
        if key not in self.views:
            while len(self.views) >= PREFETCH_KEEP:
                del self.views[next(iter(self.views))]
            answer = self.rating_app.eval_run.answer(case.id, part) if part != "prompt" else None
            source = case.prompt if part == "prompt" else (answer.raw if answer else None)
            self.views[key] = PaneText(markdown_view(source) if source is not None else Text("(no answer)", style="dim"))
        return self.views[key]

    def postpone_prefetch(self, _screen: Screen[None]) -> None:
        if self.prefetch_timer is not None:
            self.prefetch_timer.reset()

    def prefetch(self, index: int) -> None:
        """Colour and wrap case `index` for the panes while the reviewer reads this one, so the
        next key only swaps lines; then collect the garbage of the last case (wrapped lines are
        cycles), which a collection during a key would have walked."""
        self.prefetch_timer = None
        if 0 <= index < len(self.rating_app.cases):
            self.query_one("#prompt", TextPane).prepare(self.view(index, "prompt"))
            for side, model in zip(SIDES, self.rating_app.layout(self.rating_app.cases[index].id), strict=True):
                self.query_one(f"#answer-{side}", TextPane).prepare(self.view(index, model))
        gc.collect()

    def refresh_form(self) -> None:
        left, right = self.rating_app.layout(self.case.id)
        names = {"left": left, "right": right} if self.revealed else None
        for side in SIDES:
            title = Text(f"Answer {SIDE_LABELS[side]}" + (f": {names[side]}" if names else ""))
            self.query_one(f"#title-{side}", Static).update(title, layout=False)
        self.query_one("#form", Static).update(self.form.render(names), layout=False)

    # -- keys -----------------------------------------------------------------------------------

    def action_score(self, value: int) -> None:
        self.form.score(value)
        self.refresh_form()

    def action_move(self, step: int) -> None:
        self.form.move(step)
        self.refresh_form()

    def action_prefer(self, choice: str) -> None:
        self.form.preference = choice
        self.refresh_form()

    def action_note(self) -> None:
        def done(note: str | None) -> None:
            if note is not None:
                self.form.note = note
                self.refresh_form()

        self.app.push_screen(NotePrompt(f"Note on {self.case.id} (optional)", required=False, initial=self.form.note), done)

    def action_save(self) -> None:
        """Save a complete form (then reveal the names); Enter on a saved, unchanged case moves on."""
        app = self.rating_app
        missing = self.form.missing()
        if missing:
            self.notify("Still to rate: " + ", ".join(missing), severity="warning", markup=False)
            return
        left, right = app.layout(self.case.id)
        rating = self.form.to_rating(self.case.id, app.reviewer, left, right, now())
        saved = app.ratings.of(self.case.id, app.reviewer)
        if saved is not None and self.revealed and (saved.scores, saved.preference, saved.note) == (rating.scores, rating.preference, rating.note):
            self.action_step(1)
            return
        if app.save_rating(rating):
            self.revealed = True
            self.show_case(self.index)
            self.notify(f"Saved. A = {left}, B = {right}. Enter: next unrated case.", markup=False)

    def action_step(self, direction: int) -> None:
        target = self.rating_app.next_unrated(self.index, direction)
        if target is None:
            self.notify("No unrated case in this direction: all rated." if direction > 0 else "No unrated case before this one.")
            return
        self.show_case(target)

    def action_go(self, step: int) -> None:
        self.show_case(max(0, min(len(self.rating_app.cases) - 1, self.index + step)))

    def action_promote(self) -> None:
        if not self.revealed:
            self.notify("Save the rating first: promoting names the model.", severity="warning")
            return
        side = self.form.preference if self.form.preference in SIDES else self.form.fields[self.form.active][0]
        left, right = self.rating_app.layout(self.case.id)
        self.rating_app.promote(self.case, left if side == "left" else right)
