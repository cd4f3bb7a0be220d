"""What the box under the calendar says about the selection: a post, an event or a day.

Its first line stands alone (a short terminal shows only that line), and leads with what
is wrong, so that a post over a channel's limit is seen before it is approved; a tall
terminal shows the lines after it too: the text that goes out, or the event's plan.
"""

from __future__ import annotations

from textual.content import Content

from planterm.agenda import Occurrence, channel_abbrs, local_text, post_line
from planterm.config import Settings
from planterm.dates import weekday_abbr
from planterm.model import Post
from planterm.readiness import WARN_MARK, outgoing_text
from planterm.store import PostQuery, Store
from planterm.text import inert
from planterm.tui.widgets.marks import EVENT_MARK
from planterm.tui.widgets.shown import Shown


def event_posts(store: Store, occ: Occurrence, settings: Settings) -> list[Post]:
    """The posts that cover this occurrence of an event (``coverage.tie``: a recurring
    event's posts are each one occurrence's), by time."""
    from planterm.coverage import tie  # loaded once an event is selected, not with the week

    posts = store.posts(PostQuery(events=frozenset({occ.event.id or 0})))
    return tie(occ.event, posts, settings).get(occ.start, [])


def event_line(occ: Occurrence, settings: Settings, aside: str = "") -> str:
    """``◆ jeu 26/11 18:30–20:00 · Vernissage · opening · Hall``: an occurrence on one
    line, with ``aside`` after its time (where a short line still shows it)."""
    event = occ.event
    end = ""
    if event.end is not None:
        end = f"–{(occ.start + (event.end - event.start)).astimezone(settings.tz):%H:%M}"
    place = f" · {event.place}" if event.place else ""
    when = local_text(occ.start, settings)
    aside = f" · {aside}" if aside else ""
    return f"{EVENT_MARK} {when}{end}{aside} · {event.title} · {event.kind}{place}"


def post_summary(post: Post, shown: Shown) -> str:
    """The post on one line, its problems first."""
    problems = shown.problems(post)
    line = post_line(post, shown.settings, found=problems, signs=shown.marks(post))
    return f"{WARN_MARK} {'; '.join(problems)} · {line}" if problems else line


def _text_of(post: Post) -> Content:
    """The text that goes out on the post's first channel, labelled."""
    channel = post.channels[0] if post.channels else ""
    text = outgoing_text(post, channel)
    label = f"on {channel_abbrs(post).split()[0]}: " if channel else "text: "
    if not text.strip():
        return Content.styled(f"{label}no text yet (e writes it)", "$text-muted")
    return Content.assemble((label, "$text-muted"), inert(text, multiline=True))


def preview(shown: Shown, store: Store | None) -> Content:
    """The selection described for the box under the calendar (first line on its own)."""
    settings = shown.settings
    post, occ = shown.selected, shown.selected_event
    if post is not None:
        return Content("\n").join([
            Content(inert(post_summary(post, shown))),
            _text_of(post)])
    if occ is not None:
        count = len(event_posts(store, occ, settings)) if store is not None else 0
        aside = f"{count} post{'s' * (count != 1)}, Enter shows them"
        return Content(inert(event_line(occ, settings, aside)))
    day = shown.day
    entries = shown.entries(day)
    events = sum(isinstance(e, Occurrence) for e in entries)
    posts = len(entries) - events
    what = (f"{posts} post{'s' * (posts != 1)}, {events} event{'s' * (events != 1)}"
            if entries else "nothing planned")
    if shown.view == "month":
        hint = " · j walks into the day · Enter opens the week" if entries else (
            " · Enter opens the week")
    else:
        hint = " · a quick add · n new"
    return Content(f"{weekday_abbr(day, settings.locale)} {day:%d/%m/%Y}: {what}{hint}")
