"""The matrix's counting rules, targets, gaps and periods, on raw documents (no UI)."""

from __future__ import annotations

import random
from collections.abc import Sequence
from dataclasses import replace
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import cast
from zoneinfo import ZoneInfo

import pytest

from planterm.matrix import (
    Key,
    Line,
    Matrix,
    Posts,
    Selection,
    Span,
    cell_posts,
    count,
    count_store,
    posts_of,
    shift_anchor,
    span_of,
)
from planterm.matrix_text import abbreviations, bar, difference_text, fit, versus
from planterm.model import Category, Post, Status
from planterm.store import PostQuery, Store

PARIS = ZoneInfo("Europe/Paris")
NOV = date(2026, 11, 18)


def at(day: date, hour: int = 10, minute: int = 0, tz: ZoneInfo = PARIS) -> datetime:
    """A local wall-clock time, in UTC as stored."""
    return datetime(day.year, day.month, day.day, hour, minute, tzinfo=tz).astimezone(UTC)


def docs(*posts: Post) -> Posts:
    """The posts as the matrix counts them, from raw documents as a store holds them."""
    return Posts({str(i): p.to_doc() for i, p in enumerate(posts, 1)})


def post(when: datetime | None, objectives: Sequence[str] = (), themes: Sequence[str] = (),
         status: Status = Status.DRAFT, channels: Sequence[str] = ()) -> Post:
    """A post as the tests need it: a time, its tags, a status."""
    return Post(title="p", scheduled=when, objectives=list(objectives), themes=list(themes),
                status=status, channels=list(channels), uid="u")


OBJ = [Category("visites", "Faire venir", target_share=50.0),
       Category("recherche", "Recherche", target_per_month=4)]
THEMES = [Category("prehistoire", "Préhistoire", target_share=25.0),
          Category("coulisses", "Coulisses")]


def month(anchor: date = NOV) -> Selection:
    return Selection(span_of("month", anchor, PARIS))


def test_a_post_counts_in_every_cell_it_serves_and_once_in_each_total() -> None:
    m = count(docs(post(at(NOV), ["visites", "recherche"], ["prehistoire", "coulisses"]),
                   post(at(NOV), ["visites"], ["prehistoire"])), OBJ, THEMES, month())
    assert m.total == 2
    assert {k: v for k, v in m.cells.items() if v} == {
        ("visites", "prehistoire"): 2, ("visites", "coulisses"): 1,
        ("recherche", "prehistoire"): 1, ("recherche", "coulisses"): 1}
    rows = {line.key: line.count for line in m.objectives}
    assert rows == {"visites": 2, "recherche": 1}
    assert [line.share for line in m.themes] == [100.0, 50.0]


def test_untagged_posts_have_their_own_row_and_column() -> None:
    m = count(docs(post(at(NOV), [], ["coulisses"]), post(at(NOV), ["visites"], []),
                   post(at(NOV))), OBJ, THEMES, month())
    assert m.count(None, "coulisses") == 1
    assert m.count("visites", None) == 1
    assert m.count(None, None) == 1
    assert [line.key for line in m.objectives] == ["visites", "recherche", None]
    assert m.objectives[-1].name == "—" and not m.objectives[-1].in_use
    # no untagged post: no such row
    assert None not in [line.key for line in count(docs(post(at(NOV), ["visites"], ["coulisses"])),
                                                   OBJ, THEMES, month()).objectives]


def test_a_key_listed_twice_counts_once() -> None:
    doubled = post(at(NOV), ["visites", "visites"], ["coulisses"])
    m = count(docs(doubled), OBJ, THEMES, month())
    assert m.count("visites", "coulisses") == 1 and m.objectives[0].count == 1


