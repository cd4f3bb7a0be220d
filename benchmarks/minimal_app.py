"""The yardstick for the planner's start: a minimal Textual app, run as a whole process.

A header, a data table of a few rows and a footer; ``q`` quits. The harness times it
from its start until ``ROW`` is on screen, as it times the planner until this week's
posts are.
"""

from __future__ import annotations

from typing import ClassVar

from textual.app import App, ComposeResult
from textual.binding import Binding, BindingType
from textual.widgets import DataTable, Footer, Header

ROW = "Vernissage « Parures du monde »"
"""The text of a row, waited for on screen."""


class Minimal(App[None]):
    """Header, DataTable, Footer."""

    BINDINGS: ClassVar[list[BindingType]] = [Binding("q", "quit", "Quit")]

    def compose(self) -> ComposeResult:
        """The three widgets."""
        yield Header()
        yield DataTable()
        yield Footer()

    def on_mount(self) -> None:
        """A few rows, as a week holds."""
        table = self.query_one(DataTable)
        table.add_columns("jour", "heure", "titre", "statut")
        table.add_rows([
            ("lun 23", "10:00", ROW, "✎ draft"),
            ("mar 24", "12:30", "Objet de la semaine : la calebasse gravée 🔎", "? review"),
            ("mer 25", "18:00", "Atelier famille : tissage 🧶", "✓ approved"),
            ("jeu 26", "09:15", "Rencontre avec l'ethnologue", "◷ scheduled"),
        ])


if __name__ == "__main__":
    Minimal().run()
