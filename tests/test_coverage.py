"""Coverage templates, generating an event's coverage, its state, and the events listing:
the core that ``planterm coverage``, ``planterm events`` and the events pane share."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, time, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from planterm.config import Settings
from planterm.coverage import (
    create,
    occurrence_starts,
    parse_slot_id,
    plan,
    slot_time,
    state,
    tie,
)
from planterm.events import (
    EventChange,
    apply,
    cancel_event,
    edit_event,
    listing,
    moved_post,
    posts_to_move,
    set_event_field,
    undo,
)
from planterm.model import Category, Event, EventKind, ModelError, Post, Status
from planterm.store import SCHEMA, ChangedElsewhere, Store
from planterm.templates import (
    Template,
    TemplateError,
    Templates,
    load_templates,
    read_file,
    user_file,
)

PARIS = ZoneInfo("Europe/Paris")
SETTINGS = Settings()


def paris(*args: int) -> datetime:
    """A Paris wall-clock time, as aware UTC."""
    return datetime(*args, tzinfo=PARIS).astimezone(UTC)  # type: ignore[misc]


def local(when: datetime) -> str:
    return when.astimezone(PARIS).strftime("%Y-%m-%d %H:%M %Z")


TEMPLATE = """
[soiree]
name = "Soirée"
kinds = ["talk"]

[[soiree.slots]]
key = "teaser"
day = -7
time = "10:00"
title = "J-7 – {title}"
body = "{title} : {date} à {time}, {place}. {hashtag}"

[[soiree.slots]]
key = "sameclock"
day = -7
title = "Même heure – {title}"

[[soiree.slots]]
key = "live"
day = 0
hours = 0
live = true
title = "En direct – {title}"

