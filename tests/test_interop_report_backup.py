"""The handover report says what the issue lists, with stored text inert in HTML and
Markdown; a backup is the whole store at one moment even while another planterm holds it
open; a restore is checked, keeps a backup, and is seen by a planterm open on the store."""

from __future__ import annotations

import json
import re
from datetime import timedelta
from pathlib import Path

import pytest

from interop_support import NOW, demo, files
from planterm.cli import run
from planterm.model import Post, Status
from planterm.store import Store

HOSTILE = "<script>alert('x')</script> **gras** | [lien](javascript:alert(1))"


@pytest.fixture
def plan(tmp_path: Path) -> Path:
    """The demo, with a post in review whose title is hostile markup."""
    path = demo(tmp_path / "data")
    store = Store(path)
    store.add_post(Post(title=HOSTILE, status=Status.REVIEW,
                        scheduled=NOW + timedelta(days=40), flags=["restes-humains"]))
    store.close()
    return path


def test_the_html_report_holds_every_part_and_no_live_markup(
        plan: Path, tmp_path: Path) -> None:
    page = tmp_path / "r.html"
    assert run(["--store", str(plan), "report", "--from", "2026-09-01", "--to", "2026-11-30",
                "-o", str(page)]) == 0
    text = page.read_text()
    for part in ("<h2>Objectives</h2>", "<h2>Themes</h2>", "<h2>Matrix for the whole period"
                 "</h2>", "<h3>septembre 2026</h3>", "<h3>novembre 2026</h3>",
                 "<h2>Events and their coverage</h2>", "<h2>Planned after the end date</h2>",
                 "<h2>Waiting for review</h2>", "<h2>Sensitive posts</h2>",
                 "<h2>How to carry on</h2>", "<svg", "Faire venir au musée", "25% of the posts"):
        assert part in text, part
    assert "<script" not in text and "&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt;" in text
    assert "Handover report — 2026-09-01 to 2026-11-30" in text


def test_the_markdown_report_escapes_stored_text(plan: Path,
                                                 capsys: pytest.CaptureFixture[str]) -> None:
    assert run(["--store", str(plan), "report", "--to", "2026-12-31"]) == 0
    out, err = capsys.readouterr()
    assert out.startswith("# Handover report — ")
    assert "## Waiting for review" in out and "## Sensitive posts" in out
    assert "&lt;script&gt;" in out and "<script" not in out
    assert r"\*\*gras\*\* \| \[lien\]" in out
    assert re.match(r"planterm: wrote the handover report \(md\) for \S+ to 2026-12-31\n", err)


def test_the_report_takes_the_filter_line(plan: Path,
                                         capsys: pytest.CaptureFixture[str]) -> None:
    """flag: keeps the flagged posts only (issue 14): the review list, the matrix and the
    counts follow; an unknown flag is refused, exit 2."""
    assert run(["--store", str(plan), "report", "--to", "2026-12-31"]) == 0
    everything = capsys.readouterr().out
    assert run(["--store", str(plan), "report", "--to", "2026-12-31", "--filter",
                "flag:"]) == 0
    flagged = capsys.readouterr().out

    def waiting(text: str) -> str:
        return text.split("## Waiting for review")[1].split("\n## ")[0]

    store = Store(plan, readonly=True)
    unflagged = [p.title for p in store.posts() if p.status is Status.REVIEW and not p.flags]
    store.close()
    assert unflagged and unflagged[0] in waiting(everything)
    assert unflagged[0] not in waiting(flagged)
    assert "&lt;script&gt;" in waiting(flagged)  # the hostile post is flagged
    assert len(flagged) < len(everything)
    assert run(["--store", str(plan), "report", "--filter", "flag:bogus"]) == 2
    assert "unknown flag 'bogus'" in capsys.readouterr().err


def test_a_bad_period_is_refused(plan: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert run(["--store", str(plan), "report", "--from", "2026-12-01", "--to",
                "2026-11-01"]) == 2
    assert "--to: 2026-11-01 is before --from 2026-12-01; swap them?" in capsys.readouterr().err


def test_a_backup_holds_what_an_open_planterm_wrote(tmp_path: Path) -> None:
    path = demo(tmp_path / "data")
    planner = Store(path)  # stays open, its writes in the journal, never compacted
    added = planner.add_post(Post(title="Écrit dans le planner"))
    assert (path.parent / "plan.json.journal").exists()
    target = tmp_path / "b.json"
    before = files(path.parent)
    assert run(["--store", str(path), "backup", "-o", str(target)]) == 0
    assert files(path.parent) == before  # reading never writes
    copy = Store(target, readonly=True)
    assert copy.get_post(added.id or 0) == added
    assert copy.post_count() == planner.post_count()
    planner.close()


def test_restore_brings_back_what_the_backup_held_and_an_open_store_sees_it(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = demo(tmp_path / "data")
    target = tmp_path / "b.json"
    assert run(["--store", str(path), "backup", "-o", str(target)]) == 0
    planner = Store(path)
    gone = planner.add_post(Post(title="Après la sauvegarde"))
    held = planner.post_count()
    capsys.readouterr()
    assert run(["--store", str(path), "restore", str(target)]) == 0
    out = capsys.readouterr().out
    assert f"restored {path} from {target}" in out
    kept = Path(out.split("the store as it was before is in ")[1].strip())
    assert Store(kept, readonly=True).get_post(gone.id or 0) is not None
    assert planner.changed()  # what the planner's poll looks at, every second
    assert planner.refresh()
    assert planner.get_post(gone.id or 0) is None
    assert planner.post_count() == held - 1
    again = planner.add_post(Post(title="Nouveau"))
    assert again.id is not None and gone.id is not None and again.id > gone.id  # never reused
    planner.close()


@pytest.mark.parametrize(("content", "said"), [
    (b"not json", "is not valid JSON"),
    (json.dumps({"posts": {"1": {"title": "x"}}, "meta": {"1": {"app": "planterm",
                                                                 "schema": 3}}}).encode(),
     "table posts, document 1, field created: missing"),
    (json.dumps({"meta": {"1": {"app": "planterm", "schema": 99}}}).encode(),
     "was written by a newer planterm"),
])
def test_restore_refuses_what_would_not_open(
        content: bytes, said: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = demo(tmp_path / "data")
    bad = tmp_path / "bad.json"
    bad.write_bytes(content)
    before = files(path.parent)
    assert run(["--store", str(path), "restore", str(bad)]) == 2
    err = capsys.readouterr().err
    assert err.startswith("planterm: cannot restore: ") and said in err
    assert files(path.parent) == before


def test_export_json_writes_the_whole_plan_with_local_times(plan: Path, tmp_path: Path) -> None:
    out = tmp_path / "plan-out.json"
    assert run(["--store", str(plan), "export", "json", "-o", str(out)]) == 0
    data = json.loads(out.read_text())
    assert len(data["posts"]) == Store(plan, readonly=True).post_count() > 300
    when = next(p["scheduled"] for p in data["posts"] if p["scheduled"])
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d[+-]\d\d:\d\d", when)
