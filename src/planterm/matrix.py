"""The matrix: objectives × themes for a period, each row and column against its target.

Pure core (no UI). The counting rules, which the README repeats for users:

- A post is counted when it is scheduled in the period, ``[start, end)`` from local
  midnight to local midnight in the user's zone (so a week is 167 or 169 hours when the
  clocks change), passes the filter, and is in the status group: ``all``, ``planned``
  (not yet published) or ``published``. Posts with no date are in no period. Cancelled
  posts are never counted, unless the filter asks for them (``status:cancelled``).
- A post counts once in every cell of its objectives × its themes: with two objectives and
  two themes, in four cells. A post with no objective is counted in the row ``None`` (shown
  "—"), one with no theme in the column ``None``, so that nothing is hidden.
- A row's count is the number of posts serving that objective, each once: the cells of a
  row add up to more when its posts have several themes. Its share is that count over the
  posts counted, in percent. Columns likewise.
- A target is a share (percent), or a count per month scaled to the period: whole calendar
  months as they are (a quarter is 3), any other span in days / 30.44 (a week is 0.23).
  When both are set, the share is the target.
- Rows: every objective not archived, then archived or unknown ones that have posts in
  the period (history stays; unknown keys sorted), then ``None`` when untagged posts were
  counted. Columns alike.
- Gaps: the empty cells, and the rows and columns below their target, of objectives and
  themes in use (not archived, not ``None``), sorted by how many posts short they are. A
  row is ``expected - count`` posts short; an empty cell is short of the posts its row
  and column would give it if they were independent: ``row × column / posts counted``,
  each side taken at its target (in posts), or at its count when it has none.
"""

from __future__ import annotations

import bisect
from collections import Counter
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field, replace
from datetime import date, datetime, time, timedelta
from operator import itemgetter
from typing import Any, Literal, cast
from weakref import WeakKeyDictionary
from zoneinfo import ZoneInfo

from planterm.dates import period_bounds, period_label, shift_period
from planterm.model import FLOW, Category, Post, Status, iso
from planterm.store import PostQuery, Store

PeriodKind = Literal["week", "month", "quarter", "all"]
PERIODS: tuple[PeriodKind, ...] = ("week", "month", "quarter", "all")
"""The periods in the order ``p`` cycles them; ``all`` is the whole plan, first to last post."""

StatusGroup = Literal["all", "planned", "published"]
STATUS_GROUPS: dict[StatusGroup, frozenset[Status]] = {
    "all": frozenset(FLOW),
    "planned": frozenset(FLOW) - {Status.PUBLISHED},
    "published": frozenset({Status.PUBLISHED}),
}
"""The statuses each group counts: cancelled is in none of them."""

DAYS_PER_MONTH = 365.2425 / 12
"""How a span that is not whole calendar months is turned into months, for targets per month."""

Key = str | None
"""An objective's or a theme's key; None for posts that have none."""
_NONE: tuple[Key, ...] = (None,)


@dataclass(frozen=True, slots=True)
class Span:
    """The counted period: ``[start, end)``, aware, at local midnights."""

    kind: PeriodKind
    start: datetime
    end: datetime

    def days_from(self, today: date | None = None) -> list[date]:
        """The local days of the period, from ``today`` on when given."""
        first = self.start.date() if today is None else max(self.start.date(), today)
        return [first + timedelta(days=i) for i in range((self.end.date() - first).days)]

    @property
    def months(self) -> float:
        """Its length in months: exact for whole calendar months, else days / 30.44."""
        first, end = self.start.date(), self.end.date()
        if first.day == 1 and end.day == 1:
            return float((end.year - first.year) * 12 + end.month - first.month)
        return (end - first).days / DAYS_PER_MONTH

    def label(self, week_start: int = 0, locale: str = "en") -> str:
        """Its heading: 'novembre 2026', 'week 48 · 23–29 Nov 2026', '3 Feb 2025 – 30 Nov 2026'."""
        if self.kind != "all":
            return period_label(self.kind, self.start.date(), week_start, locale)
        last = self.end.date() - timedelta(days=1)
        return f"{self.start.date().isoformat()} – {last.isoformat()}"


def _local_midnight(day: date, tz: ZoneInfo) -> datetime:
    """The start of ``day`` in ``tz``, aware."""
    return datetime.combine(day, time(), tz)


