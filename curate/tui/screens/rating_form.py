"""The keys-only rating form of one case: which field is active, the scores given, the
preference and the note; and how it is drawn. Pure state, so the screen stays small."""

from __future__ import annotations

from dataclasses import dataclass, field

from rich.text import Text

from curate.rating.store import DIMENSION_NAMES, TIE, Rating

SIDES = ("left", "right")
SIDE_LABELS = {"left": "A", "right": "B"}


@dataclass
class RatingForm:
    """Scores per side (left/right) and dimension, the preferred side or 'tie', a note."""

    dimensions: tuple[str, ...]
    scores: dict[str, dict[str, int]] = field(default_factory=lambda: {side: {} for side in SIDES})
    preference: str | None = None  # "left" | "right" | "tie"
    note: str = ""
    active: int = 0

    @property
    def fields(self) -> list[tuple[str, str]]:
        return [(side, dim) for side in SIDES for dim in self.dimensions]

    def score(self, value: int) -> None:
        """Give the active field `value` and move to the next empty field (or stay at the end)."""
        side, dim = self.fields[self.active]
        self.scores[side][dim] = value
        following = [i for i in range(self.active + 1, len(self.fields)) if self.fields[i][1] not in self.scores[self.fields[i][0]]]
        if following:
            self.active = following[0]
        elif self.active < len(self.fields) - 1:
            self.active += 1

    def move(self, step: int) -> None:
        self.active = (self.active + step) % len(self.fields)

    def missing(self) -> list[str]:
        """What still has to be given before the rating can be saved."""
        gaps = [f"{SIDE_LABELS[side]} {DIMENSION_NAMES[dim]}" for side, dim in self.fields if dim not in self.scores[side]]
        if self.preference is None:
            gaps.append("preference")
        return gaps

    def to_rating(self, case_id: str, reviewer: str, left: str, right: str, time: str) -> Rating:
        model = {"left": left, "right": right}
        preference = TIE if self.preference == TIE else model[str(self.preference)]
        scores = {model[side]: dict(self.scores[side]) for side in SIDES}
        return Rating(case_id, reviewer, left, right, scores, preference, self.note.strip() or None, time)

    @classmethod
    def from_rating(cls, rating: Rating, dimensions: tuple[str, ...], left: str, right: str) -> RatingForm:
        """The saved rating shown on this layout (sides from the layout, not from the line)."""
        side_of = {left: "left", right: "right"}
        form = cls(dimensions)
        for model, dims in rating.scores.items():
            if model in side_of:
                form.scores[side_of[model]] = {d: v for d, v in dims.items() if d in dimensions}
        form.preference = TIE if rating.preference == TIE else side_of.get(rating.preference)
        form.note = rating.note or ""
        form.active = len(form.fields) - 1
        return form

    def render(self, names: dict[str, str] | None) -> Text:
        """Two rows of fields (the active one marked), then preference and note."""
        text = Text()
        for side in SIDES:
            label = SIDE_LABELS[side] + (f" ({names[side]})" if names else "")
            text.append(f"{label:<24}", style="bold")
            for dim in self.dimensions:
                index = self.fields.index((side, dim))
                value = self.scores[side].get(dim)
                marker = "▶" if index == self.active else " "
                cell = f"{marker}{DIMENSION_NAMES[dim]} [{value if value else ' '}] "
                text.append(cell, style="reverse bold" if index == self.active else ("green" if value else "dim"))
                text.append("  ")
            text.append("\n")
        shown = {"left": "◀ A better", "right": "B better ▶", TIE: "= tie"}.get(self.preference or "", "(← A · = tie · → B)")
        text.append("preference  ", style="bold")
        text.append(shown, style="bold yellow" if self.preference else "dim")
        text.append("    note  ", style="bold")
        text.append(self.note or "(m to add)", style="" if self.note else "dim")
        return text
