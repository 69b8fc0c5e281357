"""Command palette (Ctrl+P): every action bound on the current screen and the app, by its
description, so anything the footer can do can also be found by name."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from functools import partial

from textual.command import DiscoveryHit, Hit, Hits, Provider


class ReviewCommands(Provider):
    """One command per described binding, run against the node that defines it."""

    def _commands(self) -> Iterator[tuple[str, str, Callable[[], object]]]:
        seen: set[str] = set()
        for active in self.screen.active_bindings.values():
            binding = active.binding
            if not binding.description or binding.action in seen or not active.enabled:
                continue
            seen.add(binding.action)
            key_name = binding.key_display or self.app.get_key_display(binding)
            help_text = f"{binding.tooltip or binding.description} · key {key_name}"
            yield binding.description, help_text, partial(self.app.run_action, binding.action, active.node)

    async def discover(self) -> Hits:
        for name, help_text, command in sorted(self._commands(), key=lambda c: c[0].lower()):
            yield DiscoveryHit(name, command, help=help_text)

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        for name, help_text, command in self._commands():
            by_name = matcher.match(name)
            score = by_name or matcher.match(help_text) / 2  # "duplicate" finds "Dups" by its help
            if score > 0:
                yield Hit(score, matcher.highlight(name) if by_name else name, command, help=help_text)
