"""``planterm events``, ``planterm event add/show/set/cancel`` and ``planterm coverage``: each
with good and bad input; a refusal leaves every file as it was; reading writes nothing."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path

import pytest

from planterm.cli import run
from planterm.store import Store
from test_cli_promises import all_files
from test_cli_structure import contents, ran

OPENING = ["event", "add", "Vernissage « Parures »", "--on", "2030-12-05T18:30",
           "--end", "2030-12-05T21:30", "--kind", "opening", "--place", "Salle 2",
           "--hashtag", "ExpoParures", "--channel", "ig", "--channel", "fb", "--channel", "x",
           "--objective", "visites", "--theme", "expo"]


NOW = datetime(2030, 11, 1, 9, 0, tzinfo=UTC)
"""The commands' present: the dates below stay ahead whatever the day the tests run."""


@pytest.fixture(autouse=True)
def frozen(monkeypatch: pytest.MonkeyPatch) -> None:
    """Commands see ``NOW`` as the present, and 2030 as this year."""
    monkeypatch.setattr("planterm.cli.utcnow", lambda: NOW)
    monkeypatch.setattr("planterm.agenda.utcnow", lambda: NOW)


@pytest.fixture
def store_path(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A store with an objective, a theme, an opening, two talks and a weekly tour."""
    path = tmp_path / "data" / "plan.json"
    monkeypatch.setenv("PLANTERM_STORE", str(path))
    for argv in (["objective", "add", "visites", "Faire venir"],
                 ["theme", "add", "expo", "Exposition"],
                 OPENING,
                 ["event", "add", "Conférence : la parure", "--on", "2030-12-03T18:30",
                  "--kind", "talk"],
                 ["event", "add", "Conférence : le climat", "--on", "2031-01-14T18:30",
                  "--kind", "talk"],
                 ["event", "add", "Visite du samedi", "--on", "2030-11-30T11:00", "--kind",
                  "tour", "--rrule", "FREQ=WEEKLY;BYDAY=SA;COUNT=6", "--channel", "ig"]):
        assert run(argv) == 0, argv
    return path


def refused(argv: list[str], capsys: pytest.CaptureFixture[str], folder: Path,
            code: int = 2) -> str:
    """Run a command that must be refused with ``code``, leaving every file's bytes as
    they were; its one line on stderr."""
    capsys.readouterr()
    before = contents(folder)
    assert run(argv) == code
    err = capsys.readouterr().err
    assert contents(folder) == before
    assert err.count("\n") == 1, err
    return err


def test_coverage_on_a_fresh_store_then_again_makes_nothing(
        store_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    folder = store_path.parent
    before = contents(folder)
    dry = ran(["coverage", "vernissage", "--dry-run"], capsys)
    assert contents(folder) == before
    assert "template opening (Vernissage)" in dry
    assert "  + announce  D-14     jeu 21/11 10:00  IG FB  Annonce – Vernissage « Parures »" \
        in dry
    assert "  + live      D        jeu 05/12 18:30  IG X  En direct – Vernissage" in dry
    assert dry.endswith("dry run: would make 6 draft posts; nothing was written\n")
    made = ran(["coverage", "vernissage"], capsys)
    assert made.endswith("made 6 draft posts (1, 2, 3, 4, 5, 6), tagged with event 1\n")
    posts = json.loads(ran(["list", "--json"], capsys))
    assert {(p["event"], p["status"], p["slot"].split("@")[1]) for p in posts} == {
        (1, "draft", "2030-12-05")}
    assert {tuple(p["objectives"] + p["themes"]) for p in posts} == {("visites", "expo")}
    week = json.loads(ran(["week", "2030-12-05", "--json"], capsys))
    assert [p["event"] for p in week] == [1, 1, 1]  # the event's id, as a number
    after = contents(folder)
    again = ran(["coverage", "1"], capsys)
    assert again.count("(already there: post ") == 6
    assert again.endswith("nothing to make: every slot is there already or past\n")
    assert contents(folder) == after


def test_events_lists_occurrences_with_their_coverage(
        store_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    ran(["coverage", "vernissage"], capsys)
    out = ran(["events", "--from", "2030-11-01", "--to", "2030-12-10"], capsys)
    lines = out.splitlines()
    assert lines[0] == "4 events, starting from ven 01/11 09:00 to mar 10/12 09:00"
    assert lines[1].startswith("sam 30/11 11:00  event 4: Visite du samedi (tour)")
    assert "    ○○ 0/2 · planned 0 · written 0 · approved 0 · published 0 · live 0" in lines
    assert ("jeu 05/12 18:30  event 1: Vernissage « Parures » (opening, Salle 2)  "
            "#ExpoParures") in lines
    assert "    ●●●●●● 6/6 · planned 6 · written 0 · approved 0 · published 0 · live 0" in lines
    assert "    next: write post 1 (jeu 21/11 10:00)" in lines
    listed = json.loads(ran(["events", "--json", "--from", "2030-11-01", "--to", "2031-02-01"],
                            capsys))
    assert [(e["id"], e["start"]) for e in listed] == [
        (4, "2030-11-30T11:00:00+01:00"), (2, "2030-12-03T18:30:00+01:00"),
        (1, "2030-12-05T18:30:00+01:00"), (4, "2030-12-07T11:00:00+01:00"),
        (4, "2030-12-14T11:00:00+01:00"), (4, "2030-12-21T11:00:00+01:00"),
        (4, "2030-12-28T11:00:00+01:00"), (4, "2031-01-04T11:00:00+01:00"),
        (3, "2031-01-14T18:30:00+01:00")]
    opening = listed[2]
    assert {"id", "uid", "title", "start", "end", "place", "kind", "hashtag", "rrule",
            "coverage"} <= set(opening)
    assert (opening["end"], opening["hashtag"], opening["rrule"]) == (
        "2030-12-05T21:30:00+01:00", "#ExpoParures", "")
    assert opening["coverage"] == {
        "template": "opening", "slots": 6, "filled": 6, "planned": 6, "written": 0,
        "approved": 0, "published": 0, "live": 0, "mark": "●●●●●● 6/6",
        "next": "write post 1 (jeu 21/11 10:00)", "posts": [1, 2, 3, 4, 5, 6]}
    assert listed[0]["rrule"] == "FREQ=WEEKLY;BYDAY=SA;COUNT=6"
    assert ran(["events", "--past"], capsys) == "0 events, past\n"


def test_reading_commands_write_nothing_and_create_no_store(
        store_path: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    folder = store_path.parent
    before = all_files(folder)
    for argv in (["events"], ["events", "--json"], ["events", "--past"], ["event", "show", "1"],
                 ["event", "show", "samedi", "--json"], ["coverage", "1", "--dry-run"]):
        assert run(argv) == 0, capsys.readouterr()
    assert all_files(folder) == before
    typo = tmp_path / "typo" / "plna.json"
    for argv in (["events"], ["event", "show", "1"], ["coverage", "1", "--dry-run"]):
        assert run(["--store", str(typo), *argv]) == 1
        assert capsys.readouterr().err == f"planterm: no store at {typo}\n"
    assert not typo.parent.exists()


def test_event_show(store_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    ran(["coverage", "1"], capsys)
    out = ran(["event", "show", "vernissage"], capsys)
    assert out.startswith("event 1: Vernissage « Parures »\n"
                          "  when       jeu 05/12 18:30 – jeu 05/12 21:30\n"
                          "  kind       opening\n")
    assert "  coverage   opening (Vernissage, 6 posts: announce, teaser, reminder, live, " \
           "recap, thanks)\n" in out
    assert "    #1     jeu 21/11 10:00  ✎ draft      IG FB  Annonce – Vernissage « " \
           "Parures »  [opening/announce]\n" in out
    tour = json.loads(ran(["event", "show", "samedi", "--json"], capsys))
    assert [o["start"][:10] for o in tour["occurrences"]] == [
        "2030-11-30", "2030-12-07", "2030-12-14", "2030-12-21", "2030-12-28"]
    assert (tour["id"], tour["posts"]) == (4, [])


@pytest.mark.parametrize(("argv", "said"), [
    (["event", "show", "conférence"], "event: 'conférence' matches 2 events (2 Conférence : "
                                      "la parure; 3 Conférence : le climat); give the id"),
    (["coverage", "conference"], "'conference' matches 2 events"),
    (["event", "set", "conf", "place=Hall"], "'conf' matches 2 events"),
    (["event", "cancel", "conf", "--yes"], "'conf' matches 2 events"),
    (["event", "show", "dinosaures"], "no event title contains 'dinosaures'"),
    (["event", "show", "99"], "no event with id 99"),
    (["event", "show", " "], "give an event id or words of its title"),
    (["coverage", "1", "--template", "nope"], "unknown coverage template 'nope'; known: "),
    (["coverage", "1", "--from", "2030-12-01"], "--from/--to: event 1 does not repeat"),
    (["coverage", "4", "--from", "2031-03-01"], "event 4 has no occurrence from"),
    (["coverage", "4", "--from", "2030-12-10", "--to", "2030-12-01"], "is not after --from"),
    (["coverage", "4", "--from", "someday"], "--from: Cannot read the date"),
    (["events", "--from", "2030-12-10", "--to", "2030-12-01"], "is not after --from"),
    (["event", "set", "1", "place"], "expected field=value; fields: title, on, end"),
    (["event", "set", "1", "colour=red"], "colour: unknown field"),
    (["event", "set", "1", "end=2030-12-05T17:00"], "end: must be after the start"),
    (["event", "set", "1", "on=2030-12-12"], "on: event 1 moves by +7 days and 6 posts"),
    (["event", "set", "1", "on=2030-12-12", "--move-posts", "--keep-posts"], "not allowed with"),
    (["event", "set", "4", "exdates=2030-12-08"], "exdates: 2030-12-08 11:00 is not an "
                                                   "occurrence of the rule"),
    (["event", "set", "1", "kind=party"], "kind: unknown kind 'party'"),
    (["event", "cancel", "1"], "'planterm event cancel 1 --yes' cancels without asking"),
    (["event", "add", "Visite", "--on", "2030-12-05T10:00", "--objective", "astrologie"],
     "--objective: unknown objective 'astrologie'"),
    (["event", "add", "Visite", "--on", "2030-12-05T10:00", "--channel", "myspace"],
     "--channel: unknown channel 'myspace'"),
    (["event", "add", "Visite", "--on", "2030-12-05T10:00", "--template", "nope"],
     "--template: unknown coverage template 'nope'"),
    (["event", "add", " ", "--on", "2030-12-05T10:00"], "title: must not be empty"),
])
def test_bad_input_is_refused_with_one_line_and_writes_nothing(
        store_path: Path, capsys: pytest.CaptureFixture[str], argv: list[str],
        said: str) -> None:
    ran(["coverage", "1"], capsys)
    err = refused(argv, capsys, store_path.parent)
    assert err.startswith("planterm: ") and said in err, err


def test_event_set_and_a_change_of_date(store_path: Path,
                                        capsys: pytest.CaptureFixture[str]) -> None:
    ran(["coverage", "1"], capsys)
    out = ran(["event", "set", "1", "place=Grande salle", "hashtag=#Parures2030",
               "template=talk"], capsys)
    assert out == "event 1: Vernissage « Parures » (jeu 05/12 18:30)\n"
    shown = ran(["event", "show", "1"], capsys)
    assert "  place      Grande salle\n" in shown and "  coverage   talk (Conférence" in shown
    ran(["event", "set", "1", "template="], capsys)  # back to its kind's
    moved = ran(["event", "set", "1", "on=2030-12-12", "--move-posts"], capsys)
    assert moved.splitlines()[:3] == [
        "event 1: Vernissage « Parures » (jeu 12/12 18:30)",
        "moved 6 posts by +7 days:",
        "  #1     jeu 28/11 10:00  ✎ draft      IG FB  Annonce – Vernissage « Parures »"]
    assert ran(["coverage", "1"], capsys).endswith("nothing to make: every slot is there "
                                                   "already or past\n")
    kept = ran(["event", "set", "1", "on=2030-12-19T19:00", "--keep-posts"], capsys)
    assert kept == "event 1: Vernissage « Parures » (jeu 19/12 19:00)\n" \
                   "kept 6 posts where they were\n"
    event = Store(store_path, readonly=True).get_event(1)
    assert event is not None and event.end is not None
    assert (event.end - event.start).total_seconds() == 3 * 3600  # the end moved with it


def test_event_cancel(store_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    ran(["coverage", "1"], capsys)
    out = ran(["event", "cancel", "vernissage", "--yes"], capsys)
    assert out.splitlines()[:2] == ["cancelled event 1: Vernissage « Parures »",
                                    "and 6 posts of it not yet published:"]
    assert {p["status"] for p in json.loads(ran(["list", "--json"], capsys))} == {"cancelled"}
    assert "✗ cancelled" in ran(["events"], capsys)
    err = refused(["coverage", "1"], capsys, store_path.parent)
    assert "event 1 is cancelled: it gets no new coverage" in err
    err = refused(["event", "cancel", "1", "--yes"], capsys, store_path.parent)
    assert "event 1 is already cancelled" in err


def test_a_repeating_event_gets_the_next_occurrence_or_a_period(
        store_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = ran(["coverage", "samedi"], capsys)
    assert "sam 30/11 11:00:" in out and "made 2 draft posts (1, 2)" in out
    out = ran(["coverage", "samedi", "--from", "2030-11-30", "--to", "2030-12-15"], capsys)
    assert [line for line in out.splitlines() if line.endswith(":")] == [
        "sam 30/11 11:00:", "sam 07/12 11:00:", "sam 14/12 11:00:"]
    assert out.endswith("made 4 draft posts (3, 4, 5, 6), tagged with event 4\n")
    events = json.loads(ran(["events", "--json", "--to", "2030-12-20"], capsys))
    assert [e["coverage"]["mark"] for e in events if e["id"] == 4] == ["●● 2/2"] * 3


def test_a_bad_user_template_is_a_warning_and_the_bundled_ones_work(
        store_path: Path, isolated_home: Path, capsys: pytest.CaptureFixture[str]) -> None:
    bad = isolated_home / "coverage.toml"  # beside $PLANTERM_CONFIG
    bad.write_text('[opening]\nkinds = ["opening"]\n[[opening.slots]]\nkey = "x"\nday = "-1"\n'
                   'title = "x"\n')
    assert run(["coverage", "1", "--dry-run"]) == 0
    out, err = capsys.readouterr()
    assert err == (f"planterm: warning: {bad}: template 'opening', slot 'x', day: must be a "
                   "whole number of days (-366 to 366), not '-1'; template left out\n")
    assert "template opening (Vernissage)" in out
