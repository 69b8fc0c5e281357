"""Forms that write front matter: a new example (the same skeleton as `bbj-curate new`) and a
quick edit of one example's fields. Both validate before they dismiss; the app does the write."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Button, Input, Label, Select, SelectionList

from curate.frontmatter_yaml import load_front_matter
from curate.rules.metadata import title_key
from curate.schema import DIFFICULTIES, GENERATIONS, TYPES, schema_errors
from curate.templates import render_skeleton
from curate.tui.widgets.tick_list import TickList

GENERATION_CHOICES = ("all", *GENERATIONS)
FORM_CSS = """
{name} {{ align: center middle; }}
{name} > VerticalScroll {{ width: 90; max-width: 100%; height: auto; max-height: 95%; border: thick $accent; background: $surface; padding: 0 2; }}
{name} Label.field {{ color: $text-muted; }}
{name} SelectionList {{ height: auto; max-height: 7; }}
{name} #form-errors {{ color: $error; height: auto; margin-top: 1; }}
{name} Horizontal {{ height: auto; }}
{name} Horizontal.row Vertical {{ height: auto; width: 1fr; }}
{name} #form-buttons {{ margin-top: 1; }}
{name} Button {{ margin-right: 2; }}
"""


@dataclass(frozen=True)
class NewExampleRequest:
    title: str
    type: str
    generation: str | list[str]
    topic: str
    difficulty: str
    from_generation: str | None = None
    to_generation: str | None = None

    def render(self) -> str:
        return render_skeleton(self.title, self.type, self.generation, self.difficulty, None, self.from_generation, self.to_generation)


def _chosen(select: Select[str]) -> str | None:
    return None if select.is_blank() else str(select.value)


def _generation_value(selected: list[str]) -> tuple[str | list[str] | None, str]:
    """The front matter value for the ticked generations, or an error message."""
    if not selected:
        return None, "Pick at least one generation."
    if "all" in selected and len(selected) > 1:
        return None, "'all' cannot be combined with other generations."
    ordered = [g for g in GENERATION_CHOICES if g in selected]
    return (ordered[0] if len(ordered) == 1 else ordered), ""


def _same(new: Any, old: Any) -> bool:
    """Equal, or the same list in another order (ticking boxes reorders generations)."""
    if isinstance(new, list) and isinstance(old, list):
        return sorted(map(str, new)) == sorted(map(str, old))
    return new == old


class MetaForm(ModalScreen[Any]):
    """Shared fields: title, type, generations, difficulty; Ctrl+S saves, Esc cancels."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "cancel", "Cancel"),
        Binding("ctrl+s", "save", "Save", priority=True),
    ]
    AUTO_FOCUS = "#form-title"
    heading = ""

    def __init__(self, meta: dict[str, Any] | None = None) -> None:
        super().__init__()
        self.meta = dict(meta or {})

    def fields(self) -> ComposeResult:
        meta = self.meta
        generations = meta.get("generation") or []
        generations = generations if isinstance(generations, list) else [generations]
        yield Label("Title", classes="field")
        yield Input(value=str(meta.get("title", "") or ""), placeholder="What the example shows", id="form-title")
        with Horizontal(classes="row"):
            with Vertical():
                yield Label("Type", classes="field")
                yield Select([(t, t) for t in TYPES], value=meta.get("type") if meta.get("type") in TYPES else Select.NULL, id="form-type")
            with Vertical():
                yield Label("Difficulty", classes="field")
                difficulty = meta.get("difficulty") if meta.get("difficulty") in DIFFICULTIES else Select.NULL
                yield Select([(d, d) for d in DIFFICULTIES], value=difficulty, id="form-difficulty")
            yield from self.extra_columns()
        yield Label("Generation (space to tick; 'all' alone)", classes="field")
        yield TickList[str](*[(g, g, g in generations) for g in GENERATION_CHOICES], id="form-generation")

    def extra_columns(self) -> ComposeResult:
        """More selects beside type and difficulty."""
        yield from ()

    def extra_fields(self) -> ComposeResult:
        """More fields below the generations."""
        yield from ()

    def compose(self) -> ComposeResult:
        with VerticalScroll():
            yield Label(Text(self.heading), id="form-heading")
            yield from self.fields()
            yield from self.extra_fields()
            yield Label("", id="form-errors")
            with Horizontal(id="form-buttons"):
                yield Button("Save", variant="primary", id="form-save")
                yield Button("Cancel", id="form-cancel")

    def common_values(self) -> tuple[dict[str, Any], list[str]]:
        errors: list[str] = []
        title = self.query_one("#form-title", Input).value.strip()
        if not title:
            errors.append("The title cannot be empty.")
        type_ = _chosen(self.query_one("#form-type", Select))
        if type_ is None:
            errors.append("Pick a type.")
        generation, problem = _generation_value(list(self.query_one("#form-generation", SelectionList).selected))
        if problem:
            errors.append(problem)
        difficulty = _chosen(self.query_one("#form-difficulty", Select))
        return {"title": title, "type": type_, "generation": generation, "difficulty": difficulty}, errors

    def show_errors(self, errors: list[str]) -> None:
        self.query_one("#form-errors", Label).update(Text("\n".join(errors)))  # plain: a message may hold [brackets]

    def on_button_pressed(self, event: Button.Pressed) -> None:
        if event.button.id == "form-save":
            self.action_save()
        else:
            self.action_cancel()

    def action_cancel(self) -> None:
        self.dismiss(None)

    def action_save(self) -> None:
        raise NotImplementedError