def test_cancelled_posts_are_not_counted_unless_the_filter_asks() -> None:
    posts = docs(post(at(NOV), ["visites"], ["coulisses"], Status.CANCELLED),
                 post(at(NOV), ["visites"], ["coulisses"], Status.PUBLISHED),
                 post(at(NOV), ["visites"], ["coulisses"], Status.IDEA))
    counts = {group: count(posts, OBJ, THEMES, Selection(month().span, status=group)).total
              for group in ("all", "planned", "published")}
    assert counts == {"all": 2, "planned": 1, "published": 1}
    asked = Selection(month().span, PostQuery(statuses=frozenset({Status.CANCELLED})))
    assert count(posts, OBJ, THEMES, asked).total == 1
    # a filter's status outside the group counts nothing (not everything)
    none = Selection(month().span, PostQuery(statuses=frozenset({Status.IDEA})), "published")
    assert count(posts, OBJ, THEMES, none).total == 0


def test_archived_and_unknown_keys_show_only_where_they_have_posts() -> None:
    archived = [*OBJ, Category("ancien", "Ancien objectif", target_share=30.0, archived=True)]
    m = count(docs(post(at(NOV), ["visites"], ["coulisses"])), archived, THEMES, month())
    assert [line.key for line in m.objectives] == ["visites", "recherche"]
    past = count(docs(post(at(NOV), ["ancien", "fantome"], ["coulisses"])), archived, THEMES,
                 month())
    lines = {line.key: line for line in past.objectives}
    assert lines["ancien"].archived and lines["ancien"].count == 1
    assert lines["fantome"].unknown and lines["fantome"].name == "fantome"
    # neither is a gap: nobody is meant to write for them any more
    gaps = past.gaps()
    assert all("ancien" not in (g.objective, g.theme) for g in gaps)
    assert all("fantome" not in (g.objective, g.theme) for g in gaps)


def test_the_filter_restricts_what_is_counted() -> None:
    posts = docs(post(at(NOV), ["visites"], ["coulisses"], channels=["instagram"]),
                 post(at(NOV), ["visites"], ["coulisses"], channels=["x"]))
    ig = Selection(month().span, PostQuery(channels=frozenset({"instagram"})))
    assert count(posts, OBJ, THEMES, ig).total == 1
    words = Selection(month().span, PostQuery(words=("absent",)))
    assert count(posts, OBJ, THEMES, words).total == 0


@pytest.mark.parametrize(
    ("when", "counted"),
    [(datetime(2026, 11, 1, 0, 0, tzinfo=PARIS), True),  # local midnight opens the month
     (datetime(2026, 10, 31, 23, 59, tzinfo=PARIS), False),  # 22:59 UTC: still October
     (datetime(2026, 11, 30, 23, 59, tzinfo=PARIS), True),
     (datetime(2026, 12, 1, 0, 0, tzinfo=PARIS), False)],
)
def test_month_bounds_are_local_midnights(when: datetime, counted: bool) -> None:
    m = count(docs(post(when.astimezone(UTC), ["visites"], ["coulisses"])), OBJ, THEMES,
              month())
    assert m.total == int(counted)


def test_no_date_no_period() -> None:
    assert count(docs(post(None, ["visites"], ["coulisses"])), OBJ, THEMES, month()).total == 0


@pytest.mark.parametrize(("anchor", "hours"), [(date(2026, 3, 25), 167),
                                              (date(2026, 10, 21), 169),
                                              (date(2026, 11, 18), 168)])
def test_dst_weeks_run_from_monday_midnight_to_monday_midnight(anchor: date,
                                                               hours: int) -> None:
    span = span_of("week", anchor, PARIS)
    assert (span.end - span.start) == timedelta(days=7)  # wall clock, same tzinfo
    assert span.end.astimezone(UTC) - span.start.astimezone(UTC) == timedelta(hours=hours)
    monday = span.start.date()
    sunday_late = at(monday + timedelta(days=6), 23, 30)
    next_monday = at(monday + timedelta(days=7), 0, 30)
    before = at(monday - timedelta(days=1), 23, 30)
    m = count(docs(post(sunday_late, ["visites"], ["coulisses"]),
                   post(next_monday, ["visites"], ["coulisses"]),
                   post(before, ["visites"], ["coulisses"])), OBJ, THEMES, Selection(span))
    assert m.total == 1


