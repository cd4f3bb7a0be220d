"""The planterm application shell."""

from __future__ import annotations

from typing import ClassVar

from textual.app import App, ComposeResult
from textual.binding import Binding, BindingType
from textual.widgets import Footer, Header, Static

from planterm.config import Settings
from planterm.store import Store


class PlantermApp(App[None]):
    """The planner, over one store."""

    TITLE = "planterm"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("q", "quit", "Quit", id="app.quit", tooltip="Quit planterm"),
    ]

    def __init__(self, store: Store, settings: Settings) -> None:
        super().__init__()
        self.store = store
        self.settings = settings
        self.sub_title = store.path.name

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static(f"{len(self.store.posts())} posts in {self.store.path}", id="placeholder")
        yield Footer()


def make_app(store: Store, settings: Settings) -> PlantermApp:
    """The one factory used by the command line and the tests."""
    return PlantermApp(store, settings)