def span_of(kind: PeriodKind, anchor: date, tz: ZoneInfo, week_start: int = 0,
            posts: Posts | None = None) -> Span:
    """The period of ``kind`` holding ``anchor``; for ``all``, the local days from the first
    post to the last (cancelled ones aside; the anchor's day if no post has a date)."""
    if kind != "all":
        return Span(kind, *period_bounds(kind, anchor, tz, week_start))
    ends = None if posts is None else posts.ends()
    if ends is None:
        return Span(kind, _local_midnight(anchor, tz), _local_midnight(anchor + timedelta(1), tz))
    first, last = (datetime.fromisoformat(t).astimezone(tz).date() for t in ends)
    return Span(kind, _local_midnight(first, tz), _local_midnight(last + timedelta(1), tz))


def shift_anchor(kind: PeriodKind, anchor: date, steps: int) -> date:
    """``anchor`` moved by ``steps`` periods (``[`` ``]``); the whole plan does not move."""
    return anchor if kind == "all" else shift_period(kind, anchor, steps)


@dataclass(frozen=True, slots=True)
class Selection:
    """What is counted: a period, the filter line's query and a status group."""

    span: Span
    query: PostQuery = field(default_factory=PostQuery)
    """The filter (``filters.parse_filter``); its own period, if any, is not used."""
    status: StatusGroup = "all"

    @property
    def statuses(self) -> frozenset[Status]:
        """The statuses counted: the group's, narrowed by the filter's; a filter's own
        statuses alone in the group ``all`` (so ``status:cancelled`` counts those)."""
        asked = self.query.statuses
        if not asked:
            return STATUS_GROUPS[self.status]
        return asked if self.status == "all" else asked & STATUS_GROUPS[self.status]

    def parts(self) -> tuple[str, str, frozenset[Status],
                             Callable[[Mapping[str, Any]], bool] | None]:
        """The test's parts: the period's bounds as stored UTC ISO strings, the statuses,
        and the filter's own test, None when it narrows nothing (most counts have none)."""
        rest = replace(self.query, start=None, end=None, statuses=frozenset(),
                       unscheduled=False)
        return (cast(str, iso(self.span.start)), cast(str, iso(self.span.end)), self.statuses,
                None if rest == PostQuery() else rest.condition())

    def condition(self) -> Callable[[Mapping[str, Any]], bool]:
        """Whether a raw post document is counted (``Posts.counted`` has the same test,
        on its rows)."""
        lo, hi, statuses, narrow = self.parts()

        def test(doc: Mapping[str, Any]) -> bool:
            when = doc.get("scheduled")  # stored times are UTC ISO strings: they sort as times
            if when is None or not lo <= when < hi or doc.get("status") not in statuses:
                return False
            return narrow is None or narrow(doc)

        return test


@dataclass(frozen=True, slots=True)
class Line:
    """A row (an objective) or a column (a theme): its posts, its share, its target."""

    key: Key
    """None for the posts with no objective (row) or no theme (column)."""
    name: str
    count: int
    """Posts counted that serve it, each once."""
    share: float
    """``count`` over the posts counted, in percent (0 when none were)."""
    target_share: float | None = None
    target_per_month: int | None = None
    expected: float | None = None
    """The posts its target asks for in this period; None without a target."""
    archived: bool = False
    unknown: bool = False
    """A key that posts carry but that names no objective or theme (``planterm check``)."""

    @property
    def difference(self) -> float | None:
        """Signed distance to the target: percentage points for a share, posts for a count."""
        if self.target_share is not None:
            return self.share - self.target_share
        return None if self.expected is None else self.count - self.expected

    @property
    def below(self) -> bool:
        """Fewer posts than its target asks for."""
        return self.expected is not None and self.count < self.expected

    @property
    def in_use(self) -> bool:
        """An objective or theme that posts are still meant to serve (its gaps count)."""
        return self.key is not None and not (self.archived or self.unknown)

    @property
    def weight(self) -> float:
        """Its posts as the target sees them: the expected count, or the count without one."""
        return self.count if self.expected is None else self.expected


GapKind = Literal["objective", "theme", "cell"]


@dataclass(frozen=True, slots=True)
class Gap:
    """Where the plan is thin: an empty cell, or a row or column below its target."""

    kind: GapKind
    objective: Key
    """The row's key (None for a theme's gap)."""
    theme: Key
    """The column's key (None for an objective's gap)."""
    count: int
    expected: float
    shortfall: float
    """How many posts short: ``expected - count``, 0 or more."""
    free_days: tuple[date, ...]
    """The period's days with no counted post, to place one on."""