[[soiree.slots]]
key = "recap"
day = 1
time = "11:00"
from = "end"
channels = ["ig", "x"]
title = "Retour – {title}"
"""


@pytest.fixture
def templates(tmp_path: Path) -> Templates:
    path = tmp_path / "coverage.toml"
    path.write_text(TEMPLATE)
    loaded = load_templates(user=path)
    assert loaded.warnings == ()
    return loaded


@pytest.fixture
def template(templates: Templates) -> Template:
    return templates.find("soiree")


@pytest.fixture
def store(tmp_path: Path) -> Store:
    s = Store(tmp_path / "plan.json")
    s.add_objective(Category("visites", "Faire venir"))
    s.add_theme(Category("expo", "Exposition"))
    return s


def add_event(store: Store, start: datetime, **kw: object) -> Event:
    fields: dict[str, object] = {
        "title": "Rencontre", "start": start, "end": start + timedelta(hours=2),
        "kind": EventKind.TALK, "place": "Auditorium", "hashtag": "#Rencontres",
        "channels": ["instagram", "facebook"], "objectives": ["visites"], "themes": ["expo"]}
    fields.update(kw)
    return store.add_event(Event(**fields))  # type: ignore[arg-type]


def event_posts(store: Store, event: Event) -> list[Post]:
    return [p for p in store.posts() if p.event == event.id]


# --- offsets and DST --------------------------------------------------------------------


@pytest.mark.parametrize(("start", "expected"), [
    # clocks go forward on Sunday 29 March 2026: a week before is winter time
    (paris(2026, 3, 31, 18, 30), {
        "teaser": "2026-03-24 10:00 CET", "sameclock": "2026-03-24 18:30 CET",
        "live": "2026-03-31 18:30 CEST", "recap": "2026-04-01 11:00 CEST"}),
    # clocks go back on Sunday 25 October 2026: a week before is summer time
    (paris(2026, 10, 27, 18, 30), {
        "teaser": "2026-10-20 10:00 CEST", "sameclock": "2026-10-20 18:30 CEST",
        "live": "2026-10-27 18:30 CET", "recap": "2026-10-28 11:00 CET"}),
])
def test_offsets_keep_the_local_wall_clock_across_both_dst_changes(
        template: Template, start: datetime, expected: dict[str, str]) -> None:
    event = Event(title="Rencontre", start=start, end=start + timedelta(hours=2), id=1)
    planned = plan(event, [start], template, [], paris(2026, 1, 1), SETTINGS)
    assert {p.slot.key: local(p.when) for p in planned} == expected


def test_a_time_the_clocks_skip_moves_forward_by_the_gap(template: Template) -> None:
    slot = replace(template.slots[0], day=0)  # 10:00 -> 02:30 on the night of the change
    at_gap = replace(slot, at=time(2, 30))
    start = paris(2026, 3, 29, 18, 0)
    assert local(slot_time(at_gap, start, start, SETTINGS)) == "2026-03-29 03:30 CEST"


def test_from_end_counts_from_the_last_day_of_a_long_event(template: Template) -> None:
    start = paris(2026, 9, 19, 10, 0)
    event = Event(title="JEP", start=start, end=start + timedelta(hours=33), id=1)
    recap = next(p for p in plan(event, [start], template, [], paris(2026, 1, 1), SETTINGS)
                 if p.slot.key == "recap")
    assert local(recap.when) == "2026-09-21 11:00 CEST"  # the day after Sunday, not Saturday


# --- generating -----------------------------------------------------------------------


def test_generated_posts_are_drafts_tagged_with_the_event_and_their_slot(
        store: Store, template: Template) -> None:
    event = add_event(store, paris(2026, 12, 3, 18, 30))
    planned = plan(event, [event.start], template, [], paris(2026, 11, 1), SETTINGS)
    made = create(store, event, planned)
    assert len(made) == 4 and all(p.id is not None for p in made)
    teaser = next(p for p in made if p.slot.startswith("soiree/teaser"))
    assert teaser.status is Status.DRAFT and teaser.event == event.id
    assert (teaser.objectives, teaser.themes, teaser.hashtags) == (["visites"], ["expo"],
                                                                   ["#Rencontres"])
    assert teaser.slot == "soiree/teaser@2026-12-03"
    assert teaser.title == "J-7 – Rencontre"
    assert teaser.body == "Rencontre : jeu 3 décembre à 18:30, Auditorium. #Rencontres"
    assert teaser.channels == ["instagram", "facebook"]  # the event's, the slot naming none
    recap = next(p for p in made if p.slot.startswith("soiree/recap"))
    assert recap.channels == ["instagram"]  # the slot's, kept to the event's
    assert store.get_post(teaser.id or 0) == teaser


def test_running_it_again_creates_nothing(store: Store, template: Template) -> None:
    event = add_event(store, paris(2026, 12, 3, 18, 30))
    now = paris(2026, 11, 1)
    create(store, event, plan(event, [event.start], template, [], now, SETTINGS))
    before = store.posts()
    again = plan(event, [event.start], template, event_posts(store, event), now, SETTINGS)
    assert [p.creates for p in again] == [False] * 4
    assert all(p.reason().startswith("already there: post ") for p in again)
    assert create(store, event, again) == []
    assert store.posts() == before


def test_a_plan_made_before_another_run_creates_nothing_the_second_time(
        store: Store, template: Template) -> None:
    """Two planners generating at once: the slots are checked again under the lock."""
    event = add_event(store, paris(2026, 12, 3, 18, 30))
    stale = plan(event, [event.start], template, [], paris(2026, 11, 1), SETTINGS)
    assert len(create(store, event, stale)) == 4
    assert create(store, event, stale) == []
    assert len(event_posts(store, event)) == 4


def test_a_partial_rerun_makes_only_the_missing_slot(store: Store, template: Template) -> None:
    event = add_event(store, paris(2026, 12, 3, 18, 30))
    now = paris(2026, 11, 1)
    made = create(store, event, plan(event, [event.start], template, [], now, SETTINGS))
    gone = next(p for p in made if "teaser" in p.slot)
    declined = next(p for p in made if "recap" in p.slot)
    store.replace_post(gone, None)
    store.replace_post(declined, replace(declined, status=Status.CANCELLED))
    again = plan(event, [event.start], template, event_posts(store, event), now, SETTINGS)
    assert [p.slot.key for p in again if p.creates] == ["teaser"]
    assert next(p for p in again if p.slot.key == "recap").reason() == \
        f"already there: post {declined.id}, cancelled"  # the user said no to it
    (remade,) = create(store, event, again)
    assert remade.slot == gone.slot and remade.id != gone.id


def test_slots_already_past_are_skipped_and_said_so(store: Store, template: Template) -> None:
    event = add_event(store, paris(2026, 12, 3, 18, 30))
    now = paris(2026, 12, 1, 9, 0)  # after the teaser (26/11), before the event
    planned = plan(event, [event.start], template, [], now, SETTINGS)
    assert {p.slot.key: p.reason() for p in planned} == {
        "teaser": "in the past", "sameclock": "in the past", "live": "", "recap": ""}
    assert [p.slot for p in create(store, event, planned)] == [
        "soiree/live@2026-12-03", "soiree/recap@2026-12-03"]


def test_a_cancelled_event_gets_no_coverage(store: Store, template: Template) -> None:
    event = add_event(store, paris(2026, 12, 3, 18, 30), cancelled=True)
    planned = plan(event, [event.start], template, [], paris(2026, 11, 1), SETTINGS)
    with pytest.raises(ModelError, match="cancelled"):
        create(store, event, planned)
    assert store.posts() == []


def test_a_repeating_event_gets_coverage_per_occurrence_without_its_exceptions(
        store: Store, template: Template) -> None:
    first = paris(2026, 10, 13, 18, 30)  # Tuesdays, across the October change
    event = add_event(store, first, rrule="FREQ=WEEKLY;BYDAY=TU;COUNT=4",
                      exdates=[paris(2026, 10, 20, 18, 30)])
    now = paris(2026, 9, 1)
    one = plan(event, [paris(2026, 10, 27, 18, 30)], template, [], now, SETTINGS)
    create(store, event, one)
    starts = [paris(2026, 10, 13, 18, 30), paris(2026, 10, 27, 18, 30),
              paris(2026, 11, 3, 18, 30)]
    assert occurrence_starts(event, paris(2026, 10, 1), paris(2026, 12, 1), SETTINGS) == starts
    planned = plan(event, starts, template, event_posts(store, event), now, SETTINGS)
    made = create(store, event, planned)
    assert sorted({parse_slot_id(p.slot)[1].isoformat() for p in made}) == [  # type: ignore[index]
        "2026-10-13", "2026-11-03"]
    assert len(made) == 8
    live = [p for p in store.posts() if "live" in p.slot]
    assert [local(p.scheduled) for p in live if p.scheduled] == [
        "2026-10-13 18:30 CEST", "2026-10-27 18:30 CET", "2026-11-03 18:30 CET"]
    tied = tie(event, event_posts(store, event), SETTINGS)
    assert sorted(local(s) for s in tied) == [local(s) for s in starts]
    assert all(len(posts) == 4 for posts in tied.values())


def test_a_post_written_by_hand_covers_the_nearest_occurrence(store: Store) -> None:
    event = add_event(store, paris(2026, 10, 6, 18, 30), rrule="FREQ=WEEKLY;COUNT=5")
    posts = [store.add_post(Post(title=f"p{d}", event=event.id, scheduled=paris(2026, 10, d, 12)))
             for d in (7, 12)]  # a recap the next day; a reminder the day before the next
    tied = tie(event, posts, SETTINGS)
    assert {local(s): [p.title for p in ps] for s, ps in tied.items()} == {
        "2026-10-06 18:30 CEST": ["p7"], "2026-10-13 18:30 CEST": ["p12"]}


# --- templates ----------------------------------------------------------------------------


def test_the_bundled_templates_cover_every_kind() -> None:
    loaded = load_templates(user=Path("/nonexistent/coverage.toml"))
    assert set(loaded.defaults) == set(EventKind)
    opening = loaded.for_event("", EventKind.OPENING)
    assert [s.key for s in opening.slots] == [
        "announce", "teaser", "reminder", "live", "recap", "thanks"]
    assert [s.label for s in opening.slots] == ["D-14", "D-7", "D-1", "D", "D+1", "D+7"]
    assert loaded.find("Vernissage") is opening  # by name too, accents and case aside


def slot_toml(**fields: str) -> str:
    base = {"key": '"teaser"', "day": "-7", "title": '"J-7 {title}"'}
    base.update(fields)
    lines = [f"{k} = {v}" for k, v in base.items() if v != "DROP"]
    return '[t]\nkinds = ["talk"]\n[[t.slots]]\n' + "\n".join(lines) + "\n"


@pytest.mark.parametrize(("text", "where", "reason"), [
    ("[t\n", None, "not valid TOML"),
    ('[T]\nkinds = []\n', "template 'T'", "a template key is lower-case"),
    ('[t]\ncolour = "red"\n', "template 't', colour", "unknown field"),
    ('[t]\nkinds = ["party"]\n[[t.slots]]\nkey="a"\nday=1\ntitle="x"\n',
     "template 't', kinds", "must be a list of event kinds"),
    ('[t]\nkinds = ["talk"]\n', "template 't', slots", "missing"),
    (slot_toml(day="DROP"), "template 't', slot 'teaser', day", "missing"),
    (slot_toml(day='"-7"'), "template 't', slot 'teaser', day", "whole number of days"),
    (slot_toml(time='"25:00"'), "template 't', slot 'teaser', time", "time of day"),
    (slot_toml(time='"10:00"', hours="1"), "template 't', slot 'teaser', hours", "not both"),
    (slot_toml(hours='"two"'), "template 't', slot 'teaser', hours", "number of hours"),
    (slot_toml(channels='["myspace"]'), "template 't', slot 'teaser', channels",
     "unknown channel 'myspace'"),
    (slot_toml(title='"J-7 {titre}"'), "template 't', slot 'teaser', title",
     "{titre} is not a field of the event"),
    (slot_toml(body='"{title.__class__}"'), "template 't', slot 'teaser', body",
     "is not a field of the event"),
    (slot_toml(body='"{title"'), "template 't', slot 'teaser', body", "expected '}'"),
    (slot_toml(title='"  "'), "template 't', slot 'teaser', title", "must not be empty"),
    (slot_toml(key='"Teaser!"'), "template 't', slot 'Teaser!', key", "lower-case letters"),
    (slot_toml(**{"from": '"middle"'}), "template 't', slot 'teaser', from",
     'must be "start" or "end"'),
    (slot_toml(live='"yes"'), "template 't', slot 'teaser', live", "true or false"),
    (slot_toml(colour='"red"'), "template 't', slot 'teaser', colour", "unknown field"),
    (slot_toml() + '[[t.slots]]\nkey = "teaser"\nday = 1\ntitle = "x"\n',
     "template 't', slots", "'teaser' is used twice"),
    (slot_toml() + '[u]\nkinds = ["talk"]\n[[u.slots]]\nkey = "a"\nday = 1\ntitle = "x"\n',
     "template 'u', kinds", "talk is already the default of 't'"),
])
def test_a_bad_template_file_is_refused_naming_file_template_field_and_reason(
        tmp_path: Path, text: str, where: str | None, reason: str) -> None:
    path = tmp_path / "coverage.toml"
    path.write_text(text)
    with pytest.raises(TemplateError) as caught:
        read_file(path)
    message = str(caught.value)
    assert message.startswith(f"{path}: {where}: " if where else f"{path}: "), message
    assert reason in message


def test_a_bad_user_template_is_left_out_with_a_warning_the_rest_work(tmp_path: Path) -> None:
    path = user_file()
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(TEMPLATE + '[broken]\nkinds = ["tour"]\n')
    loaded = load_templates()
    assert loaded.warnings == (
        f"{path}: template 'broken', slots: missing: a template needs at least one "
        "[[broken.slots]]; template left out",)
    assert loaded.for_event("", EventKind.TOUR).key == "tour"  # the bundled one
    assert loaded.for_event("", EventKind.TALK).key == "soiree"  # the user's, valid
    path.write_text("[oops\n")
    loaded = load_templates()
    assert len(loaded.warnings) == 1 and "not valid TOML" in loaded.warnings[0]
    assert loaded.warnings[0].endswith("the bundled templates are used")
    assert set(loaded.defaults) == set(EventKind)


def test_a_user_template_replaces_the_bundled_one_of_the_same_key(tmp_path: Path) -> None:
    path = tmp_path / "coverage.toml"
    path.write_text('[talk]\nname = "Ma conférence"\n[[talk.slots]]\nkey = "only"\nday = -2\n'
                    'title = "Bientôt : {title}"\n')
    loaded = load_templates(user=path)
    talk = loaded.find("talk")
    assert (talk.name, [s.key for s in talk.slots], talk.path) == ("Ma conférence", ["only"], path)
    # it names no kinds, so the talk kind has no default any more: nothing is guessed
    with pytest.raises(ModelError, match="no coverage template for the kind talk"):
        loaded.for_event("", EventKind.TALK)
    with pytest.raises(ModelError, match="unknown coverage template 'nope'; known: opening"):
        loaded.find("nope")


# --- state --------------------------------------------------------------------------------


def test_coverage_state_counts_each_stage(store: Store, template: Template) -> None:
    event = add_event(store, paris(2026, 12, 3, 18, 30))
    now = paris(2026, 11, 1)
    made = {p.slot.split("/")[1].split("@")[0]: p
            for p in create(store, event, plan(event, [event.start], template, [], now,
                                               SETTINGS))}
    store.replace_post(made["teaser"], replace(made["teaser"], status=Status.PUBLISHED,
                                               body="x", link="https://x"))
    store.replace_post(made["sameclock"], replace(made["sameclock"], status=Status.APPROVED,
                                                  body="x"))
    store.replace_post(made["recap"], replace(made["recap"], status=Status.CANCELLED))
    store.add_post(Post(title="En direct 1", event=event.id, live=True, status=Status.PUBLISHED,
                        scheduled=event.start + timedelta(minutes=20), body="y"))
    store.add_post(Post(title="Écrit à la main", event=event.id, status=Status.REVIEW,
                        scheduled=paris(2026, 12, 2, 9)))
    posts = event_posts(store, event)
    got = state(event, event.start, template, posts, now, SETTINGS)
    assert got.counts() == {"slots": 4, "filled": 3, "planned": 5, "written": 4,
                            "approved": 3, "published": 2, "live": 1}
    assert got.mark == "●●●○ 3/4"
    # the recap was cancelled, not missing: the next step is the first post left to write
    assert got.next_step == f"write post {made['live'].id} (jeu 03/12 18:30)"
    store.replace_post(store.get_post(made["recap"].id or 0), None)
    got = state(event, event.start, template, event_posts(store, event), now, SETTINGS)
    assert got.next_step == "recap (end+1, ven 04/12 11:00) not planned: generate the coverage"


def test_a_post_logged_live_fills_the_live_block(store: Store, template: Template) -> None:
    event = add_event(store, paris(2026, 12, 3, 18, 30))
    logged = store.add_post(Post(title="C'est parti", event=event.id, live=True,
                                 status=Status.PUBLISHED, scheduled=paris(2026, 12, 3, 18, 45)))
    planned = plan(event, [event.start], template, [logged], paris(2026, 12, 3, 19), SETTINGS)
    live = next(p for p in planned if p.slot.key == "live")
    assert (live.creates, live.reason()) == (False, f"logged live: post {logged.id}")


def test_without_a_template_the_mark_counts_posts(store: Store) -> None:
    event = add_event(store, paris(2026, 12, 3, 18, 30))
    got = state(event, event.start, None, [], paris(2026, 11, 1), SETTINGS)
    assert (got.mark, got.slots, got.next_step) == ("0 posts", 0,
                                                    "no coverage template for this event")


# --- listing ------------------------------------------------------------------------------


def test_an_event_of_today_is_upcoming_until_the_day_is_over(
        store: Store, templates: Templates) -> None:
    morning = add_event(store, paris(2026, 12, 3, 8, 0), title="Ce matin")
    add_event(store, paris(2026, 12, 2, 18, 0), title="Hier")
    evening = paris(2026, 12, 3, 23, 30)
    upcoming = listing(store, SETTINGS, templates, evening)
    assert [i.occurrence.event.title for i in upcoming] == ["Ce matin"]
    assert upcoming[0].template is not None and upcoming[0].template.key == "soiree"
    past = listing(store, SETTINGS, templates, evening, past=True)
    assert [i.occurrence.event.title for i in past] == ["Hier"]
    after = listing(store, SETTINGS, templates, paris(2026, 12, 4, 0, 0))
    assert after == [] and morning.id is not None


def test_the_listing_gives_each_occurrence_its_own_coverage(
        store: Store, templates: Templates, template: Template) -> None:
    event = add_event(store, paris(2026, 12, 1, 18, 30), rrule="FREQ=WEEKLY;COUNT=4",
                      exdates=[paris(2026, 12, 15, 18, 30)])
    now = paris(2026, 11, 1)
    create(store, event, plan(event, [paris(2026, 12, 8, 18, 30)], template, [], now, SETTINGS))
    items = listing(store, SETTINGS, templates, now)
    assert [(local(i.occurrence.start), i.state.mark) for i in items] == [
        ("2026-12-01 18:30 CET", "○○○○ 0/4"), ("2026-12-08 18:30 CET", "●●●● 4/4"),
        ("2026-12-22 18:30 CET", "○○○○ 0/4")]
    assert [len(i.posts) for i in items] == [0, 4, 0]
    newest_first = listing(store, SETTINGS, templates, paris(2027, 1, 1), past=True)
    assert [local(i.occurrence.start) for i in newest_first] == [
        "2026-12-22 18:30 CET", "2026-12-08 18:30 CET", "2026-12-01 18:30 CET"]
    window = listing(store, SETTINGS, templates, now, start=paris(2026, 12, 5),
                     end=paris(2026, 12, 20))
    assert [local(i.occurrence.start) for i in window] == ["2026-12-08 18:30 CET"]


# --- editing ------------------------------------------------------------------------------


@pytest.mark.parametrize(("name", "value", "field", "problem"), [
    ("title", "  ", "title", "must not be empty"),
    ("on", "demain 25h", "on", "is not a time of day"),
    ("kind", "party", "kind", "unknown kind 'party'"),
    ("hashtag", "deux mots", "hashtag", "more than one word"),
    ("channels", "myspace", "channels", "unknown channel 'myspace'"),
    ("objectives", "astrologie", "objectives", "unknown objective 'astrologie'"),
    ("template", "nope", "template", "unknown coverage template 'nope'"),
    ("rrule", "FREQ=SOMETIMES", "rrule", "Bad repeat rule"),
    ("colour", "red", "colour", "unknown field; fields: title, on, end"),
])
def test_event_fields_are_refused_with_the_field_named(
        store: Store, templates: Templates, name: str, value: str, field: str,
        problem: str) -> None:
    event = add_event(store, paris(2026, 12, 3, 18, 30))
    with pytest.raises(ModelError) as caught:
        set_event_field(store, event, name, value, now=paris(2026, 11, 1), tz=PARIS,
                        templates=templates)
    assert caught.value.field == field and problem in caught.value.problem


def test_an_end_before_the_start_and_a_stray_exception_are_refused(
        store: Store, templates: Templates) -> None:
    event = add_event(store, paris(2026, 12, 3, 18, 30))
    now = paris(2026, 11, 1)
    ended = set_event_field(store, event, "end", "2026-12-03T17:00", now=now, tz=PARIS,
                            templates=templates)
    with pytest.raises(ModelError, match="must be after the start"):
        edit_event(store, event, ended, SETTINGS, move_posts=False, now=now)
    weekly = set_event_field(store, event, "rrule", "freq=weekly;count=3", now=now, tz=PARIS,
                             templates=templates)
    stray = set_event_field(store, weekly, "exdates", "2026-12-11", now=now, tz=PARIS,
                            templates=templates)
    with pytest.raises(ModelError, match="2026-12-11 18:30 is not an occurrence"):
        edit_event(store, event, stray, SETTINGS, move_posts=False, now=now)
    kept = set_event_field(store, weekly, "exdates", "2026-12-10", now=now, tz=PARIS,
                           templates=templates)
    change = edit_event(store, event, kept, SETTINGS, move_posts=False, now=now)
    assert store.get_event(event.id or 0) == change.after
    assert change.after.exdates == [paris(2026, 12, 10, 18, 30)]


def test_a_new_date_moves_the_unpublished_posts_by_as_much_and_undo_puts_them_back(
        store: Store, templates: Templates, template: Template) -> None:
    event = add_event(store, paris(2026, 10, 22, 18, 30))  # before the October change
    now = paris(2026, 10, 1)
    made = create(store, event, plan(event, [event.start], template, [], now, SETTINGS))
    out = next(p for p in made if "teaser" in p.slot)
    store.replace_post(out, replace(out, status=Status.PUBLISHED, link="https://x"))
    later = set_event_field(store, event, "on", "2026-10-29", now=now, tz=PARIS,
                            templates=templates)
    assert local(later.start) == "2026-10-29 18:30 CET"  # its own time kept
    assert later.end == later.start + timedelta(hours=2)  # the end moved with it
    follow = posts_to_move(store, event)
    assert len(follow) == 3 and out.id not in {p.id for p in follow}
    before = store.posts()
    change = edit_event(store, event, later, SETTINGS, move_posts=True, now=now)
    moved = {p.slot: local(p.scheduled) for _, p in change.posts if p.scheduled}
    assert moved == {"soiree/sameclock@2026-10-29": "2026-10-22 18:30 CEST",
                     "soiree/live@2026-10-29": "2026-10-29 18:30 CET",
                     "soiree/recap@2026-10-29": "2026-10-30 11:00 CET"}
    # rerun: the moved posts are the new date's, and the published teaser, which stayed
    # where it went out, still fills its slot
    again = plan(later, [later.start], template, event_posts(store, later), now, SETTINGS)
    assert [p.slot.key for p in again if p.creates] == []
    undo(store, change)
    assert store.posts() == before and store.get_event(event.id or 0) == event


def test_a_change_made_elsewhere_meanwhile_is_refused_whole(
        store: Store, templates: Templates, template: Template) -> None:
    event = add_event(store, paris(2026, 12, 3, 18, 30))
    now = paris(2026, 11, 1)
    made = create(store, event, plan(event, [event.start], template, [], now, SETTINGS))
    later = set_event_field(store, event, "on", "2026-12-10", now=now, tz=PARIS,
                            templates=templates)
    carried = tuple((p, moved_post(p, timedelta(days=7), event, PARIS, now))
                    for p in posts_to_move(store, event))  # read, then offered to the user
    store.replace_post(made[-1], replace(made[-1], title="changé ailleurs"))
    before = (store.posts(), store.events())
    with pytest.raises(ChangedElsewhere, match=f"post {made[-1].id} was changed elsewhere"):
        apply(store, EventChange(event, later, carried))
    assert (store.posts(), store.events()) == before
    store.replace_event(event, replace(event, place="ailleurs"))
    with pytest.raises(ChangedElsewhere, match=f"event {event.id} was changed elsewhere"):
        apply(store, EventChange(event, later, ()))


def test_cancelling_an_event_cancels_its_unpublished_posts(
        store: Store, template: Template) -> None:
    event = add_event(store, paris(2026, 12, 3, 18, 30))
    now = paris(2026, 11, 1)
    made = create(store, event, plan(event, [event.start], template, [], now, SETTINGS))
    store.replace_post(made[0], replace(made[0], status=Status.PUBLISHED, link="https://x"))
    change = cancel_event(store, event, now)
    assert change.after.cancelled and len(change.posts) == 3
    statuses = sorted(p.status.value for p in event_posts(store, event))
    assert statuses == ["cancelled", "cancelled", "cancelled", "published"]
    with pytest.raises(ModelError, match="already cancelled"):
        cancel_event(store, change.after, now)
    undo(store, change)
    assert not (store.get_event(event.id or 0) or event).cancelled
    assert sorted(p.status.value for p in event_posts(store, event)) == [
        "draft", "draft", "draft", "published"]


def test_a_store_of_version_2_opens_its_old_coverage_offsets_dropped(tmp_path: Path) -> None:
    """Posts without a slot and events with the offsets templates replaced still open;
    the migration keeps a backup, and plain TinyDB reads the result."""
    import json

    from tinydb import TinyDB

    path = tmp_path / "plan.json"
    event = {"uid": "e", "title": "Vernissage", "start": "2026-12-03T17:30:00Z",
             "coverage": ["D-7", "live"]}
    post = {"uid": "p", "title": "Teaser", "event": 1, "created": "2026-11-01T10:00:00Z",
            "updated": "2026-11-01T10:00:00Z"}
    path.write_text(json.dumps({
        "meta": {"1": {"app": "planterm", "schema": 2,
                       "next_ids": {"posts": 2, "events": 2}}},
        "events": {"1": event}, "posts": {"1": post}}))
    old = Store(path, readonly=True).get_post(1)
    assert old is not None and old.slot == ""
    assert json.loads(path.read_text())["events"]["1"]["coverage"] == ["D-7", "live"]
    store = Store(path)
    assert store.report.migrated_from == 2 and store.report.backup is not None
    assert "coverage" in json.loads(store.report.backup.read_text())["events"]["1"]
    store.close()
    db = TinyDB(path, access_mode="r")
    try:
        assert "coverage" not in db.table("events").get(doc_id=1)  # type: ignore[operator]
        assert db.table("meta").get(doc_id=1)["schema"] == SCHEMA  # type: ignore[index]
    finally:
        db.close()