def test_bounds_follow_the_users_zone() -> None:
    tokyo = ZoneInfo("Asia/Tokyo")
    # 2026-11-30 20:00 UTC is already 1 December in Tokyo, still 30 November in Paris
    late = datetime(2026, 11, 30, 20, 0, tzinfo=UTC)
    posts = docs(post(late, ["visites"], ["coulisses"]))
    assert count(posts, OBJ, THEMES, month()).total == 1
    assert count(posts, OBJ, THEMES, Selection(span_of("month", NOV, tokyo))).total == 0


@pytest.mark.parametrize(("kind", "months"), [("month", 1.0), ("quarter", 3.0),
                                             ("week", 7 / (365.2425 / 12))])
def test_targets_per_month_are_scaled_to_the_period(kind: str, months: float) -> None:
    span = span_of(kind, NOV, PARIS)
    assert span.months == pytest.approx(months)
    m = count(docs(post(at(NOV), ["recherche"], ["coulisses"])), OBJ, THEMES, Selection(span))
    line = m.objectives[1]
    assert line.expected == pytest.approx(4 * months)
    assert line.difference == pytest.approx(1 - 4 * months)
    assert line.below is (4 * months > 1)


def test_february_is_one_month_and_a_whole_plan_is_counted_in_days() -> None:
    assert span_of("month", date(2027, 2, 10), PARIS).months == 1.0
    posts = docs(post(at(date(2026, 11, 2)), ["visites"], ["coulisses"]),
                 post(at(date(2026, 11, 16), 23, 30), ["visites"], ["coulisses"]),
                 post(at(date(2027, 1, 9)), ["visites"], ["coulisses"], Status.CANCELLED))
    span = span_of("all", NOV, PARIS, posts=posts)
    assert (span.start.date(), span.end.date()) == (date(2026, 11, 2), date(2026, 11, 17))
    assert span.months == pytest.approx(15 / (365.2425 / 12))
    assert count(posts, OBJ, THEMES, Selection(span)).total == 2
    assert shift_anchor("all", NOV, 3) == NOV
    assert shift_anchor("month", date(2027, 1, 31), 1) == date(2027, 2, 28)
    empty = span_of("all", NOV, PARIS, posts=docs())
    assert (empty.start.date(), empty.end.date()) == (NOV, NOV + timedelta(days=1))


def test_shares_compare_with_their_targets() -> None:
    posts = docs(post(at(NOV), ["visites"], ["prehistoire"]),
                 *[post(at(NOV), ["recherche"], ["coulisses"]) for _ in range(3)])
    m = count(posts, OBJ, THEMES, month())
    visites, prehistoire = m.objectives[0], m.themes[0]
    assert (visites.share, visites.expected, visites.difference) == (25.0, 2.0, -25.0)
    assert visites.below
    assert (prehistoire.share, prehistoire.difference, prehistoire.below) == (25.0, 0.0, False)
    assert m.themes[1].difference is None and not m.themes[1].below


def test_a_share_target_wins_over_a_count_per_month() -> None:
    both = [Category("visites", "V", target_share=10.0, target_per_month=100)]
    m = count(docs(post(at(NOV), ["visites"], ["coulisses"])), both, THEMES, month())
    assert m.objectives[0].expected == 0.1 and not m.objectives[0].below


