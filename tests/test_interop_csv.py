"""CSV out and in: the demo's posts survive a round trip exactly; a spreadsheet's French
headers and dates as people type them come in; every kind of bad file or row is named
(row, column, reason) and leaves the store byte for byte as it was."""

from __future__ import annotations

import csv
import io
from dataclasses import replace
from pathlib import Path

import pytest

from interop_support import NOW, demo, files
from planterm.cli import run
from planterm.config import Settings
from planterm.interop.jobs import post_documents
from planterm.interop.table import HEADER, export_csv, read_csv
from planterm.model import Category, Post, Status
from planterm.store import Store

KEPT = ("uid", "scheduled", "title", "body", "status", "channels", "objectives", "themes",
        "hashtags", "flags", "checklist", "media", "link", "notes")
"""What a CSV row carries: every one of these survives a round trip exactly."""


def export(store: Store, bom: bool = False) -> bytes:
    events = {e.id: (e.title, e.uid) for e in store.events() if e.id is not None}
    return export_csv(post_documents(store), Settings(), events, bom=bom)


def test_round_trip_into_an_empty_store_gives_the_same_posts(tmp_path: Path) -> None:
    source = Store(demo(tmp_path / "a"))
    empty = Store(tmp_path / "b" / "plan.json")
    incoming = read_csv(export(source), "plan.csv", empty, Settings(), NOW)
    assert not incoming.refused and not incoming.updated
    incoming.apply(empty)
    before = {p.uid: p for p in source.posts()}
    after = {p.uid: p for p in empty.posts()}
    assert before.keys() == after.keys() and len(after) == len(before) > 300
    for uid, post in before.items():
        assert {k: getattr(after[uid], k) for k in KEPT} == {k: getattr(post, k) for k in KEPT}
    # no event in the empty store: each post's event is left off, and said
    assert all(p.event is None for p in after.values())
    assert any("is not in this store: left off the post" in n for n in incoming.notes)


def test_the_same_file_again_changes_nothing_and_events_are_found(tmp_path: Path) -> None:
    store = Store(demo(tmp_path))
    incoming = read_csv(export(store, bom=True), "plan.csv", store, Settings(), NOW)
    assert (incoming.added, incoming.updated, incoming.refused) == ([], [], [])
    assert incoming.unchanged == store.post_count()


def test_a_row_with_a_stored_uid_updates_only_its_columns(tmp_path: Path) -> None:
    store = Store(demo(tmp_path))
    post = next(p for p in store.posts() if p.body and p.event is not None)
    sheet = f"uid;titre;date\n{post.uid};Nouveau titre;2026-12-03T19:00\n".encode()
    incoming = read_csv(sheet, "s.csv", store, Settings(), NOW)
    incoming.apply(store)
    after = store.get_post(post.id or 0)
    assert after is not None and after.title == "Nouveau titre"
    assert after.scheduled is not None and after.scheduled.isoformat() == \
        "2026-12-03T18:00:00+00:00"
    assert (after.body, after.event, after.uid) == (post.body, post.event, post.uid)
    assert store.post_count() == len({p.uid for p in store.posts()})


def test_a_spreadsheet_in_french_with_typed_dates(tmp_path: Path) -> None:
    store = Store(tmp_path / "plan.json")
    store.add_objective(Category("visites", "Faire venir au musée"))
    sheet = ("Jour;Heure;Titre;Texte;Réseaux;Objectif;Thème;Statut\n"
             "3 déc;19h;Vernissage;On ouvre !;ig, fb;Faire venir au musée;Préhistoire;"
             "brouillon\n").encode()
    incoming = read_csv(sheet, "s.csv", store, Settings(), NOW)
    assert [str(r) for r in incoming.refused] == [
        "row 2, column 'Statut': unknown status 'brouillon'; known: idea, draft, review, "
        "approved, scheduled, published, cancelled"]
    fixed = sheet.replace(b"brouillon", b"draft")
    incoming = read_csv(fixed, "s.csv", store, Settings(), NOW)
    assert [c.key for _, c in incoming.categories] == ["prehistoire"]
    incoming.apply(store)
    (post,) = store.posts()
    assert (post.title, post.channels, post.objectives, post.themes, post.status) == (
        "Vernissage", ["instagram", "facebook"], ["visites"], ["prehistoire"], Status.DRAFT)
    assert post.scheduled is not None and post.scheduled.isoformat() == \
        "2026-12-03T18:00:00+00:00"
    assert [t.name for t in store.themes()] == ["Préhistoire"]


