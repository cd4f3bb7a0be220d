"""The handover report: what the in-house team needs to carry the plan on, in Markdown or
as one self-contained HTML file.

``build`` gathers it from the store with the core's own counting (``matrix.count`` for the
matrices, ``events.listing`` for each event's coverage, ``matrix_text`` for how a difference
or a gap is said); ``markdown`` and ``html`` only lay it out. Every stored text is escaped
on the way out (``html.escape``, and Markdown's own signs), so a title holding ``<script>``
is shown, never run. The HTML has its style inline and its charts as inline SVG: no script,
and nothing is fetched, so it opens the same offline, years later, and prints.
"""

from __future__ import annotations

import html
import re
from collections import Counter
from dataclasses import dataclass, replace
from datetime import date, datetime, timedelta
from pathlib import Path

from planterm import backups
from planterm.config import Settings, config_path
from planterm.dates import month_name, shift_period
from planterm.events import AHEAD, listing
from planterm.matrix import Line, Matrix, Selection, Span, count, posts_of, span_of
from planterm.matrix_text import cell_text, difference_text, gap_text, versus
from planterm.model import Category, Post, Status
from planterm.store import PostQuery, Store
from planterm.templates import Templates

CARRY_ON = (
    ("planterm", "open the planner (? lists every key)"),
    ("planterm week", "this week's agenda"),
    ("planterm list --status review", "the posts waiting for review"),
    ("planterm matrix --period quarter", "objectives × themes against their targets"),
    ("planterm events", "the coming events and their coverage"),
    ("planterm coverage E", "make an event's coverage posts from its template"),
    ("planterm export ics -o plan.ics", "the plan for a calendar app"),
    ("planterm export csv -o plan.csv", "the posts for a spreadsheet"),
    ("planterm backup -o plan-backup.json", "a snapshot to keep; planterm restore brings it "
                                            "back"),
)
"""The commands the report hands over, with what each does."""


@dataclass(frozen=True, slots=True)
class EventLine:
    """One occurrence of an event in the report."""

    title: str
    start: datetime
    place: str
    coverage: str
    """``●●○ 2/3 · 1 published · 2 live`` and the next step."""
    live: tuple[Post, ...]


@dataclass(frozen=True, slots=True)
class Handover:
    """Everything the report says, gathered from the store."""

    start: datetime
    end: datetime
    """The period, local midnights, ``end`` excluded."""
    made: datetime
    settings: Settings
    store: Path
    objectives: tuple[tuple[Category, int], ...]
    """Each objective and how many posts use it (over the whole plan)."""
    themes: tuple[tuple[Category, int], ...]
    whole: Matrix
    months: tuple[tuple[str, Matrix], ...]
    events: tuple[EventLine, ...]
    after_posts: tuple[Post, ...]
    after_events: tuple[EventLine, ...]
    review: tuple[Post, ...]
    sensitive: tuple[Post, ...]
    weeks: tuple[tuple[date, int], ...]
    """Posts per week of the period (Monday, count)."""


def default_period(store: Store, settings: Settings, now: datetime) -> tuple[date, date]:
    """From the day of the first post to today: the mission so far."""
    today = now.astimezone(settings.tz).date()
    span = span_of("all", today, settings.tz, posts=posts_of(store))
    return min(span.start.date(), today), today


