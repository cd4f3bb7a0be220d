"""The command palette's view of the panes: every pane action as a command.

The app's own actions come through ``PlantermApp.get_system_commands``; this provider
adds each pane's, read from its bindings (``keys.key_groups``), so the palette and the
help screen list the same things.
"""

from __future__ import annotations

from collections.abc import Coroutine, Iterator
from functools import partial
from typing import Any

from textual.command import DiscoveryHit, Hit, Hits, Provider

from planterm.tui.keys import Key, KeyGroup, key_groups


class PaneCommands(Provider):
    """Commands for the actions of the panes on the screen (calendar: Status+...)."""

    def _commands(self) -> Iterator[tuple[str, Key, KeyGroup]]:
        for group in key_groups(self.screen, {}):
            if group.node is self.app:
                continue
            for key in group.keys:
                if group.enabled(key):
                    yield f"{group.title}: {key.description}", key, group

    def _run(self, key: Key, group: KeyGroup) -> partial[Coroutine[Any, Any, bool]]:
        return partial(self.app.run_action, key.action, group.node)

    async def discover(self) -> Hits:
        """Every pane action that applies now."""
        for title, key, group in self._commands():
            yield DiscoveryHit(title, self._run(key, group), help=key.tooltip)

    async def search(self, query: str) -> Hits:
        """Pane actions whose name matches what is typed."""
        matcher = self.matcher(query)
        for title, key, group in self._commands():
            if (score := matcher.match(title)) > 0:
                yield Hit(score, matcher.highlight(title), self._run(key, group),
                          help=key.tooltip)
