"""iCalendar out and in: the demo's events and posts as icalendar reads them back, the
same bytes for the same plan, events imported into an empty store as they were, a second
import updating, and each broken file or component named by its line."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from icalendar import Calendar

from interop_support import demo, files
from planterm.cli import run
from planterm.config import Settings
from planterm.interop.ics import export_ics, post_description, read_ics, same_rule
from planterm.interop.jobs import post_documents
from planterm.model import Event, Post, Status
from planterm.store import Store

SETTINGS = Settings()


def export(store: Store) -> bytes:
    events = store.events()
    return export_ics(events, post_documents(store), SETTINGS,
                      {e.id: e.uid for e in events if e.id is not None}).data


def test_icalendar_reads_back_the_same_events_and_posts(tmp_path: Path) -> None:
    store = Store(demo(tmp_path))
    data = export(store)
    cal = Calendar.from_ical(data)
    comps = {str(c["UID"]): c for c in cal.walk("VEVENT")}
    assert [str(t["TZID"]) for t in cal.walk("VTIMEZONE")] == ["Europe/Paris"]
    dated = [p for p in store.posts() if p.scheduled]
    assert len(comps) == len(store.events()) + len(dated)
    for event in store.events():
        comp = comps[event.uid]
        assert str(comp["SUMMARY"]) == event.title
        assert comp["DTSTART"].params["TZID"] == "Europe/Paris"
        if not event.rrule:
            assert comp.decoded("DTSTART") == event.start
        else:
            assert same_rule(comp["RRULE"].to_ical().decode(), event.rrule)
            exdates = [d.dt for ex in ([comp["EXDATE"]] if "EXDATE" in comp else [])
                       for d in ex.dts]
            assert exdates == event.exdates
    events = {e.id: e for e in store.events()}
    for post in dated:
        comp = comps[post.uid]
        assert str(comp["SUMMARY"]) == f"{post.title} ({post.status})"
        assert comp.decoded("DTSTART") == post.scheduled
        assert comp.decoded("DTEND") - comp.decoded("DTSTART") == timedelta(minutes=15)
        assert str(comp["STATUS"]) == ("CANCELLED" if post.status is Status.CANCELLED else
                                       "CONFIRMED" if post.status in (
                                           Status.APPROVED, Status.SCHEDULED, Status.PUBLISHED)
                                       else "TENTATIVE")
        assert str(comp.get("DESCRIPTION", "")) == post_description(post.to_doc())
        cats = [str(c) for c in comp["CATEGORIES"].cats] if "CATEGORIES" in comp else []
        assert cats == [*post.channels, *post.objectives, *post.themes]
        if post.event is not None:
            assert str(comp["RELATED-TO"]) == events[post.event].uid


def test_a_stored_link_on_two_lines_is_named_not_a_traceback(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "plan.json"
    store = Store(path)
    store.add_post(Post(title="Vernissage \x1b[2J", scheduled=datetime(2026, 12, 3, 18, tzinfo=UTC),
                        link="https://musee.example/a\r\nb"))  # an older import's
    store.close()
    before = path.read_bytes()
    assert run(["--store", str(path), "export", "ics"]) == 2
    out, err = capsys.readouterr()
    assert out == "" and "Traceback" not in err and "\x1b" not in err
    assert err.startswith("planterm: post 'Vernissage \\x1b[2J': link: a link is one line")
    assert path.read_bytes() == before


def test_a_repeating_event_starts_on_its_rules_first_occurrence(tmp_path: Path) -> None:
    store = Store(tmp_path / "plan.json")
    wednesday = Event("Visite", start=datetime(2026, 12, 2, 17, 0, tzinfo=SETTINGS.tz),
                      rrule="FREQ=WEEKLY;BYDAY=SA;COUNT=3")
    event = store.add_event(wednesday)
    cal = Calendar.from_ical(export_ics([event], [], SETTINGS, {}).data)
    (comp,) = cal.walk("VEVENT")
    assert comp.decoded("DTSTART").isoformat() == "2026-12-05T17:00:00+01:00"


def test_the_same_plan_gives_the_same_bytes(tmp_path: Path) -> None:
    store = Store(demo(tmp_path))
    assert export(store) == export(store)


def test_import_into_an_empty_store_gives_the_same_events(tmp_path: Path) -> None:
    source = Store(demo(tmp_path / "a"))
    empty = Store(tmp_path / "b" / "plan.json")
    incoming = read_ics(export(source), "plan.ics", empty, SETTINGS)
    assert not incoming.refused
    assert incoming.notes == [f"left aside {sum(1 for p in source.posts() if p.scheduled)} "
                              "posts planterm exported (posts come in by CSV)"]
    incoming.apply(empty)
    after = {e.uid: e for e in empty.events()}
    for event in source.events():
        got = after[event.uid]
        assert same_rule(got.rrule, event.rrule)
        assert replace(got, id=None, rrule="") == replace(event, id=None, rrule="")


def test_a_second_import_updates_rather_than_duplicates(tmp_path: Path) -> None:
    store = Store(demo(tmp_path))
    data = export(store)
    incoming = read_ics(data, "plan.ics", store, SETTINGS)
    assert (incoming.added, incoming.updated, incoming.unchanged) == (
        [], [], len(store.events()))
    event = store.events()[0]
    moved = data.replace(event.title.encode(), b"Nouveau titre", 1)
    incoming = read_ics(moved, "plan.ics", store, SETTINGS)
    assert [(b.uid, a.title) for b, a in incoming.updated] == [(event.uid, "Nouveau titre")]
    incoming.apply(store)
    assert len(store.events()) == len({e.uid for e in store.events()})


AGENDA = """BEGIN:VCALENDAR\r
VERSION:2.0\r
PRODID:-//Musée//Agenda//FR\r
BEGIN:VEVENT\r
UID:nocturne@musee\r
DTSTAMP:20261101T000000Z\r
SUMMARY:Nocturne\r
DTSTART;TZID=Europe/Paris:20261203T190000\r
DTEND;TZID=Europe/Paris:20261203T220000\r
RRULE:FREQ=WEEKLY;COUNT=4\r
EXDATE;TZID=Europe/Paris:20261210T190000\r
LOCATION:Hall\r
END:VEVENT\r
BEGIN:VEVENT\r
UID:nocturne@musee\r
RECURRENCE-ID;TZID=Europe/Paris:20261217T190000\r
DTSTAMP:20261101T000000Z\r
SUMMARY:Nocturne spéciale\r
DTSTART;TZID=Europe/Paris:20261218T200000\r
DTEND;TZID=Europe/Paris:20261218T230000\r
END:VEVENT\r
BEGIN:VEVENT\r
UID:conf@musee\r
DTSTAMP:20261101T000000Z\r
SUMMARY:Conférence\r
DTSTART:20261205T140000Z\r
DURATION:PT1H30M\r
END:VEVENT\r
END:VCALENDAR\r
"""


def test_a_museums_agenda_with_a_moved_occurrence(tmp_path: Path) -> None:
    store = Store(tmp_path / "plan.json")
    incoming = read_ics(AGENDA.encode(), "agenda.ics", store, SETTINGS)
    assert not incoming.refused
    incoming.apply(store)
    by_uid = {e.uid: e for e in store.events()}
    series = by_uid["nocturne@musee"]
    assert series.rrule == "FREQ=WEEKLY;COUNT=4"
    assert [d.isoformat() for d in series.exdates] == ["2026-12-10T18:00:00+00:00",
                                                       "2026-12-17T18:00:00+00:00"]
    moved = by_uid["nocturne@musee/2026-12-17T18:00:00Z"]
    assert (moved.title, moved.start.isoformat()) == ("Nocturne spéciale",
                                                      "2026-12-18T19:00:00+00:00")
    conf = by_uid["conf@musee"]
    assert conf.end is not None and conf.end - conf.start == timedelta(minutes=90)
    again = read_ics(AGENDA.encode(), "agenda.ics", store, SETTINGS)
    assert (again.added, again.updated, again.unchanged) == ([], [], 3)


def cut(text: str, line: str) -> str:
    return text.replace(line + "\r\n", "", 1)


BAD = [
    (b"BEGIN:VCALENDAR\r\nSUMMARY:\xe9t\xe9\r\nEND:VCALENDAR\r\n",
     "agenda.ics: line 2: not UTF-8 (byte 0xe9)"),
    (AGENDA[: AGENDA.index("BEGIN:VEVENT\r\nUID:conf") + 40].encode(),
     "agenda.ics: line 22: BEGIN:VEVENT is never ended: the file is cut short"),
    (b"UID:x\r\n", "agenda.ics: line 1: not an iCalendar file"),
    (cut(AGENDA, "DTSTART:20261205T140000Z").encode(),
     "agenda.ics: line 22, VEVENT 'Conférence': DTSTART: missing: an event needs a start"),
    (AGENDA.replace("COUNT=4", "COUNT=4;UNTIL=20261231").encode(),
     "agenda.ics: line 4, VEVENT 'Nocturne': RRULE: "),
    (AGENDA.replace("UID:conf@musee", "UID:nocturne@musee").replace(
        "RECURRENCE-ID;TZID=Europe/Paris:20261217T190000\r\n", "").encode(),
     "agenda.ics: line 14, VEVENT 'Nocturne spéciale': UID: nocturne@musee is the VEVENT's "
     "of line 4 too"),
]


@pytest.mark.parametrize(("data", "said"), BAD)
def test_bad_files_are_named_by_line_and_change_nothing(
        data: bytes, said: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    store = demo(tmp_path / "data")
    (tmp_path / "agenda.ics").write_bytes(data)
    before = files(store.parent)
    capsys.readouterr()
    assert run(["--store", str(store), "import", "ics", str(tmp_path / "agenda.ics")]) == 2
    assert f"planterm: {tmp_path}/{said}" in capsys.readouterr().err
    assert files(store.parent) == before


def test_skip_bad_imports_the_rest_and_dry_run_writes_nothing(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    store = demo(tmp_path / "data")
    (tmp_path / "agenda.ics").write_text(cut(AGENDA, "DTSTART:20261205T140000Z"))
    before = files(store.parent)
    args = ["--store", str(store), "import", "ics", str(tmp_path / "agenda.ics")]
    assert run([*args, "--skip-bad", "--dry-run"]) == 0
    out = capsys.readouterr().out
    assert "would add event: Nocturne (jeu 03/12 19:00)" in out
    assert "would add 2 events, update 0, 0 already the same" in out
    assert files(store.parent) == before
    assert run([*args, "--skip-bad"]) == 0
    out = capsys.readouterr().out
    assert "added 2 events" in out and "left out 1 bad component" in out
    titles = [e.title for e in Store(store).events()]
    assert "Nocturne" in titles and "Conférence" not in titles


def test_export_command_counts_what_it_leaves_out(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    store = demo(tmp_path / "data")
    undated = sum(1 for p in Store(store).posts() if p.scheduled is None)
    target = tmp_path / "plan.ics"
    assert run(["--store", str(store), "export", "ics", "-o", str(target)]) == 0
    out = capsys.readouterr().out
    assert out.startswith("exported 36 events and ")
    assert out.endswith(f" as iCalendar to {target}; {undated} posts without a date "
                        "left out\n")
    assert run(["--store", str(store), "export", "ics", "--events-only"]) == 0
    out, err = capsys.readouterr()
    assert out.startswith("BEGIN:VCALENDAR") and "X-PLANTERM-TYPE:post" not in out
    assert err == "planterm: exported 36 events and 0 posts as iCalendar\n"