def build(store: Store, settings: Settings, first: date, last: date, now: datetime,
          templates: Templates, query: PostQuery | None = None) -> Handover:
    """The report of the days ``first`` to ``last`` (both included); ``query`` (the filter
    line's: ``flag:``, ``open:``, ``ch:ig``...) restricts the posts it counts and lists."""
    query = query or PostQuery()
    tz = settings.tz
    start = datetime.combine(first, datetime.min.time(), tz)
    end = datetime.combine(last + timedelta(days=1), datetime.min.time(), tz)
    rows = posts_of(store)
    objectives, themes = store.objectives(), store.themes()

    def matrix(span: Span) -> Matrix:
        return count(rows, objectives, themes, Selection(span, query))

    months = []
    month = first.replace(day=1)
    while month <= last:
        span = span_of("month", month, tz)
        months.append((f"{month_name(month.month, settings.locale)} {month.year}", matrix(span)))
        month = shift_period("month", month, 1)
    usage = {"objectives": store.usage("objectives"), "themes": store.usage("themes")}
    live = [p for p in store.posts(replace(query, start=start, end=end))
            if p.status is not Status.CANCELLED]
    weeks: Counter[date] = Counter()
    for post in live:
        local = post.scheduled.astimezone(tz).date() if post.scheduled else first
        weeks[local - timedelta(days=local.weekday())] += 1
    monday = first - timedelta(days=first.weekday())
    week_list = []
    while monday <= last:
        week_list.append((monday, weeks[monday]))
        monday += timedelta(weeks=1)
    everything = store.posts(query)
    return Handover(
        start=start, end=end, made=now, settings=settings, store=store.path,
        objectives=tuple((c, usage["objectives"][c.key]) for c in objectives),
        themes=tuple((c, usage["themes"][c.key]) for c in themes),
        whole=matrix(Span("all", start, end)), months=tuple(months),
        events=tuple(_event_lines(store, settings, templates, now, start, end)),
        after_posts=tuple(p for p in everything if p.scheduled and p.scheduled >= end
                          and p.status is not Status.CANCELLED),
        after_events=tuple(_event_lines(store, settings, templates, now, end, end + AHEAD)),
        review=tuple(p for p in everything if p.status is Status.REVIEW),
        sensitive=tuple(p for p in everything if p.flags and p.status is not Status.CANCELLED),
        weeks=tuple(week_list))


def _event_lines(store: Store, settings: Settings, templates: Templates, now: datetime,
                 start: datetime, end: datetime) -> list[EventLine]:
    found = []
    for item in listing(store, settings, templates, now, start=start, end=end):
        cov = item.state
        said = (f"{cov.mark} · {cov.written} written · {cov.published} published · "
                f"{cov.live} live · next: {cov.next_step}")
        event = item.occurrence.event
        found.append(EventLine(event.title, item.occurrence.start, event.place, said,
                               tuple(p for p in item.posts if p.live)))
    return found


# --- shared wording -----------------------------------------------------------------


def _when(when: datetime | None, settings: Settings) -> str:
    return when.astimezone(settings.tz).strftime("%Y-%m-%d %H:%M") if when else "no date"


def _target(cat: Category) -> str:
    if cat.target_share is not None:
        return f"{cat.target_share:g}% of the posts"
    if cat.target_per_month is not None:
        return f"{cat.target_per_month} posts a month"
    return "none"


def _checklist(post: Post) -> str:
    return ", ".join(f"{'✓' if done else '○'} {item}" for item, done in post.checklist.items()) \
        or "no checklist yet"


def _line_text(line: Line) -> str:
    return f"{versus(line)} {difference_text(line)}".strip()


def _settings_rows(h: Handover) -> list[tuple[str, str]]:
    s = h.settings
    return [("store", str(h.store)), ("backups", str(backups.folder(h.store))),
            ("settings file", str(config_path())), ("time zone", s.timezone),
            ("week starts on", s.week_start), ("language", s.locale),
            ("default channels", ", ".join(s.channels)), ("backups kept", str(s.backups))]


# --- Markdown ------------------------------------------------------------------------

_MD_SIGNS = re.compile(r"([\\`*_\[\]|~])")


def md(text: str) -> str:
    """Stored text for Markdown: HTML escaped, Markdown's signs backslashed, one line."""
    return _MD_SIGNS.sub(r"\\\1", html.escape(" ".join(text.split()), quote=False))