def test_a_link_on_two_lines_is_refused_by_its_cell(tmp_path: Path) -> None:
    store = Store(tmp_path / "plan.json")
    row = dict.fromkeys(HEADER, "")
    row.update(title="Vernissage", link="https://musee.example/a\nb")
    body = {**row, "title": "Clôture", "body": "Deux\nlignes", "link": ""}  # over two lines
    incoming = read_csv(sheet([list(body.values()), list(row.values())]), "s.csv", store,
                        Settings(), NOW)
    assert [str(r) for r in incoming.refused] == [
        "row 3, column 'link': a link is one line; this one holds a line break"]
    assert [p.title for p in incoming.added] == ["Clôture"]


def test_formulas_stay_text_and_come_back_as_typed(tmp_path: Path) -> None:
    store = Store(tmp_path / "plan.json")
    store.add_post(Post(title="=HYPERLINK(\"http://x\")", body="-1 +2 @home"))
    data = export(store)
    assert "'=HYPERLINK" in data.decode() and "'-1 +2" in data.decode()
    other = Store(tmp_path / "b.json")
    read_csv(data, "p.csv", other, Settings(), NOW).apply(other)
    (post,) = other.posts()
    assert (post.title, post.body) == ("=HYPERLINK(\"http://x\")", "-1 +2 @home")


def rows(n: int) -> list[list[str]]:
    """``n`` good rows of a spreadsheet."""
    return [["", f"2026-12-{1 + i % 28:02d}T10:00", f"Post {i}", "Texte", "draft", "ig",
             "visites", "", "", "", "", "", "", "", "", ""] for i in range(n)]


def sheet(body: list[list[str]]) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(HEADER)
    writer.writerows(body)
    return out.getvalue().encode()


@pytest.fixture
def store_path(tmp_path: Path) -> Path:
    path = tmp_path / "data" / "plan.json"
    assert run(["--store", str(path), "objective", "add", "visites", "Faire venir"]) == 0
    return path


