"""What the planner shows on a plan with nothing in it: the first commands to type.

A new store is empty, and an empty grid says nothing about what to do. The steps are
the README's: objectives and themes first (a post refers to them), then posts; those
already done are left out.
"""

from __future__ import annotations

from textual.content import Content

from planterm.config import Settings
from planterm.store import Store
from planterm.text import inert

OBJECTIVE = 'planterm objective add visites "Faire venir au musée" --target-share 25'
THEME = 'planterm theme add prehistoire "Préhistoire" --target-per-month 6'
POST = 'planterm add Teaser --on "ven 10h" --theme prehistoire --objective visites'


KEYS = (("2 then o", "objectives and themes (ctrl+p: Objectives and themes)"),
        ("n", "write a post in the editor"),
        ("a", "add one from a line: ven 10h @ig +prehistoire !visites Teaser"))
"""The same steps as keys of the planner."""


def first_steps(store: Store, settings: Settings) -> Content:
    """The steps left on an empty plan, as commands and as keys of the planner."""
    commands = []
    if not store.objectives():
        commands.append(OBJECTIVE)
    if not store.themes():
        commands.append(THEME)
    commands.append(POST)
    keys = KEYS if len(commands) > 1 else KEYS[1:]
    lines = [
        Content.assemble(("Nothing planned yet. ", "bold"),
                         "First say why the museum posts (objectives) and" if len(commands) > 1
                         else "Now write posts, on the command line:"),
    ]
    if len(commands) > 1:
        lines.append(Content("what about (themes), then write posts, on the command line:"))
    lines.append(Content())
    lines += [Content.styled(f"  {command}", "bold") for command in commands]
    if store.path.resolve() != settings.store.expanduser().resolve():
        lines.append(Content(inert(f"  (each with --store {store.path})")))
    lines += [Content(), Content("or here:")]
    lines += [Content.assemble(("  " + key.ljust(10), "bold"), what) for key, what in keys]
    lines += [Content(), Content("To look around a living museum plan first: q, then "
                                 "planterm --demo.")]
    return Content("\n").join(lines)