def _md_matrix(m: Matrix) -> list[str]:
    if not m.total:
        return ["No post in this period.", ""]
    head = ["objective \\\\ theme", *(md(c.name) for c in m.themes), "total"]
    out = ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
    for row in m.objectives:
        cells = [cell_text(m, row, c) for c in m.themes]
        out.append(f"| {md(row.name)} | {' | '.join(cells)} | {md(_line_text(row))} |")
    out.append(f"| total | {' | '.join(md(_line_text(c)) for c in m.themes)} | {m.total} |")
    gaps = m.gaps()
    out += ["", f"Gaps ({len(gaps)}):" if gaps else "No gap."]
    out += [f"- {md(gap_text(g))}" for g in gaps[:10]]
    return [*out, ""]


def markdown(h: Handover) -> str:
    """The report as Markdown."""
    s = h.settings
    last = (h.end - timedelta(days=1)).date()
    out = [f"# Handover report — {h.start.date()} to {last}", "",
           f"Made by planterm on {_when(h.made, s)} ({s.timezone}).", ""]
    for table, cats in (("Objectives", h.objectives), ("Themes", h.themes)):
        out += [f"## {table}", "", "| key | name | target | posts | description |",
                "|---|---|---|---|---|"]
        out += [f"| {md(c.key)} | {md(c.name)}{' (archived)' if c.archived else ''} | "
                f"{_target(c)} | {n} | {md(c.description)} |" for c, n in cats]
        out.append("")
    out += ["## Matrix for the whole period", "", *_md_matrix(h.whole)]
    for label, m in h.months:
        out += [f"### {label}", "", *_md_matrix(m)]
    out += ["## Events and their coverage", ""]
    out += _md_events(h.events, s) or ["No event in this period.", ""]
    out += ["## Planned after the end date", ""]
    out += [f"- {_when(p.scheduled, s)} · {p.status} · {md(p.title)}" for p in h.after_posts]
    out += _md_events(h.after_events, s)
    if not (h.after_posts or h.after_events):
        out.append("Nothing is planned after the end date.")
    out += ["", "## Waiting for review", ""]
    out += [f"- {_when(p.scheduled, s)} · {md(p.title)}" for p in h.review] or ["None."]
    out += ["", "## Sensitive posts", ""]
    out += [f"- {_when(p.scheduled, s)} · {p.status} · {md(p.title)} — flags: "
            f"{md(', '.join(p.flags))}; checklist: {md(_checklist(p))}"
            for p in h.sensitive] or ["None."]
    out += ["", "## How to carry on", "", "| setting | value |", "|---|---|"]
    out += [f"| {k} | {md(v)} |" for k, v in _settings_rows(h)]
    out += ["", "| command | what it does |", "|---|---|"]
    out += [f"| `{cmd}` | {what} |" for cmd, what in CARRY_ON]
    return "\n".join(out) + "\n"


def _md_events(lines: tuple[EventLine, ...], s: Settings) -> list[str]:
    out = []
    for e in lines:
        out.append(f"- **{_when(e.start, s)} · {md(e.title)}** ({md(e.place) or 'no place'}): "
                   f"{md(e.coverage)}")
        out += [f"  - live {_when(p.scheduled, s)}: {md(p.title)}" for p in e.live]
    return [*out, ""] if out else []


# --- HTML --------------------------------------------------------------------------------

CSS = """
body{font:15px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;color:#1d1d1f;
max-width:60rem;margin:2rem auto;padding:0 1rem}
h1{font-size:1.6rem;border-bottom:3px solid #1f5f8b;padding-bottom:.3rem}
h2{font-size:1.25rem;margin-top:2rem;color:#1f5f8b}h3{font-size:1.05rem}
table{border-collapse:collapse;margin:.5rem 0 1rem;font-size:.9rem}
th,td{border:1px solid #c8c8cc;padding:.25rem .5rem;text-align:left;vertical-align:top}
th{background:#eef3f7}td.n{text-align:right;font-variant-numeric:tabular-nums}
.matrix{font-size:.78rem}.matrix td.n{white-space:nowrap}.matrix th,.matrix td{padding:.2rem .3rem}
.gap{color:#9a3412}.muted{color:#55555a}svg{max-width:100%;height:auto}
svg text{font:12px system-ui,sans-serif;fill:#1d1d1f}
@media print{body{margin:0;max-width:none;font-size:11pt}h2{break-after:avoid}
table,svg,li{break-inside:avoid}}
"""


