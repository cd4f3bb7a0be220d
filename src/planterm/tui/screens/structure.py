"""Objectives and themes in the planner: list, add, edit, archive, delete, merge.

The same operations as ``planterm objective …`` and ``planterm theme …``, with the same
rules and messages (``edits``, the store), each one change in the app's history, so
``u`` undoes it and ctrl+r redoes it, here or in any pane. The screen reads the store
again whenever the plan changes (an undo, another planterm).
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, ClassVar, cast

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.content import Content
from textual.screen import Screen
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from planterm.edits import category_line
from planterm.model import Category, ModelError
from planterm.store import CategoryTable, Store
from planterm.text import inert
from planterm.tui.messages import PlanChanged
from planterm.tui.screens.category_form import CategoryForm, ChooseScreen
from planterm.tui.screens.confirm import ConfirmScreen
from planterm.tui.widgets.key_footer import KeyFooter
from planterm.tui.widgets.list_cursor import ListCursor
from planterm.tui.widgets.message_line import MessageLine
from planterm.tui.widgets.plain import plain

if TYPE_CHECKING:
    from planterm.tui.app import PlantermApp

TABLES: tuple[tuple[CategoryTable, str], ...] = (
    ("objectives", "why the museum posts"), ("themes", "what a post is about"))


def _b(keys: str, action: str, description: str, id: str, tooltip: str,
       show: bool = False) -> Binding:
    """A binding of the screen; its id is ``structure.<id>`` (the [keymap] setting's key)."""
    return Binding(keys, action, description, show=show, id=f"structure.{id}",
                   tooltip=tooltip)


@dataclass(frozen=True, slots=True)
class Row:
    """One line of the list: a table's heading (no ``cat``) or one of its items."""

    table: CategoryTable
    cat: Category | None = None
    used: int = 0
    """How many posts use it."""


class StructureScreen(ListCursor, Screen[None]):
    """Every objective and theme, archived ones too, with the posts that use each."""

    TITLE = "objectives and themes"
    """The group the help screen lists these keys under."""
    BINDINGS: ClassVar[list[BindingType]] = [
        _b("escape", "back", "Back", "back", "Back to the planner", show=True),
        _b("down,j", "cursor(1)", "Down", "down", "Next line"),
        _b("up,k", "cursor(-1)", "Up", "up", "Previous line"),
        _b("n", "add", "New", "new",
           "Add an objective or a theme (to the list the cursor is in)", show=True),
        _b("e,enter", "edit", "Edit", "edit",
           "Edit the name, description, colour or target", show=True),
        _b("A", "archive", "Archive", "archive",
           "Archive (hidden from new posts, history kept) or unarchive", show=True),
        _b("m", "merge", "Merge", "merge",
           "Move its posts to another one, then delete it (asks first)", show=True),
        _b("d", "delete", "Delete", "delete",
           "Delete it if no post uses it (else: archive or merge it)", show=True),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.rows: list[Row] = []

    @property
    def planner(self) -> PlantermApp:
        """The app, with its store and history."""
        return cast("PlantermApp", self.app)

    def compose(self) -> ComposeResult:
        yield Static(plain("Objectives and themes · u undoes, ctrl+r redoes · Escape back"),
                     id="structure-title")
        yield OptionList(id="structure", compact=True)
        yield Static(id="structure-detail")
        yield MessageLine(id="structure-message")
        yield KeyFooter()

    def on_mount(self) -> None:
        """List them; the list takes the keyboard."""
        if self.planner.store is not None:
            self.show(self.planner.store)
        listing = self.query_one(OptionList)
        listing.highlighted = 1 if len(self.rows) > 1 and self.rows[1].cat else 0
        listing.focus()

    @on(PlanChanged)
    def _plan_changed(self, message: PlanChanged) -> None:
        self.show(message.store)

    def show(self, store: Store) -> None:
        """Read both tables again, keeping the cursor on the same line (by key)."""
        listing = self.query_one(OptionList)
        was = self.row()
        at = listing.highlighted or 0
        rows: list[Row] = []
        lines: list[Content] = []
        for table, why in TABLES:
            cats, used = store.categories(table), store.usage(table)
            rows.append(Row(table))
            lines.append(Content.styled(f"{table} ({len(cats)}): {why} · n adds one", "bold"))
            width = max((len(c.key) for c in cats), default=0)
            for cat in cats:
                rows.append(Row(table, cat, used[cat.key]))
                lines.append(Content(inert("  " + category_line(cat, used[cat.key], width))))
        if not any(row.cat for row in rows):
            lines[0] = lines[0].append(" · none yet: objectives first (n)")
        self.rows = rows
        listing.set_options(Option(line) for line in lines)
        if was is not None:
            at = next((i for i, r in enumerate(rows) if r.table == was.table and (
                r.cat and was.cat and r.cat.key == was.cat.key)), min(at, len(rows) - 1))
        listing.highlighted = at
        self._describe()

    def row(self) -> Row | None:
        """The line under the cursor."""
        at = self.query_one(OptionList).highlighted
        return self.rows[at] if at is not None and at < len(self.rows) else None

    @on(OptionList.OptionHighlighted)
    def _describe(self) -> None:
        # in full, as the list cuts its lines to the width
        row = self.row()
        cat = row.cat if row else None
        text = "" if row is None or cat is None else " · ".join(
            part for part in (category_line(cat, row.used), cat.description,
                              f"colour {cat.colour}") if part)
        self.query_one("#structure-detail", Static).update(plain(text))

    def selected(self) -> tuple[CategoryTable, Category] | None:
        """The objective or theme under the cursor; on a heading, a word saying so."""
        row = self.row()
        if row is None or row.cat is None:
            self.notify("on a heading: j/k to an objective or a theme (n adds one)",
                        severity="warning")
            return None
        return row.table, row.cat

    # --- actions -------------------------------------------------------------

    def _change(self, table: CategoryTable, before: Category | None,
                after: Category | None) -> bool:
        """Write the change through the app's history (undoable)."""
        return self.planner.change_structure(
            lambda history: history.apply_category(table, before, after))

    def action_add(self) -> None:
        """Add an objective or a theme, to the list the cursor is in."""
        row, store = self.row(), self.planner.store
        if store is None:
            return
        table = row.table if row else "objectives"
        self.app.push_screen(CategoryForm(table, None, store.categories(table),
                                          lambda cat: self._change(table, None, cat)))

    @on(OptionList.OptionSelected)
    def action_edit(self) -> None:
        """Edit the name, description, colour or target (the key stays)."""
        store = self.planner.store
        if (found := self.selected()) is None or store is None:
            return
        table, cat = found
        self.app.push_screen(CategoryForm(table, cat, store.categories(table),
                                          lambda new: self._change(table, cat, new)))

    def action_archive(self) -> None:
        """Archive it (hidden from new posts; its posts and past matrices keep it), or
        offer it again."""
        if (found := self.selected()) is not None:
            table, cat = found
            self._change(table, cat, replace(cat, archived=not cat.archived))

    def action_delete(self) -> None:
        """Delete it, once confirmed, if no post uses it; else offer to archive it."""
        if (found := self.selected()) is None:
            return
        table, cat = found
        row = self.row()
        used = row.used if row else 0
        one = table[:-1]
        if used:
            if cat.archived:
                self.notify(f"{one} {cat.key!r} is used by {used} post{'s' * (used != 1)}, "
                            "so it stays (archived); m merges it into another",
                            severity="warning")
                return

            def archive(yes: bool | None) -> None:
                if yes:
                    self._change(table, cat, replace(cat, archived=True))

            self.app.push_screen(ConfirmScreen(
                f"{one} {cat.key!r} is used by {used} post{'s' * (used != 1)}, so it stays. "
                "Archive it instead (hidden from new posts; its posts keep it)? m merges it "
                "into another.", "Archive"), archive)
            return

        def delete(yes: bool | None) -> None:
            if not yes:
                return
            try:
                self._change(table, cat, None)
            except ModelError as e:  # a post took it meanwhile (another planterm)
                self.notify(f"not deleted: {e.problem}", severity="warning")

        self.app.push_screen(ConfirmScreen(f"Delete {one} {cat.key!r} ({cat.name})?",
                                           "Delete"), delete)

    def action_merge(self) -> None:
        """Choose where its posts go, confirm, merge (one change: u undoes it)."""
        store = self.planner.store
        if (found := self.selected()) is None or store is None:
            return
        table, cat = found
        one = table[:-1]
        others = [c for c in store.categories(table) if c.key != cat.key]
        if not others:
            self.notify(f"no other {one} to merge {cat.key!r} into: n adds one",
                        severity="warning")
            return
        used = store.usage(table)

        def confirm(into: Category) -> None:
            n = used[cat.key]

            def merge(yes: bool | None) -> None:
                if not yes:
                    return
                try:
                    self.planner.change_structure(
                        lambda history: history.merge(table, cat.key, into.key))
                except ModelError as e:  # one of them was deleted meanwhile
                    self.notify(f"not merged: {e.problem}", severity="warning")

            self.app.push_screen(ConfirmScreen(
                f"Merge {one} {cat.key!r} into {into.key!r}? Its {n} post{'s' * (n != 1)} "
                f"move to {into.key!r}, then {cat.key!r} is deleted.", "Merge"), merge)

        def chosen(index: int | None) -> None:
            if index is not None:
                confirm(others[index])

        self.app.push_screen(ChooseScreen(
            f"Merge {one} {cat.key!r} into which {one}?",
            [category_line(c, used[c.key], max(len(o.key) for o in others)) for c in others]),
            chosen)

    def action_back(self) -> None:
        """Back to the planner."""
        self.dismiss()
