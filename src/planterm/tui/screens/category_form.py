"""The form for an objective or a theme (new or edited), and the choice of where to merge.

The fields are checked by the command line's own rules (``edits.set_category_field``,
``edits.check_category``, then the store's), and a refusal is shown under the form with
the field it names, so what was typed is never lost.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Input, Label, OptionList, Static
from textual.widgets.option_list import Option

from planterm.edits import check_category, set_category_field
from planterm.matrix_text import number
from planterm.model import Category, ModelError
from planterm.store import CategoryTable
from planterm.text import inert
from planterm.tui.widgets.inert_input import InertInput
from planterm.tui.widgets.plain import plain

FORM_FIELDS = (("key", "key"), ("name", "name"), ("description", "description"),
               ("colour", "colour"), ("target_share", "target %"),
               ("target_per_month", "per month"))
"""The form's inputs, as (field, label); the key is typed only for a new one."""


def category_from(table: CategoryTable, before: Category | None,
                  typed: dict[str, str], known: list[Category]) -> Category:
    """The objective or theme the form describes, or ``ModelError`` naming the field.

    A target is a share or a count per month: typing both is refused rather than one
    silently winning (the command line's ``set`` replaces one by the other).
    """
    share, per_month = typed["target_share"].strip(), typed["target_per_month"].strip()
    if share and per_month:
        raise ModelError("target_share", "a target is a share or a count per month, not both")
    cat = before or Category(key=typed["key"].strip(), name="")
    for name in ("name", "description", "colour"):
        cat = set_category_field(cat, name, typed[name])
    if per_month:
        cat = set_category_field(cat, "target_per_month", per_month)
    else:
        cat = set_category_field(cat, "target_share", share)
    check_category(table, cat, known)
    return cat


class CategoryForm(ModalScreen[bool]):
    """A new or edited objective or theme; ctrl+s (or Enter) saves through ``save``."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+s", "save", "Save", id="category.save", priority=True,
                tooltip="Check the fields and save (u undoes)"),
        Binding("escape", "dismiss(False)", "Cancel", id="category.cancel",
                tooltip="Close the form without saving"),
    ]

    def __init__(self, table: CategoryTable, before: Category | None, known: list[Category],
                 save: Callable[[Category], bool]) -> None:
        super().__init__()
        self.table = table
        self.before = before
        self.known = known
        self.save = save
        """Writes the result (raising the store's ``ModelError``); False when refused."""

    def compose(self) -> ComposeResult:
        one = self.table[:-1]
        before = self.before
        title = f"edit {one} {before.key}" if before else f"new {one}"
        values = {"key": "", "name": "", "description": "", "colour": "",
                  "target_share": "", "target_per_month": ""}
        if before is not None:
            values |= {"key": before.key, "name": before.name,
                       "description": before.description, "colour": before.colour,
                       "target_share": "" if before.target_share is None
                       else number(before.target_share),
                       "target_per_month": "" if before.target_per_month is None
                       else str(before.target_per_month)}
        with Vertical(id="category-form", classes="dialog"):
            yield Static(plain(title), classes="title")
            for field, label in FORM_FIELDS:
                if field == "key" and before is not None:
                    continue  # posts refer to the key: it never changes
                with Horizontal(classes="field", id=f"field-{field}"):
                    yield Label(label, classes="label")
                    yield InertInput(values[field], id=field, compact=True)
            yield Static(id="category-error")
            yield Static("a target is a share (25) or a count per month (6) · ctrl+s or "
                         "Enter saves · Escape cancels", classes="hint")

    def typed(self) -> dict[str, str]:
        """What is in each input (the key of an edited one as it is)."""
        typed = {field: self.query_one(f"#{field}", Input).value
                 for field, _ in FORM_FIELDS if field != "key" or self.before is None}
        typed.setdefault("key", self.before.key if self.before else "")
        return typed

    @on(Input.Submitted)
    def action_save(self) -> None:
        """Check the fields and save; a refusal names the field and keeps the form."""
        error = self.query_one("#category-error", Static)
        for field in self.query(".field"):
            field.remove_class("-invalid")
        try:
            cat = category_from(self.table, self.before, self.typed(), self.known)
            if cat == self.before:
                self.dismiss(False)
                return
            saved = self.save(cat)
        except ModelError as e:
            error.update(plain(f"{e.field}: {e.problem}"))
            for field in self.query(f"#field-{e.field}"):
                field.add_class("-invalid")
                field.query_one(Input).focus()
            return
        if saved:
            self.dismiss(True)


class ChooseScreen(ModalScreen[int | None]):
    """Choose one line of a list (where to merge); dismisses with its index, or None."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "dismiss(None)", "Cancel", id="choose.cancel",
                tooltip="Choose nothing"),
        Binding("j", "move('down')", "Down", id="choose.down", tooltip="Next line"),
        Binding("k", "move('up')", "Up", id="choose.up", tooltip="Previous line"),
    ]

    def __init__(self, question: str, lines: list[str]) -> None:
        super().__init__()
        self.question = question
        self.lines = lines

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Static(plain(self.question), classes="title")
            yield OptionList(*(Option(Content(inert(line))) for line in self.lines),
                             compact=True)
            yield Static("Enter chooses · Escape cancels", classes="hint")

    def on_mount(self) -> None:
        """The list takes the keyboard."""
        self.query_one(OptionList).focus()

    @on(OptionList.OptionSelected)
    def _chosen(self, event: OptionList.OptionSelected) -> None:
        self.dismiss(event.option_index)

    def action_move(self, direction: str) -> None:
        """j/k move as the arrows do."""
        listing = self.query_one(OptionList)
        if direction == "down":
            listing.action_cursor_down()
        else:
            listing.action_cursor_up()