@dataclass(frozen=True, slots=True)
class Matrix:
    """The counts of one selection: rows, columns, cells, and the free days."""

    selection: Selection
    total: int
    """Posts counted, each once."""
    objectives: tuple[Line, ...]
    themes: tuple[Line, ...]
    cells: Mapping[tuple[Key, Key], int]
    """Posts per (objective, theme); a pair absent is 0."""
    free_days: tuple[date, ...]
    """Local days of the period, from ``today`` on when it was given, with no counted post."""

    def count(self, objective: Key, theme: Key) -> int:
        """The posts of one cell."""
        return self.cells.get((objective, theme), 0)

    def cell_expected(self, row: Line, column: Line) -> float:
        """What an empty cell is short of: row × column / posts counted (module docstring)."""
        return row.weight * column.weight / self.total if self.total else 0.0

    def gaps(self) -> list[Gap]:
        """Empty cells and rows or columns below target, the furthest below first."""
        found: list[tuple[int, int, Gap]] = []
        sides: tuple[tuple[GapKind, tuple[Line, ...]], ...] = (
            ("objective", self.objectives), ("theme", self.themes))
        for kind, lines in sides:
            for i, line in enumerate(lines):
                if line.in_use and line.below:
                    assert line.expected is not None  # below means a target
                    objective = line.key if kind == "objective" else None
                    gap = Gap(kind, objective, None if objective else line.key, line.count,
                              line.expected, line.expected - line.count, self.free_days)
                    found.append((0 if kind == "objective" else 1, i, gap))
        columns = [c for c in self.themes if c.in_use]
        for i, row in enumerate(r for r in self.objectives if r.in_use):
            for j, column in enumerate(columns):
                if not self.count(row.key, column.key):
                    expected = self.cell_expected(row, column)
                    gap = Gap("cell", row.key, column.key, 0, expected, expected,
                              self.free_days)
                    found.append((2, i * len(columns) + j, gap))
        found.sort(key=lambda t: (-round(t[2].shortfall, 9), t[0], t[1]))
        return [gap for _, _, gap in found]


def _lines(categories: list[Category], counts: Mapping[Key, int], total: int,
           span: Span) -> tuple[Line, ...]:
    """Rows (or columns): categories in use, then the others that have posts, then None."""
    lines = []
    known = {c.key for c in categories}
    for cat in categories:
        n = counts.get(cat.key, 0)
        if n or not cat.archived:
            lines.append(_line(cat.key, cat.name, n, total, span, cat))
    # by key: the order the posts were read in changes as they are written
    lines += [_line(key, key, counts[key], total, span, unknown=True)
              for key in sorted(k for k in counts if k is not None and k not in known)]
    if counts.get(None):
        lines.append(_line(None, "—", counts[None], total, span))
    return tuple(lines)


def _line(key: Key, name: str, count: int, total: int, span: Span,
          cat: Category | None = None, unknown: bool = False) -> Line:
    """One row or column, its target turned into posts for the period."""
    share = 100 * count / total if total else 0.0
    if cat is None:
        return Line(key, name, count, share, unknown=unknown)
    if cat.target_share is not None:
        expected: float | None = total * cat.target_share / 100
    elif cat.target_per_month is not None:
        expected = cat.target_per_month * span.months
    else:
        expected = None
    return Line(key, name, count, share, cat.target_share, cat.target_per_month,
                None if expected is None else round(expected, 9), cat.archived)


Counts = tuple[dict[Key, int], dict[Key, int], dict[tuple[Key, Key], int]]
"""Posts per objective, per theme and per (objective, theme) cell."""

Row = tuple[str, str | None, int, str]
"""A scheduled post as the matrix counts it: its time (stored UTC ISO: they sort as times),
its status (None for one planterm does not know), the index of its combination in
``Posts.combinations``, its id. Nothing but strings and numbers: the collector soon
stops following it (a reference to the document would have every full pass of the
planner's collector visit 20,000 more objects)."""
_WHEN = itemgetter(0)
_STATUS: dict[Any, str] = {status.value: status.value for status in Status}
_COMBINATION = itemgetter(2)


def _keys(keys: tuple[str, ...]) -> tuple[Key, ...]:
    """A post's objectives or themes as counted: each once (a hand edit may list one twice),
    in one order (two posts with the same keys share a combination), ``(None,)`` for none."""
    if not keys:
        return _NONE
    return keys if len(keys) == 1 else tuple(sorted(set(keys)))


