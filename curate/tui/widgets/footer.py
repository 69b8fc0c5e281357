"""The footer of the review screens: Textual's footer, compact on narrow terminals, with the
key-help binding first. At 80 columns the keys that do not fit are cut off at the right edge;
`? Keys` always shows and lists them all."""

from __future__ import annotations

from textual import events
from textual.app import ComposeResult
from textual.widgets import Footer
from textual.widgets._footer import FooterKey

HELP_ACTION = "help"
COMPACT_BELOW = 120  # columns: less padding between keys on narrower terminals


class KeyFooter(Footer):
    # compact Textual gives the docked palette key a right margin, through which the last cut-off key shows
    DEFAULT_CSS = """
    KeyFooter.-compact FooterKey.-command-palette { margin-right: 0; padding-right: 1; }
    """

    def compose(self) -> ComposeResult:
        if self._bindings_ready:
            for _node, binding, enabled, tooltip in self.screen.active_bindings.values():
                if binding.action == HELP_ACTION:
                    key = FooterKey(binding.key, self.app.get_key_display(binding), binding.description, binding.action, disabled=not enabled, tooltip=tooltip)
                    yield key.data_bind(compact=Footer.compact)
                    break
        yield from super().compose()

    def on_resize(self, event: events.Resize) -> None:
        self.compact = event.size.width < COMPACT_BELOW
