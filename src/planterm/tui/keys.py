"""The planner's keys as data, read from the bindings: for the help screen and the palette.

Nothing here lists a key by hand: each group is the ``BINDINGS`` of the app or of a
pane, with the user's ``[keymap]`` overrides applied the way ``App.set_keymap`` does.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, replace

from textual.actions import parse
from textual.binding import Binding
from textual.dom import DOMNode
from textual.screen import Screen

from planterm.tui.widgets.pane import Pane


@dataclass(frozen=True, slots=True)
class Key:
    """One action and every key bound to it."""

    keys: tuple[str, ...]
    """The keys as shown (``j``, ``↓``, ``^r``)."""
    description: str
    tooltip: str
    action: str
    id: str
    """The binding's id, which a ``[keymap]`` entry rebinds (``post.next_status``)."""


@dataclass(frozen=True, slots=True)
class KeyGroup:
    """The keys of the app or of one pane."""

    title: str
    node: DOMNode
    """Where the actions run (the app or the pane)."""
    keys: tuple[Key, ...]

    def enabled(self, key: Key) -> bool:
        """Whether the action applies now (the node's ``check_action``)."""
        _, name, params = parse(key.action)
        return self.node.check_action(name, params) is not False


def _keys(node: DOMNode, keymap: Mapping[str, str]) -> tuple[Key, ...]:
    """The node's bindings merged by action, in the order they are declared."""
    merged: dict[str, tuple[Binding, list[str]]] = {}
    for binding in Binding.make_bindings(node.BINDINGS):
        if binding.id is not None and binding.id in keymap:
            keys = [k.strip() for k in keymap[binding.id].split(",")]
            merged[binding.action] = (binding, keys)
        elif binding.action in merged:
            merged[binding.action][1].append(binding.key)
        else:
            merged[binding.action] = (binding, [binding.key])
    app = node.app
    return tuple(
        Key(tuple(dict.fromkeys(app.get_key_display(replace(binding, key=k, key_display=None))
                                for k in keys)),
            binding.description, binding.tooltip, binding.action, binding.id or "")
        for binding, keys in merged.values()
    )


def key_groups(screen: Screen[object], keymap: Mapping[str, str]) -> list[KeyGroup]:
    """The app's keys, then each pane's (or, on a screen with a ``TITLE`` of its own, such
    as a list of posts, the screen's), as the help screen and the palette list them."""
    owners: list[tuple[str, DOMNode]] = [("planner", screen.app)]
    if screen.TITLE and screen.BINDINGS:
        owners.append((screen.TITLE, screen))
    owners += [(pane.TITLE, pane) for pane in screen.query(Pane) if pane.BINDINGS]
    return [KeyGroup(title, node, _keys(node, keymap)) for title, node in owners]