class Posts:
    """The scheduled posts as the matrix counts them: one compact row each, in time order.

    Reading 20,000 stored documents (dicts scattered through memory as the store read them)
    costs about the whole 50 ms budget by itself, before any counting. The rows hold what
    the count needs: a period is two bisections, the status a tuple item, and the tags an
    index into their combinations (a few hundred in a real plan), so that each combination
    adds its posts once to its rows, columns and cells. Only the filter line's own test
    (``ch:``, text...) reads the documents, of the posts in the period. ``posts_of`` keeps
    a store's rows up to date with its writes; ``count_store`` makes rows of a period's
    posts alone until then.
    """

    documents: Mapping[str, Mapping[str, Any]]
    """The documents the rows were made from, as they are now, by id."""

    def __init__(self, documents: Mapping[str, Mapping[str, Any]]) -> None:
        """The rows of raw post documents (``Store.post_documents``), by id."""
        self.documents = documents
        self.combinations: list[tuple[tuple[Key, ...], tuple[Key, ...]]] = []
        """Each combination of tags as counted (``_keys``): its objectives, its themes."""
        self._combination: dict[tuple[tuple[Key, ...], tuple[Key, ...]], int] = {}
        """The index in ``combinations`` of tags as listed, and as counted."""
        self._when: dict[str, str] = {}
        """Each row's time, by post id: where to find it when the post changes."""
        rows = [self._row(when, doc_id, doc) for doc_id, doc in documents.items()
                if (when := doc.get("scheduled")) is not None]
        rows.sort(key=_WHEN)
        # made again in time order, the rows lie in memory in the order a count reads them
        self.rows = [(when, status, index, doc_id) for when, status, index, doc_id in rows]

    def _row(self, when: str, doc_id: str, doc: Mapping[str, Any]) -> Row:
        """A post's row, its combination added if new."""
        tags = (tuple(doc.get("objectives") or ()), tuple(doc.get("themes") or ()))
        index = self._combination.get(tags)
        if index is None:
            index = self._combination[tags] = self._add(tags)
        self._when[doc_id] = when
        # one string for every post of a status, its hash at hand, not the document's own
        return when, _STATUS.get(doc.get("status")), index, doc_id

    def _add(self, tags: tuple[tuple[str, ...], tuple[str, ...]]) -> int:
        """The index of the combination a post's keys (as listed) are counted in: tags
        listed in another order or twice (a hand edit) share one."""
        counted = (_keys(tags[0]), _keys(tags[1]))
        index = self._combination.get(counted)
        if index is None:
            index = self._combination[counted] = len(self.combinations)
            self.combinations.append(counted)
        return index

    def update(self, documents: Mapping[str, Mapping[str, Any]], ids: Iterable[str]) -> None:
        """Bring the rows of the posts ``ids`` up to date with ``documents`` (set, or gone)."""
        self.documents = documents  # the same table, or one the first post made
        rows = self.rows
        for doc_id in ids:
            when = self._when.pop(doc_id, None)
            if when is not None:
                at = bisect.bisect_left(rows, when, key=_WHEN)
                while rows[at][3] != doc_id:  # posts at the same time: a few steps at most
                    at += 1
                del rows[at]
            doc = documents.get(doc_id)
            if doc is not None and (when := doc.get("scheduled")) is not None:
                bisect.insort(rows, self._row(when, doc_id, doc), key=_WHEN)

    def ends(self) -> tuple[str, str] | None:
        """The times of the first and the last post, cancelled ones aside; None if none."""
        cancelled = Status.CANCELLED.value
        times = (row[0] for row in self.rows if row[1] != cancelled)
        first = next(times, None)
        if first is None:
            return None
        last = next(row[0] for row in reversed(self.rows) if row[1] != cancelled)
        return first, last

    def counted(self, selection: Selection) -> list[Row]:
        """The rows a selection counts, in time order (``Selection.condition``'s test)."""
        lo, hi, statuses, narrow = selection.parts()
        rows = self.rows
        period = rows[bisect.bisect_left(rows, lo, key=_WHEN):
                      bisect.bisect_left(rows, hi, key=_WHEN)]
        if narrow is None:
            return [row for row in period if row[1] in statuses]
        documents = self.documents
        return [row for row in period if row[1] in statuses and narrow(documents[row[3]])]

    def tally(self, rows: list[Row]) -> Counts:
        """The counts of ``rows``: their combinations counted, then each one added to its
        rows, columns and cells once, times its posts."""
        objectives: dict[Key, int] = {}
        themes: dict[Key, int] = {}
        cells: dict[tuple[Key, Key], int] = {}
        for index, n in Counter(map(_COMBINATION, rows)).items():
            keys, columns = self.combinations[index]
            for objective in keys:
                objectives[objective] = objectives.get(objective, 0) + n
            for theme in columns:
                themes[theme] = themes.get(theme, 0) + n
                for objective in keys:
                    cells[objective, theme] = cells.get((objective, theme), 0) + n
        return objectives, themes, cells