def test_gaps_are_sorted_by_how_far_below_target() -> None:
    objectives = [Category("visites", "V", target_share=50.0),
                  Category("recherche", "R", target_per_month=10),
                  Category("debat", "D")]
    themes = [Category("prehistoire", "P", target_share=80.0), Category("coulisses", "C")]
    posts = docs(*[post(at(NOV), ["visites"], ["coulisses"]) for _ in range(6)],
                 *[post(at(NOV), ["debat"], ["prehistoire"]) for _ in range(4)])
    gaps = count(posts, objectives, themes, month()).gaps()
    # recherche: 10 a month, none written; prehistoire: 80% of 10 posts = 8, 4 written; an
    # empty cell is short of row × column / posts, each at its target or else its count:
    # recherche × prehistoire 10 × 8 / 10, recherche × coulisses 10 × 6 / 10,
    # visites × prehistoire 5 × 8 / 10, debat × coulisses 4 × 6 / 10
    assert [(g.kind, g.objective, g.theme, round(g.shortfall, 6)) for g in gaps] == [
        ("objective", "recherche", None, 10), ("cell", "recherche", "prehistoire", 8),
        ("cell", "recherche", "coulisses", 6), ("theme", None, "prehistoire", 4),
        ("cell", "visites", "prehistoire", 4), ("cell", "debat", "coulisses", 2.4)]
    assert (gaps[0].count, gaps[0].expected) == (0, 10)


def test_free_days_are_the_days_with_no_counted_post_from_today() -> None:
    span = span_of("week", NOV, PARIS)  # 16-22 November
    posts = docs(post(at(date(2026, 11, 17), 23, 59), ["visites"], ["coulisses"]),
                 post(at(date(2026, 11, 19), 0, 0), ["visites"], ["coulisses"]),
                 post(at(date(2026, 11, 20)), ["visites"], ["coulisses"], Status.CANCELLED))
    m = count(posts, OBJ, THEMES, Selection(span), today=date(2026, 11, 17))
    assert m.free_days == (date(2026, 11, 18), date(2026, 11, 20), date(2026, 11, 21),
                           date(2026, 11, 22))
    assert all(g.free_days == m.free_days for g in m.gaps())
    assert len(count(posts, OBJ, THEMES, Selection(span)).free_days) == 5


def test_an_empty_period_has_no_posts_and_per_month_targets_unmet() -> None:
    m = count(docs(), OBJ, THEMES, month())
    assert m.total == 0 and all(line.share == 0 for line in m.objectives)
    gaps = m.gaps()
    assert (gaps[0].objective, gaps[0].shortfall) == ("recherche", 4)
    assert len([g for g in gaps if g.kind == "cell"]) == 4


def stored(path: Path) -> Store:
    """A store at ``path`` with the objectives and themes of these tests."""
    store = Store(path)
    for cat in OBJ:
        store.add_objective(cat)
    for cat in THEMES:
        store.add_theme(cat)
    return store


def test_a_stored_plan_counts_the_same_and_opens_its_cells(tmp_path: Path) -> None:
    store = stored(tmp_path / "plan.json")
    a, b, _ = store.add_posts([post(at(NOV), ["visites"], ["coulisses"]),
                               post(at(NOV, 9), ["visites"], []),
                               post(at(NOV), ["visites"], ["coulisses"], Status.CANCELLED)])
    selection = month()
    m = count_store(store, selection)
    assert (m.count("visites", "coulisses"), m.count("visites", None)) == (1, 1)
    assert [p.id for p in cell_posts(store, selection, "visites", "coulisses")] == [a.id]
    assert [p.id for p in cell_posts(store, selection, "visites", None)] == [b.id]
    assert cell_posts(store, selection, "recherche", "coulisses") == []


def test_span_labels() -> None:
    assert span_of("month", NOV, PARIS).label(locale="en") == "November 2026"
    assert span_of("quarter", NOV, PARIS).label(locale="fr") == "T4 2026"
    whole = Span("all", datetime(2026, 1, 5, tzinfo=PARIS), datetime(2026, 3, 1, tzinfo=PARIS))
    assert whole.label() == "2026-01-05 – 2026-02-28"


