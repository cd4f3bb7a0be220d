"""What the TUI tests share: a demo store on a fixed day, a fixed clock, fixed settings.

Not collected by pytest (no ``test_`` prefix); imported by the tests/test_tui_*.py files.
"""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from textual.pilot import Pilot
from textual.widget import Widget

from planterm.config import Settings
from planterm.demo import write_demo
from planterm.tui.app import PlantermApp, make_app
from planterm.tui.widgets.calendar import CalendarPane

PARIS = ZoneInfo("Europe/Paris")
TODAY = date(2026, 11, 25)
NOW = datetime(2026, 11, 25, 10, 0, tzinfo=PARIS)
SETTINGS = Settings(timezone="Europe/Paris", locale="fr", week_start="monday",
                    channels=("instagram", "facebook"))


def demo_path(tmp_path: Path) -> Path:
    """A fresh copy of the demo plan, its anchor week on the week of ``TODAY``."""
    return write_demo(tmp_path / "demo.json", TODAY, PARIS)


def app_on(path: Path, settings: Settings = SETTINGS) -> PlantermApp:
    """The planner on ``path`` with the fixed clock."""
    return make_app(path, settings, now=lambda: NOW)


async def ready(pilot: Pilot[Any]) -> CalendarPane:
    """Wait until the store is open and drawn; return the calendar pane.

    On a loaded machine the worker that opens the store may not have been started when
    the first wait returns, and a week drawn from a glimpse of the store comes before the
    store is open: wait again (a bounded number of times) until the calendar has drawn its
    period from the open store, unless the store is never going to open (a refused store).
    """
    for _ in range(WAITS):
        await pilot.app.workers.wait_for_complete()
        await pilot.pause()
        panes = pilot.app.query(CalendarPane)
        if (not panes or pilot.app.return_code is not None
                or (panes.first().shown is not None and pilot.app.store is not None
                    and panes.first().store is pilot.app.store)):
            break
    return pilot.app.query_one(CalendarPane)


WAITS = 50
"""How many rounds ``ready`` waits for the first period to be drawn."""


def notes(app: PlantermApp) -> list[tuple[str, str]]:
    """Record the app's notifications as (severity, message) from now on."""
    seen: list[tuple[str, str]] = []
    original = app.notify

    def notify(message: str, **kwargs: Any) -> None:
        seen.append((str(kwargs.get("severity", "information")), message))
        original(message, **kwargs)

    app.notify = notify  # type: ignore[method-assign]
    return seen


SIZES = [(80, 24), (120, 40)]
"""The two sizes every view is tried at: a plain terminal, and a roomy one."""


def size_id(size: tuple[int, int]) -> str:
    """``80x24``: a size as a test id."""
    return f"{size[0]}x{size[1]}"


def said(app: PlantermApp) -> str:
    """The message line's message, as the user reads it."""
    from planterm.tui.widgets.message_line import MessageLine

    return app.query_one(MessageLine).message


def shown_text(widget: Widget) -> str:
    """What a widget draws, as plain text (every line)."""
    return str(widget.render())
