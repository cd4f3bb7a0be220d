"""The command line for a week of triage: show, delete, warnings, events, search, notes."""

from __future__ import annotations

import json
import os
import pty
import select
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from planterm.cli import run
from planterm.model import Post, Status
from planterm.store import Store

LONG = "Il y a plus de 100 000 ans, des humains perçaient déjà des coquillages. " * 5
BIN = Path(sys.executable).with_name("planterm")


@pytest.fixture
def store_path(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A store seeded with the demo's objectives and themes, an event and three posts."""
    path = tmp_path / "plan.json"
    monkeypatch.setenv("PLANTERM_STORE", str(path))
    demo = json.loads((Path(__file__).parents[1] / "data" / "demo.json").read_text())
    path.write_text(json.dumps({"meta": {"1": {"app": "planterm", "schema": 2}},
                                "objectives": demo["objectives"], "themes": demo["themes"]}))
    for argv in (
        ["event", "add", "Vernissage « Parures »", "--on", "2026-12-03T18:30", "--kind",
         "opening"],
        ["add", "Teaser du Musée", "--on", "2026-12-02T10:00", "--channel", "x",
         "--channel", "ig", "--status", "draft", "--body", LONG, "--event", "vernissage"],
        ["add", "Programme", "--on", "2026-12-04T10:00", "--channel", "ig", "--body", "ok",
         "--status", "draft"],
        ["add", "Idée sans date"],
    ):
        assert run(argv) == 0
    return path


def files(path: Path) -> dict[str, bytes]:
    """Every file beside the store, backups included, and its bytes."""
    return {str(p.relative_to(path.parent)): p.read_bytes()
            for p in sorted(path.parent.rglob("*")) if p.is_file() and p.suffix != ".lock"
            and ".home" not in p.parts}


def out(argv: list[str], capsys: pytest.CaptureFixture[str], code: int = 0) -> str:
    capsys.readouterr()
    assert run(argv) == code
    captured = capsys.readouterr()
    return captured.out if code == 0 else captured.err


def in_pty(argv: list[str], answer: bytes | None = None, env: dict[str, str] | None = None
           ) -> tuple[int, str]:
    """``planterm argv`` on a terminal; ``answer`` typed once it asks; exit code and output."""
    pid, fd = pty.fork()
    if pid == 0:  # the child: planterm on the pty
        os.environ.update(env or {})
        os.execv(str(BIN), [str(BIN), *argv])
    seen = b""
    while True:
        try:
            chunk = os.read(fd, 4096)
        except OSError:
            break
        if not chunk:
            break
        seen += chunk
        if answer is not None and b"[y/N]" in seen:
            os.write(fd, answer)
            answer = None
    _, status = os.waitpid(pid, 0)
    os.close(fd)
    return os.waitstatus_to_exitcode(status), seen.decode()


# --- warnings -------------------------------------------------------------------------


def test_list_and_week_mark_posts_not_ready_and_say_why(
    store_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    for argv in (["list"], ["week", "2026-12-02"]):
        text = out(argv, capsys)
        assert "✎ draft      X IG  ⚠ Teaser du Musée" in text
        assert "                ⚠ X 360/280 (80 over)" in text.splitlines()
        assert "⚠ Programme" not in text


def test_list_warnings_selects_them(store_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert out(["list", "--warnings"], capsys).startswith("1 post\n")
    (post,) = json.loads(out(["list", "--warnings", "--json"], capsys))
    assert (post["title"], post["problems"]) == ("Teaser du Musée", ["X 360/280 (80 over)"])


def test_check_lists_warnings_and_still_passes(
    store_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    text = out(["check"], capsys)
    assert ("warning: post 1 (mer 02/12 10:00, draft) ⚠ X 360/280 (80 over): Teaser du Musée"
            in text)
    assert text.rstrip().endswith("ok (3 posts, 1 event, 6 objectives, 9 themes); "
                                  "1 post not ready (⚠)")


def test_an_over_long_post_is_refused_approval_naming_the_channel(
    store_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert run(["set", "1", "status=review"]) == 0
    before = files(store_path)
    err = out(["set", "1", "status=approved"], capsys, code=2)
    assert err == "planterm: status: too long to be approved: X 360/280 (80 over)\n"
    assert files(store_path) == before
    assert run(["set", "1", "channels=ig", "status=approved"]) == 0


# --- events and search ----------------------------------------------------------------


@pytest.mark.parametrize("ref", ["1", "vernissage", "PARURES", "parures vernissage"])
def test_list_event_by_id_or_words_of_the_title(
    store_path: Path, capsys: pytest.CaptureFixture[str], ref: str
) -> None:
    posts = json.loads(out(["list", "--event", ref, "--json"], capsys))
    assert [p["title"] for p in posts] == ["Teaser du Musée"]


@pytest.mark.parametrize("words", ["musee", "MUSEE", "musée", "Musée", "du musee", "idee"])
def test_text_ignores_accents_and_case(store_path: Path, capsys: pytest.CaptureFixture[str],
                                       words: str) -> None:
    posts = json.loads(out(["list", "--text", words, "--json"], capsys))
    assert len(posts) == 1
    assert posts[0]["title"] in ("Teaser du Musée", "Idée sans date")


def test_counts_are_singular_or_plural(store_path: Path,
                                       capsys: pytest.CaptureFixture[str]) -> None:
    assert out(["list", "--text", "programme"], capsys).startswith("1 post\n")
    assert out(["list", "--text", "nothing-like-it"], capsys).startswith("0 posts\n")
    assert out(["list"], capsys).startswith("3 posts\n")


def test_event_add_help_names_the_default_kind(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit):
        run(["event", "add", "--help"])
    assert "(default: talk)" in " ".join(capsys.readouterr().out.split())


# --- dates ----------------------------------------------------------------------------


def test_a_date_in_the_past_is_taken_with_a_note(store_path: Path,
                                                 capsys: pytest.CaptureFixture[str]) -> None:
    capsys.readouterr()
    assert run(["add", "Hier", "--on", "2020-03-02 10h"]) == 0
    captured = capsys.readouterr()
    assert "lun 02/03/2020 10:00" in captured.out  # not this year: its year is shown
    assert captured.err == "planterm: note: --on: lun 02/03/2020 10:00 is in the past\n"
    assert run(["set", "2", "on=hier 9h"]) == 0
    assert "is in the past" in capsys.readouterr().err
    assert run(["set", "2", "on=demain 9h"]) == 0
    assert capsys.readouterr().err == ""


def test_work_phrases_on_the_command_line(store_path: Path,
                                          capsys: pytest.CaptureFixture[str]) -> None:
    for phrase in ("maintenant", "now", "dans 20 min", "in 20 min", "ce soir 23h59",
                   "tonight 11:59pm", "demain midi"):
        assert run(["add", phrase, "--on", phrase]) == 0, phrase
    assert "is in the past" not in capsys.readouterr().err


# --- show -----------------------------------------------------------------------------


def test_show_prints_the_post_in_full(store_path: Path,
                                      capsys: pytest.CaptureFixture[str]) -> None:
    text = out(["show", "1"], capsys)
    assert text.startswith("post 1: Teaser du Musée\n  status     ✎ draft\n")
    for line in ("  when       mer 02/12 10:00", "  channels   X, Instagram",
                 "  event      1 Vernissage « Parures »", "  ⚠ X 360/280 (80 over)",
                 "on X (360/280 ⚠):", "on Instagram (360/2200):", f"  {LONG}"):
        assert line in text.splitlines()


def test_show_json_has_the_problems_and_each_outgoing_text(
    store_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    post = json.loads(out(["show", "1", "--json"], capsys))
    assert post["problems"] == ["X 360/280 (80 over)"]
    assert post["outgoing"] == {"x": LONG, "instagram": LONG}
    assert post["scheduled"] == "2026-12-02T10:00:00+01:00"


def test_show_channel_is_exactly_the_outgoing_text_raw_for_a_pipe(store_path: Path) -> None:
    text = "Ligne 1\nLigne 2\t\x1b[31mrouge\x1b[0m"
    store = Store(store_path)
    post = store.get_post(2)
    assert post is not None
    store.update_post(Post(**{**{f: getattr(post, f) for f in post.__slots__},  # type: ignore[arg-type]
                              "variants": {"instagram": text}, "hashtags": ["#Expo"]}))
    store.close()
    piped = subprocess.run([str(BIN), "show", "2", "--channel", "ig"], capture_output=True,
                           check=True)
    assert piped.stdout == f"{text} #Expo".encode()
    code, shown = in_pty(["show", "2", "--channel", "instagram"])
    assert code == 0
    assert "\x1b" not in shown and "␛[31mrouge␛[0m #Expo" in shown


# --- delete ---------------------------------------------------------------------------


def test_delete_yes_keeps_a_backup_holding_the_post_and_names_it(
    store_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    gone = Store(store_path, readonly=True).get_post(2)
    text = out(["delete", "2", "--yes"], capsys)
    first, second = text.splitlines()
    assert first == "deleted post 2: ven 04/12 10:00  ✎ draft      IG  Programme"
    backup = Path(second.split("the backup ")[1].split(" holds it")[0])
    assert second.endswith(f"('planterm --store {backup} show 2')")
    assert Store(store_path, readonly=True).get_post(2) is None
    assert Store(backup, readonly=True, create=False).get_post(2) == gone
    assert "post 2: Programme" in out(["--store", str(backup), "show", "2"], capsys)
    # the same backup serves a post it already holds; no new one is taken
    kept = sorted(backup.parent.iterdir())
    assert str(backup) in out(["delete", "3", "--yes"], capsys)
    assert sorted(backup.parent.iterdir()) == kept


def test_delete_asks_on_a_terminal(store_path: Path) -> None:
    env = {"PLANTERM_STORE": str(store_path)}
    code, seen = in_pty(["delete", "2"], b"n\n", env)
    assert (code, "kept, nothing deleted" in seen) == (1, True)
    assert "delete post 2: ven 04/12 10:00  ✎ draft      IG  Programme? [y/N]" in seen
    assert Store(store_path, readonly=True).get_post(2) is not None
    code, seen = in_pty(["delete", "2"], b"y\n", env)
    assert (code, "deleted post 2" in seen) == (0, True)
    assert Store(store_path, readonly=True).get_post(2) is None


def test_delete_without_yes_and_no_terminal_is_refused(store_path: Path) -> None:
    before = files(store_path)
    result = subprocess.run([str(BIN), "delete", "2"], capture_output=True, text=True,
                            stdin=subprocess.DEVNULL, check=False)
    assert result.returncode == 2
    assert result.stderr == ("planterm: delete: the input is not a terminal to ask on; "
                             "'planterm delete 2 --yes' deletes without asking\n")
    assert files(store_path) == before


# --- the demo -------------------------------------------------------------------------


def test_the_demo_publishes_nothing_from_now_on(capsys: pytest.CaptureFixture[str]) -> None:
    assert out(["--demo", "list", "--status", "published", "--from", "now"], capsys) == (
        "0 posts\n\n  (nothing planned)\n")
    listed = json.loads(out(["--demo", "list", "--status", "scheduled", "--to", "now",
                             "--json"], capsys))
    assert listed == []
    assert any(p["status"] == Status.PUBLISHED
               for p in json.loads(out(["--demo", "list", "--json"], capsys)))


# --- a demo ended by a signal -----------------------------------------------------------


ENDING_SECONDS = 60
"""How long a signalled planterm may take to end before the test calls it a failure."""


def ended_by(signum: int, argv: list[str], ready: bytes, tmp_path: Path
             ) -> tuple[int, str, bytes]:
    """``planterm argv`` on a terminal, sent ``signum`` once ``ready`` is on its screen;
    its exit code, what is left in its TMPDIR, and what it wrote after the signal."""
    tmp = tmp_path / "tmp"
    tmp.mkdir()
    pid, fd = pty.fork()
    if pid == 0:
        os.environ.update(TMPDIR=str(tmp), TERM="xterm-256color", COLUMNS="80", LINES="24")
        os.execv(str(BIN), [str(BIN), *argv])
    seen = b""
    deadline = time.monotonic() + ENDING_SECONDS
    try:
        while ready not in seen:
            chunk = os.read(fd, 65536)
            assert chunk, seen[-500:]
            seen += chunk
        assert [p.name[:14] for p in tmp.iterdir()] == ["planterm-demo-"]
        os.kill(pid, signum)
        after = b""
        while True:  # read on, or the child may block writing its last frame
            if not select.select([fd], [], [], max(0.0, deadline - time.monotonic()))[0]:
                os.kill(pid, signal.SIGKILL)  # a failure, not a test run that never ends
                raise AssertionError(f"still running {ENDING_SECONDS} s after the signal; "
                                     f"last output: {(seen + after)[-300:]!r}")
            try:
                chunk = os.read(fd, 65536)
            except OSError:
                break
            if not chunk:
                break
            after += chunk
        _, status = os.waitpid(pid, 0)
    finally:
        os.close(fd)
    return os.waitstatus_to_exitcode(status), " ".join(p.name for p in tmp.iterdir()), after


@pytest.mark.parametrize("signum", [signal.SIGTERM, signal.SIGHUP])
def test_a_demo_command_ended_by_a_signal_leaves_no_folder(
    tmp_path: Path, signum: int
) -> None:
    code, left, _ = ended_by(signum, ["--demo", "delete", "1"], b"[y/N]", tmp_path)
    assert (code, left) == (128 + signum, "")


@pytest.mark.parametrize("signum", [signal.SIGTERM, signal.SIGHUP])
def test_a_demo_planner_ended_by_a_signal_leaves_no_folder(
    tmp_path: Path, signum: int
) -> None:
    code, left, after = ended_by(signum, ["--demo"], b"Help", tmp_path)
    assert (code, left) == (128 + signum, "")
    assert b"\x1b[?1049l" in after  # it quit as q does: the terminal's screen is given back