class NewExampleForm(MetaForm):
    """Dismisses with a NewExampleRequest whose skeleton passes the schema."""

    DEFAULT_CSS = FORM_CSS.format(name="NewExampleForm")
    heading = "New example (written as a draft skeleton)"

    def __init__(self, topics: list[str], topic: str | None = None, taken: dict[str, str] | None = None) -> None:
        super().__init__({"difficulty": "basic"})
        self.topics = topics
        self.topic = topic if topic in topics else None
        self.taken = taken or {}  # title_key(title) -> the example that has it

    def extra_columns(self) -> ComposeResult:
        with Vertical():
            yield Label("Topic", classes="field")
            yield Select([(t, t) for t in self.topics], value=self.topic or Select.NULL, id="form-topic")

    def extra_fields(self) -> ComposeResult:
        yield Label("Migration from / to (migration examples only)", classes="field")
        with Horizontal(classes="row"):
            yield Select([(g, g) for g in GENERATIONS], prompt="from", id="form-from")
            yield Select([(g, g) for g in GENERATIONS], prompt="to", id="form-to")

    def action_save(self) -> None:
        values, errors = self.common_values()
        topic = _chosen(self.query_one("#form-topic", Select))
        if topic is None:
            errors.append("Pick a topic.")
        owner = self.taken.get(title_key(str(values["title"] or "")))
        if owner:
            errors.append(f"Title already used by {owner}: titles are unique across the set (BBJ208).")
        if errors:
            self.show_errors(errors)
            return
        is_migration = values["type"] == "migration"
        request = NewExampleRequest(
            values["title"],
            values["type"],
            values["generation"],
            str(topic),
            values["difficulty"] or "basic",
            _chosen(self.query_one("#form-from", Select)) if is_migration else None,
            _chosen(self.query_one("#form-to", Select)) if is_migration else None,
        )
        meta, *_ = load_front_matter(request.render())
        problems = [message for _, message in schema_errors(meta)]
        if problems:
            self.show_errors(problems)
            return
        self.dismiss(request)


class QuickEditForm(MetaForm):
    """Dismisses with the changed keys only, after the merged front matter passes the schema."""

    DEFAULT_CSS = FORM_CSS.format(name="QuickEditForm")

    def __init__(self, display: str, meta: dict[str, Any]) -> None:
        super().__init__(meta)
        self.heading = f"Edit front matter: {display}"

    def extra_fields(self) -> ComposeResult:
        tags = self.meta.get("tags")
        yield Label("Tags (comma-separated, kebab-case)", classes="field")
        yield Input(value=", ".join(str(t) for t in tags) if isinstance(tags, list) else "", id="form-tags")

    def action_save(self) -> None:
        values, errors = self.common_values()
        if errors:
            self.show_errors(errors)
            return
        tags = [t.strip() for t in self.query_one("#form-tags", Input).value.split(",") if t.strip()]
        values["tags"] = tags or None
        changed = {k: v for k, v in values.items() if not _same(v, self.meta.get(k))}
        merged = {k: v for k, v in {**self.meta, **changed}.items() if v is not None}
        problems = [message for _, message in schema_errors(merged)]
        if problems:
            self.show_errors(problems)
            return
        self.dismiss(changed)