def count(posts: Posts, objectives: list[Category], themes: list[Category],
          selection: Selection, today: date | None = None) -> Matrix:
    """Count the posts for a selection.

    ``today``: free days before it are left out (a gap is filled from today on).
    """
    span = selection.span
    tz = span.start.tzinfo
    assert isinstance(tz, ZoneInfo)
    counted = posts.counted(selection)
    rows, columns, cells = posts.tally(counted)
    days = span.days_from(today)
    # the counted posts from each day's local midnight on: none between two, a free day
    bounds = [cast(str, iso(_local_midnight(d, tz))) for d in days] + [iso(span.end)]
    marks = [bisect.bisect_left(counted, b, key=_WHEN) for b in bounds]
    free = tuple(d for d, at, after in zip(days, marks, marks[1:], strict=False) if at == after)
    total = len(counted)
    return Matrix(selection, total, _lines(objectives, rows, total, span),
                  _lines(themes, columns, total, span), cells, free)


class _Kept:
    """A store's rows, and the posts written since they were brought up to date."""

    def __init__(self) -> None:
        self.posts: Posts | None = None
        """None until first asked for, and again once memory was read anew whole."""
        self.changed: set[str] = set()

    def tell(self, table: str | None, ids: Iterable[str]) -> None:
        """The storage's news (``JournalStorage.observers``): kept for the next count, so that
        a write pays nothing for the matrix until it is shown."""
        if table is None:
            self.posts = None
            self.changed.clear()
        elif table == "posts" and self.posts is not None:
            self.changed.update(ids)
            # a main file read again is another table: the one the rows were made from is
            # not kept alive by them (15 MB at 20,000 posts) until the next count
            self.posts.documents = {}


_KEPT: WeakKeyDictionary[Store, _Kept] = WeakKeyDictionary()


def posts_of(store: Store) -> Posts:
    """A store's posts as the matrix counts them, as they are now: built on first use, then
    kept up to date with every write the storage applies (this process's and the journal
    records of others), built again when it reads memory anew (another process compacted)."""
    kept = _KEPT.get(store)
    if kept is None:
        kept = _KEPT[store] = _Kept()
        store.storage.observers.append(kept.tell)
    documents = store.post_documents()
    if kept.posts is None:
        kept.posts = Posts(documents)
    else:
        changed, kept.changed = kept.changed, set()
        kept.posts.update(documents, changed)
    return kept.posts


def span_in(store: Store, kind: PeriodKind, anchor: date, tz: ZoneInfo,
            week_start: int = 0) -> Span:
    """``span_of`` for what a store holds now (the whole plan reads its rows)."""
    return span_of(kind, anchor, tz, week_start, posts_of(store) if kind == "all" else None)


def count_store(store: Store, selection: Selection, today: date | None = None) -> Matrix:
    """``count`` on everything a store holds now: from its rows once they are built
    (``posts_of``), else from the rows of the period's posts alone (found through the
    store's index by time: a month of 20,000 posts is counted without reading the other
    19,000, as ``planterm matrix`` does once per process)."""
    kept = _KEPT.get(store)
    if kept is None or kept.posts is None:
        posts = Posts(store.post_documents(selection.span.start, selection.span.end))
    else:
        posts = posts_of(store)
    return count(posts, store.objectives(), store.themes(), selection, today)


def cell_posts(store: Store, selection: Selection, objective: Key, theme: Key) -> list[Post]:
    """The posts a cell counts (``None``: posts with no objective, or no theme), in time order."""
    test = selection.condition()

    def in_cell(doc: Mapping[str, Any]) -> bool:
        return (test(doc) and objective in (doc.get("objectives") or _NONE)
                and theme in (doc.get("themes") or _NONE))

    return store.posts_where(in_cell)
