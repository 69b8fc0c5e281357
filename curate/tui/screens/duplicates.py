"""Near-duplicate clusters from `curate.dedupe`: the keeper and another member side by side,
whole files (front matter included) with the differences marked, and the front matter keys
that differ named; keep one and the other is rejected with a note naming its twin."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, ClassVar

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import Screen
from textual.widgets import Header, OptionList, Static
from textual.widgets.option_list import Option

from curate.example import Example, load_example
from curate.tui.decisions import REJECTED
from curate.tui.screens.host import ReviewHost, review_host
from curate.tui.widgets.diff_view import diff_rows, diff_table, similarity
from curate.tui.widgets.footer import KeyFooter


@dataclass(frozen=True)
class ClusterView:
    """A cluster reduced to the members not yet rejected; the keeper always comes first."""

    members: list[str]
    reason: str
    scores: dict[frozenset[str], tuple[float, float]]  # (Jaccard, fuzzy ratio) per confirmed pair

    def score(self, a: str, b: str) -> tuple[float, float] | None:
        return self.scores.get(frozenset((a, b)))


def find_cluster_views(examples: list[Example], threshold: float) -> list[ClusterView]:
    """Clusters from the dedupe detector, keeper first in each."""
    from curate.dedupe import DedupeConfig, find_clusters, items_from_examples

    views = []
    for cluster in find_clusters(items_from_examples(examples), DedupeConfig(threshold=threshold)):
        members = [cluster.keeper, *(m for m in cluster.members if m != cluster.keeper)]
        scores = {frozenset((p.a, p.b)): (p.jaccard, p.score) for p in cluster.pairs}
        views.append(ClusterView(members, cluster.reason, scores))
    return views


def front_matter_differences(left: dict[str, Any], right: dict[str, Any]) -> list[str]:
    """The front matter keys whose values differ (or that only one side has), in file order."""
    keys = [*left, *(k for k in right if k not in left)]
    return [k for k in keys if left.get(k) != right.get(k)]


def pair_summary(left: Example, right: Example) -> Text:
    differing = front_matter_differences(left.meta, right.meta)
    if not differing:
        return Text("front matter: the same", style="dim")
    return Text.assemble(("front matter differs: ", "bold"), ", ".join(differing))


class DuplicatesScreen(Screen[None]):
    """Cluster list on the left, a pair of members on the right."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "back", "Back"),
        Binding("1", "keep(0)", "Keep left", tooltip="Keep the left one; reject the right as its duplicate"),
        Binding("2", "keep(1)", "Keep right", tooltip="Keep the right one; reject the left as its duplicate"),
        Binding("m", "next_member", "Next member", tooltip="Compare the keeper with the next member"),
    ]
    DEFAULT_CSS = """
    DuplicatesScreen #clusters { width: 30%; max-width: 36; height: 1fr; border-right: solid $panel; }
    DuplicatesScreen #pair-head { height: auto; padding: 0 1; background: $panel; }
    DuplicatesScreen #pair-scroll { height: 1fr; }
    """

    def __init__(self) -> None:
        super().__init__(id="duplicates")
        self.clusters: list[ClusterView] = []
        self.cluster_index = 0
        self.other_index = 1

    def compose(self) -> ComposeResult:
        yield Header(show_clock=False)
        with Horizontal():
            yield OptionList(id="clusters")
            with Vertical():
                yield Static("Finding near-duplicates…", id="pair-head")
                with VerticalScroll(id="pair-scroll"):
                    yield Static("", id="pair")
        yield KeyFooter()

    @property
    def review_app(self) -> ReviewHost:
        return review_host(self.app)

    def on_mount(self) -> None:
        self.sub_title = "Duplicates"
        self.find_clusters()

    @work(thread=True, exclusive=True, group="duplicates")
    def find_clusters(self) -> None:
        app = self.review_app
        examples = [ex for entry in list(app.entries.values()) if (ex := load_example(entry.path, entry.display, entry.topic)[0])]
        views = find_cluster_views(examples, app.config.dedupe_threshold)
        self.app.call_from_thread(self.show_clusters, views)

    def show_clusters(self, views: list[ClusterView]) -> None:
        self.clusters = views
        self.entries_changed(None)

    def _active(self, view: ClusterView) -> ClusterView:
        entries = self.review_app.entries
        members = [m for m in view.members if m in entries and entries[m].status != REJECTED]
        return ClusterView(members, view.reason, view.scores)

    def entries_changed(self, displays: set[str] | None) -> None:
        """Drop members rejected since, and clusters left with a single member."""
        self.clusters = [c for c in map(self._active, self.clusters) if len(c.members) > 1]
        option_list = self.query_one("#clusters", OptionList)
        option_list.clear_options()
        option_list.add_options([Option(Text(f"{len(c.members)} × {self.review_app.twin_name(c.members[0])}")) for c in self.clusters])
        self.cluster_index = min(self.cluster_index, max(len(self.clusters) - 1, 0))
        if self.clusters:
            self.other_index = max(1, min(self.other_index, len(self.clusters[self.cluster_index].members) - 1))
        if self.clusters:
            option_list.highlighted = self.cluster_index
        self.show_pair()

    @on(OptionList.OptionHighlighted, "#clusters")
    def cluster_highlighted(self, event: OptionList.OptionHighlighted) -> None:
        if event.option_index != self.cluster_index:
            self.cluster_index, self.other_index = event.option_index, 1
            self.show_pair()

    def pair(self) -> tuple[str, str] | None:
        if not self.clusters:
            return None
        members = self.clusters[self.cluster_index].members
        return members[0], members[min(self.other_index, len(members) - 1)]

    def show_pair(self) -> None:
        head = self.query_one("#pair-head", Static)
        pair = self.pair()
        if pair is None:
            head.update("No near-duplicate clusters left to resolve.")
            self.query_one("#pair", Static).update("")
            return
        entries = self.review_app.entries
        loaded = [load_example(entries[d].path, d, entries[d].topic)[0] for d in pair]
        if any(ex is None for ex in loaded):
            head.update("One of the pair cannot be read; fix it in $EDITOR from the browser.")
            return
        left, right = (ex for ex in loaded if ex)
        left_text, right_text = left.text.removesuffix("\n"), right.text.removesuffix("\n")
        view = self.clusters[self.cluster_index]
        score = view.score(*pair)
        shown = f"Jaccard {score[0]:.2f} · fuzzy {score[1]:.2f}" if score else f"line similarity {similarity(left_text, right_text):.2f}"
        keeper = f" · keeper: {view.reason}" if view.reason else ""
        head.update(
            Text(f"Cluster {self.cluster_index + 1} of {len(self.clusters)} · {len(view.members)} members · {shown}{keeper}\n") + pair_summary(left, right)
        )
        titles = (f"keeper  {pair[0]}", f"member {self.other_index} of {len(view.members) - 1}  {pair[1]}")
        self.query_one("#pair", Static).update(diff_table(diff_rows(left_text, right_text), *titles))

    def action_next_member(self) -> None:
        if self.clusters:
            others = len(self.clusters[self.cluster_index].members) - 1
            self.other_index = self.other_index % others + 1
            self.show_pair()

    def action_keep(self, side: int) -> None:
        """Keep one side; the other becomes `rejected` with a note naming the one kept."""
        pair = self.pair()
        if pair is None:
            return
        kept, dropped = pair[side], pair[1 - side]
        self.review_app.decide(dropped, REJECTED, f"duplicate of {self.review_app.twin_name(kept)}")

    def action_back(self) -> None:
        self.review_app.to_browser()