def test_text_bars_signs_and_abbreviations() -> None:
    assert bar(0.5, 4) == "██  "
    assert bar(0.53, 4) == "██▏ "  # 17 eighths of a cell
    assert bar(1.7, 3) == "███" and bar(0, 3) == "   "
    assert abbreviations(["recherche", "restitutions", "recit", None], 3) == {
        "recherche": "rec", "restitutions": "res", "recit": "re2", None: "—"}
    on = Line("v", "V", 1, 25.0, target_share=25.0, expected=1.0)
    below = Line("v", "V", 1, 20.0, target_share=25.0, expected=1.25)
    counted = Line("r", "R", 9, 30.0, target_per_month=12, expected=12.0)
    assert [difference_text(line) for line in (on, below, counted)] == [
        "= 0 pts", "▼ -5 pts", "▼ -3"]
    assert [versus(line) for line in (on, counted)] == ["25% / 25%", "30% · 9 / 12"]
    assert fit("Exposition « Parures » 🧶", 12) == "Exposition …"
    assert fit("🧶🧶🧶", 5) == "🧶🧶…" and fit("ab", 4) == "ab  "


def counts(m: Matrix) -> tuple[int, dict[tuple[Key, Key], int], tuple[date, ...]]:
    """What a matrix says, to compare two counts."""
    return m.total, {k: v for k, v in m.cells.items() if v}, m.free_days


def test_a_stores_rows_follow_its_writes_and_count_as_built_anew(tmp_path: Path) -> None:
    store = stored(tmp_path / "plan.json")
    a, b, c = store.add_posts([post(at(NOV), ["visites"], ["coulisses"]),
                               post(at(NOV, 11), ["recherche"], ["prehistoire"]),
                               post(None, ["visites"], ["prehistoire"])])

    def both() -> tuple[Matrix, Matrix]:
        plan = posts_of(store)
        kept = count(plan, OBJ, THEMES, Selection(span_of("all", NOV, PARIS, posts=plan)))
        fresh = Posts(store.post_documents())
        return kept, count(fresh, OBJ, THEMES, Selection(span_of("all", NOV, PARIS, posts=fresh)))

    kept, fresh = both()
    assert counts(kept) == counts(fresh) and kept.total == 2
    later = at(NOV + timedelta(days=3))
    store.update_post(replace(a, scheduled=later, objectives=["recherche", "visites"]))
    store.update_post(replace(c, scheduled=at(NOV, 9), status=Status.CANCELLED))
    store.add_post(post(at(NOV), [], ["coulisses"], Status.PUBLISHED))
    store.replace_post(store.get_post(cast(int, b.id)), None)
    kept, fresh = both()
    assert counts(kept) == counts(fresh)
    assert (kept.total, kept.count("recherche", "coulisses"), kept.count(None, "coulisses")) == (
        2, 1, 1)
    assert kept.selection.span.end.date() == NOV + timedelta(days=4)  # the plan grew