def esc(text: str) -> str:
    """Stored text for HTML: every sign that could be markup escaped."""
    return html.escape(text, quote=True)


def _table(head: list[str], rows: list[list[str]], numeric: frozenset[int] = frozenset(),
           css: str = "") -> str:
    """An HTML table (of class ``css``); cells are HTML already (escaped by the caller)."""
    th = "".join(f"<th>{h}</th>" for h in head)
    body = "".join("<tr>" + "".join(
        f'<td class="n">{c}</td>' if i in numeric else f"<td>{c}</td>"
        for i, c in enumerate(row)) + "</tr>" for row in rows)
    klass = f' class="{css}"' if css else ""
    return f"<table{klass}><thead><tr>{th}</tr></thead><tbody>{body}</tbody></table>"


def _html_matrix(m: Matrix) -> str:
    if not m.total:
        return "<p class=muted>No post in this period.</p>"
    # columns by key, their names in a tooltip: ten themes' names would not fit a page
    head = ["objective \\ theme", *(f'<abbr title="{esc(c.name)}">{esc(c.key or "—")}</abbr>'
                                     for c in m.themes), "total"]
    def against(line: Line) -> str:  # on two lines: a column stays as narrow as its counts
        return f"{esc(versus(line))}<br>{esc(difference_text(line))}"

    rows = [[esc(r.name), *(esc(cell_text(m, r, c)) for c in m.themes), against(r)]
            for r in m.objectives]
    rows.append(["total", *(against(c) for c in m.themes), str(m.total)])
    gaps = m.gaps()
    listed = "".join(f'<li class="gap">{esc(gap_text(g))}</li>' for g in gaps[:10])
    said = f"<p>Gaps ({len(gaps)}):</p><ul>{listed}</ul>" if gaps else "<p>No gap.</p>"
    return _table(head, rows, frozenset(range(1, len(head))), "matrix") + said


def mix_chart(h: Handover) -> str:
    """Each objective's share of the period's posts (bar) against its target (mark)."""
    lines = [line for line in h.whole.objectives if line.key is not None]
    width, row, left = 640, 26, 200
    height = row * len(lines) + 30
    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" '
             f'width="{width}" height="{height}" role="img" aria-label="Mix per objective '
             'against its target"><title>Mix per objective against its target</title>']
    scale = (width - left - 60) / 100
    for i, line in enumerate(lines):
        y = 10 + i * row
        target = line.target_share
        if target is None and line.expected is not None and h.whole.total:
            target = 100 * line.expected / h.whole.total
        parts.append(f'<text x="0" y="{y + 14}">{esc(line.name[:28])}</text>'
                     f'<rect x="{left}" y="{y}" width="{line.share * scale:.1f}" height="18" '
                     f'fill="#1f5f8b"/><text x="{left + line.share * scale + 4:.1f}" '
                     f'y="{y + 14}">{line.share:.0f}%</text>')
        if target is not None:
            x = left + min(target, 100) * scale
            parts.append(f'<line x1="{x:.1f}" x2="{x:.1f}" y1="{y - 3}" y2="{y + 21}" '
                         f'stroke="#c2410c" stroke-width="3"><title>target {target:.0f}%'
                         '</title></line>')
    parts.append(f'<text x="{left}" y="{height - 4}">bar: share of the posts · '
                 'orange mark: target</text></svg>')
    return "".join(parts)


def weeks_chart(h: Handover) -> str:
    """Posts per week of the period, as columns."""
    weeks = h.weeks[-104:]  # two years at most: a column stays wide enough to read
    width, height, bottom = 640, 180, 30
    top = max((n for _, n in weeks), default=0) or 1
    step = width / max(len(weeks), 1)
    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" '
             f'width="{width}" height="{height}" role="img" aria-label="Posts per week">'
             '<title>Posts per week</title>']
    for i, (monday, n) in enumerate(weeks):
        bar = (height - bottom - 16) * n / top
        parts.append(f'<rect x="{i * step + 1:.1f}" y="{height - bottom - bar:.1f}" '
                     f'width="{max(step - 2, 1):.1f}" height="{bar:.1f}" fill="#3a7ca5">'
                     f'<title>week of {monday}: {n}</title></rect>')
    if weeks:
        parts.append(f'<text x="0" y="{height - 10}">{weeks[0][0]}</text>'
                     f'<text x="{width}" y="{height - 10}" text-anchor="end">'
                     f'{weeks[-1][0]}</text><text x="0" y="12">{top} posts</text>')
    parts.append("</svg>")
    return "".join(parts)