def test_fifty_rows_with_two_bad_are_refused_then_imported_with_skip_bad(
        store_path: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    body = rows(50)
    body[11][1] = "31 février"
    body[36][5] = "myspace"
    path = tmp_path / "plan.csv"
    path.write_bytes(sheet(body))
    before = files(store_path.parent)
    capsys.readouterr()
    assert run(["--store", str(store_path), "import", "csv", str(path)]) == 2
    err = capsys.readouterr().err.splitlines()
    assert err[0].startswith(f"planterm: {path}: row 13, column 'date': ")
    assert err[1].startswith(f"planterm: {path}: row 38, column 'channels': unknown channel "
                             "'myspace'")
    assert err[-1] == (f"planterm: {path}: 2 bad rows; nothing was imported (fix them, or add "
                       "--skip-bad to import the rest)")
    assert files(store_path.parent) == before
    assert run(["--store", str(store_path), "import", "csv", str(path), "--dry-run",
                "--skip-bad"]) == 0
    assert "would add 48 posts" in capsys.readouterr().out
    assert files(store_path.parent) == before
    assert run(["--store", str(store_path), "import", "csv", str(path), "--skip-bad"]) == 0
    out = capsys.readouterr().out
    assert "added 48 posts, updated 0, 0 already the same" in out
    assert "left out 2 bad rows" in out
    assert Store(store_path).post_count() == 48


BAD = [
    (b"titre,date\nUn,\xe9t\xe9\n", "plan.csv: row 2: not UTF-8 (byte 0xe9); save it as CSV "
                                    "UTF-8 and import it again"),
    (b"Un,2026-12-03\nDeux,2026-12-04\n", "plan.csv: row 1: no column name planterm knows, "
                                          "so no header row"),
    (b"titre,responsable\nUn,Marie\n", "plan.csv: row 1, column 2: unknown column "
                                       "'responsable'; columns: uid, date, title"),
    (b"titre,date\nUn,le 45 du mois\n", "plan.csv: row 2, column 'date': "),
    (b"titre,canal\nUn,myspace\n", "plan.csv: row 2, column 'canal': unknown channel "
                                   "'myspace'"),
    (b"titre,statut\nUn,fini\n", "plan.csv: row 2, column 'statut': unknown status 'fini'"),
    (b"titre,objectif\nUn,!!!\n", "plan.csv: row 2, column 'objectif': unknown objective "
                                  "'!!!', and it has no letter or digit to make a key of"),
    (b"uid,titre\nabc,Un\nabc,Deux\n", "plan.csv: row 3, column 'uid': abc is row 2's too"),
    (b"titre,statut\nUn,scheduled\n", "plan.csv: row 2, column 'date': a scheduled post needs "
                                      "a date"),
    (b'titre,notes\nUn,"ouvert\n', "plan.csv: row 2: unexpected end of data"),
]


@pytest.mark.parametrize(("data", "said"), BAD)
def test_bad_files_are_named_and_change_nothing(
        data: bytes, said: str, store_path: Path, tmp_path: Path,
        capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "plan.csv").write_bytes(data)
    before = files(store_path.parent)
    capsys.readouterr()
    code = run(["--store", str(store_path), "import", "csv", str(tmp_path / "plan.csv")])
    assert code == 2
    err = capsys.readouterr().err
    assert f"planterm: {tmp_path}/{said}" in err, err
    assert files(store_path.parent) == before


def test_missing_objectives_are_made_and_listed(
        store_path: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "plan.csv").write_bytes("titre,objectif,thème\nUn,Recherche,Musique; Arts\n"
                                        .encode())
    assert run(["--store", str(store_path), "import", "csv", str(tmp_path / "plan.csv"),
                "--dry-run"]) == 0
    out = capsys.readouterr().out
    assert "would create objective recherche, theme musique, theme arts" in out
    assert "dry run: nothing was written" in out


def test_export_to_standard_output_and_a_file(
        store_path: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert run(["--store", str(store_path), "add", "Un", "--on", "2026-12-03T19:00",
                "--objective", "visites"]) == 0
    capsys.readouterr()
    assert run(["--store", str(store_path), "export", "csv"]) == 0
    out, err = capsys.readouterr()
    assert out.splitlines()[0] == ",".join(HEADER)
    assert ",2026-12-03T19:00:00+01:00,Un,," in out
    assert err == "planterm: exported 1 post as CSV\n"
    target = tmp_path / "out.csv"
    assert run(["--store", str(store_path), "export", "csv", "--bom", "-o", str(target)]) == 0
    assert target.read_bytes().startswith("\ufeffuid,date".encode())
    assert capsys.readouterr().out == f"exported 1 post as CSV to {target}\n"


def test_an_update_keeps_what_the_file_does_not_carry(tmp_path: Path) -> None:
    store = Store(demo(tmp_path))
    post = next(p for p in store.posts() if p.variants)
    row = export_csv([replace(post, title="Autre").to_doc()], Settings(), {})
    read_csv(row, "p.csv", store, Settings(), NOW).apply(store)
    after = store.get_post(post.id or 0)
    assert after is not None
    assert (after.title, after.variants, after.slot, after.created) == (
        "Autre", post.variants, post.slot, post.created)