def test_a_count_before_the_rows_are_built_reads_its_period_alone_and_agrees(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """``planterm matrix`` counts once: a month of 20,000 posts from that month's posts,
    found through the store's index, not from rows of every post built first."""
    store = stored(tmp_path / "plan.json")
    rng = random.Random(5)
    store.add_posts([post(at(NOV + timedelta(days=rng.randrange(-70, 70)), rng.randrange(24)),
                          rng.sample(["visites", "recherche"], rng.randint(0, 2)),
                          rng.sample(["prehistoire", "coulisses"], rng.randint(0, 2)),
                          rng.choice(list(Status)), rng.sample(["instagram", "facebook"], 1))
                     for _ in range(120)] + [post(None, ["visites"], ["coulisses"])])
    asked: list[tuple[object, ...]] = []
    read = Store.post_documents
    monkeypatch.setattr(Store, "post_documents",
                        lambda self, *bounds: asked.append(bounds) or read(self, *bounds))
    selections = [month(), month(NOV - timedelta(days=40)), Selection(span_of("week", NOV, PARIS)),
                  Selection(span_of("quarter", NOV, PARIS), status="planned"),
                  Selection(month().span, PostQuery(channels=frozenset({"instagram"}))),
                  Selection(month().span, PostQuery(statuses=frozenset({Status.CANCELLED})))]
    alone = [count_store(store, s, NOV) for s in selections]
    assert asked == [(s.span.start, s.span.end) for s in selections]  # no post outside
    posts_of(store)  # the rows of every post, as the planner builds them at a pause
    assert [counts(m) for m in alone] == [counts(count_store(store, s, NOV)) for s in selections]
    assert all(m.total for m in alone) and asked[-1] == ()  # the rows read every post


def test_another_process_write_shows_at_the_next_count(tmp_path: Path) -> None:
    path = tmp_path / "plan.json"
    store = stored(path)
    store.add_posts([post(at(NOV), ["visites"], ["coulisses"])])
    assert count_store(store, month()).total == 1
    other = Store(path)
    added = other.add_post(post(at(NOV, 12), ["recherche"], ["coulisses"]))  # a journal record
    assert store.refresh()
    m = count_store(store, month())
    assert (m.total, m.count("recherche", "coulisses")) == (2, 1)
    other.replace_post(added, replace(added, themes=["prehistoire"]))
    other.compact()  # a new main file: read anew whole
    assert store.refresh()
    m = count_store(store, month())
    assert (m.total, m.count("recherche", "coulisses"), m.count("recherche", "prehistoire")) == (
        2, 0, 1)
    other.close()


def test_rows_kept_through_other_processes_compactions_count_as_built_anew(
        tmp_path: Path) -> None:
    """Each command's write makes a new main file: the planner reads it again and is told
    the posts it changed, its rows brought up to date rather than built again."""
    path = tmp_path / "plan.json"
    store = stored(path)
    rng = random.Random(11)
    store.add_posts([post(at(NOV + timedelta(days=rng.randrange(-40, 40))),
                          rng.sample(["visites", "recherche"], rng.randint(0, 2)),
                          rng.sample(["prehistoire", "coulisses"], rng.randint(0, 2)))
                     for _ in range(60)])
    kept = posts_of(store)
    other = Store(path)
    for step in range(12):
        other.refresh()
        target = rng.choice(other.posts())
        if step % 4 == 3:
            other.replace_post(target, None)
        else:
            other.update_post(replace(target, scheduled=at(NOV, 8 + step),
                                      themes=rng.sample(["prehistoire", "coulisses"], 1)))
        other.compact()
        assert store.refresh()
        assert posts_of(store) is kept  # not built again
        plan = Selection(span_of("all", NOV, PARIS, posts=kept))
        fresh = Posts(store.post_documents())
        assert sorted((w, s, i) for w, s, _, i in kept.rows) == sorted(
            (w, s, i) for w, s, _, i in fresh.rows)
        assert counts(count(kept, OBJ, THEMES, plan)) == counts(count(fresh, OBJ, THEMES, plan))
    other.close()


def test_tags_listed_in_another_order_count_alike() -> None:
    posts = docs(post(at(NOV), ["visites", "recherche"], ["coulisses", "prehistoire"]),
                 post(at(NOV), ["recherche", "visites"], ["prehistoire", "coulisses"]))
    m = count(posts, OBJ, THEMES, month())
    assert {k: v for k, v in m.cells.items() if v} == {
        (o, t): 2 for o in ("visites", "recherche") for t in ("coulisses", "prehistoire")}
    assert len(posts.combinations) == 1  # counted once, times its two posts


def test_unknown_keys_come_in_key_order_whatever_order_posts_were_written_in() -> None:
    written = [post(at(NOV), ["zeta"], ["coulisses"]), post(at(NOV, 9), ["alpha"], ["coulisses"])]
    for posts in (docs(*written), docs(*reversed(written))):
        keys = [line.key for line in count(posts, OBJ, THEMES, month()).objectives]
        assert keys == ["visites", "recherche", "alpha", "zeta"]