def html_report(h: Handover) -> str:
    """The report as one self-contained HTML page."""
    s = h.settings
    last = (h.end - timedelta(days=1)).date()
    title = f"Handover report — {h.start.date()} to {last}"
    out = ['<!DOCTYPE html><html lang="en"><head><meta charset="utf-8">',
           '<meta name="viewport" content="width=device-width, initial-scale=1">',
           f"<title>{esc(title)}</title><style>{CSS}</style></head><body>",
           f"<h1>{esc(title)}</h1>",
           f"<p class=muted>Made by planterm on {esc(_when(h.made, s))} ({esc(s.timezone)}); "
           f"{h.whole.total} posts in the period.</p>"]
    for name, cats in (("Objectives", h.objectives), ("Themes", h.themes)):
        out.append(f"<h2>{name}</h2>")
        out.append(_table(["key", "name", "target", "posts", "description"], [
            [esc(c.key), esc(c.name) + (" (archived)" if c.archived else ""), esc(_target(c)),
             str(n), esc(c.description)] for c, n in cats], frozenset({3})))
    out += ["<h2>Mix per objective against its target</h2>", mix_chart(h),
            "<h2>Posts per week</h2>", weeks_chart(h),
            "<h2>Matrix for the whole period</h2>", _html_matrix(h.whole)]
    for label, m in h.months:
        out += [f"<h3>{esc(label)}</h3>", _html_matrix(m)]
    out += ["<h2>Events and their coverage</h2>",
            _html_events(h.events, s) or "<p>No event in this period.</p>",
            "<h2>Planned after the end date</h2>"]
    if h.after_posts:
        out.append(_table(["when", "status", "post"], [
            [esc(_when(p.scheduled, s)), esc(p.status.value), esc(p.title)]
            for p in h.after_posts]))
    out.append(_html_events(h.after_events, s))
    if not (h.after_posts or h.after_events):
        out.append("<p>Nothing is planned after the end date.</p>")
    out += ["<h2>Waiting for review</h2>", _table(["when", "post"], [
        [esc(_when(p.scheduled, s)), esc(p.title)] for p in h.review]) if h.review
        else "<p>None.</p>", "<h2>Sensitive posts</h2>", _table(
        ["when", "status", "post", "flags", "checklist"], [
            [esc(_when(p.scheduled, s)), esc(p.status.value), esc(p.title),
             esc(", ".join(p.flags)), esc(_checklist(p))] for p in h.sensitive])
        if h.sensitive else "<p>None.</p>",
        "<h2>How to carry on</h2>",
        _table(["setting", "value"], [[k, esc(v)] for k, v in _settings_rows(h)]),
        _table(["command", "what it does"], [[f"<code>{esc(c)}</code>", esc(w)]
                                             for c, w in CARRY_ON]),
        "</body></html>"]
    return "\n".join(out) + "\n"


def _html_events(lines: tuple[EventLine, ...], s: Settings) -> str:
    if not lines:
        return ""
    items = []
    for e in lines:
        live = "".join(f"<li>live {esc(_when(p.scheduled, s))}: {esc(p.title)}</li>"
                       for p in e.live)
        items.append(f"<li><strong>{esc(_when(e.start, s))} · {esc(e.title)}</strong> "
                     f"({esc(e.place) or 'no place'}): {esc(e.coverage)}"
                     + (f"<ul>{live}</ul>" if live else "") + "</li>")
    return f"<ul>{''.join(items)}</ul>"
