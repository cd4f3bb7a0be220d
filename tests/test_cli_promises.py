"""The command line keeps DESIGN.md's promises: reading never writes, text is inert,
bad input (far dates, bad bytes, unknown keys) is one line and exit 2."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from planterm.cli import run
from planterm.model import Post
from planterm.store import Store

HOSTILE = ("T\x1b]0;PWNED\x07itle \x1b[2J\r\x1b]52;c;SGVsbG8=\x07 "
           "\x1b]8;;http://x\x07lien\x1b]8;;\x07 \u202eevil \x9b31m")
"""A title carrying a window title, a screen clear, a carriage return, a clipboard write,
a hyperlink, a bidi override and a one-byte CSI."""

DANGEROUS = [chr(c) for c in (*range(0x00, 0x09), *range(0x0b, 0x20), *range(0x7f, 0xa0))]
DANGEROUS += [chr(c) for c in (*range(0x202a, 0x202f), *range(0x2066, 0x206a))]


def all_files(folder: Path) -> dict[str, tuple[bytes, int]]:
    """Every file below ``folder`` with its bytes and mtime: what reading must not change."""
    return {str(p.relative_to(folder)): (p.read_bytes(), p.stat().st_mtime_ns)
            for p in sorted(folder.rglob("*")) if p.is_file()}


@pytest.fixture
def store_path(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A store with one post, given by $PLANTERM_STORE."""
    path = tmp_path / "data" / "plan.json"
    monkeypatch.setenv("PLANTERM_STORE", str(path))
    assert run(["add", "Premier", "--on", "2026-12-03T10:00"]) == 0
    return path


@pytest.mark.parametrize("argv", [["list"], ["week"], ["check"], ["list", "--json"]])
def test_reading_a_missing_store_creates_nothing(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], argv: list[str]
) -> None:
    before = all_files(tmp_path)
    typo = tmp_path / "typo" / "plna.json"
    assert run(["--store", str(typo), *argv]) == 1
    err = capsys.readouterr().err
    assert err.strip() == f"planterm: no store at {typo}"
    assert not (tmp_path / "typo").exists()
    assert all_files(tmp_path) == before


def test_a_write_command_creates_a_store_and_says_so(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "new" / "plan.json"
    assert run(["--store", str(path), "add", "Premier"]) == 0
    assert f"created a new store at {path}" in capsys.readouterr().err
    assert Store(path).post_count() == 1


def test_read_commands_change_no_file(store_path: Path,
                                      capsys: pytest.CaptureFixture[str]) -> None:
    # a journal left by a process that ended without closing, and no lock file yet
    code = ("import sys, os; from pathlib import Path; from planterm.store import Store; "
            "from planterm.model import Post; s = Store(Path(sys.argv[1])); "
            "s.add_post(Post(title='dans le journal')); os._exit(0)")
    subprocess.run([sys.executable, "-c", code, str(store_path)], check=True)
    lock = store_path.with_name(store_path.name + ".lock")
    lock.unlink(missing_ok=True)
    folder = store_path.parent
    before = all_files(folder)
    assert store_path.with_name(store_path.name + ".journal").exists()
    for argv in (["check"], ["list"], ["week", "2026-12-03"], ["list", "--json"], ["show", "1"],
                 ["show", "1", "--json"], ["list", "--warnings"]):
        assert run(argv) == 0, capsys.readouterr()
    assert "2 posts" in run_out(["list"], capsys)
    assert all_files(folder) == before
    assert not lock.exists()


def run_out(argv: list[str], capsys: pytest.CaptureFixture[str]) -> str:
    """Run a command that must succeed; its standard output."""
    assert run(argv) == 0
    return capsys.readouterr().out


def test_check_compact_is_the_explicit_write(store_path: Path,
                                             capsys: pytest.CaptureFixture[str]) -> None:
    Store(store_path).add_post(Post(title="encore"))  # left open: the journal stays
    journal = store_path.with_name(store_path.name + ".journal")
    assert journal.exists()
    assert "compacted" in run_out(["check", "--compact"], capsys)
    assert not journal.exists()


def test_stored_escape_sequences_reach_no_cli_output(
    store_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    outputs = [run_out(["add", HOSTILE, "--on", "2026-12-03T11:00", "--body", HOSTILE], capsys)]
    outputs.append(run_out(["set", "2", f"notes={HOSTILE}", "on=2026-12-03T12:00"], capsys))
    outputs.append(run_out(["list"], capsys))
    outputs.append(run_out(["week", "2026-12-03"], capsys))
    assert run(["event", "add", HOSTILE, "--on", "2026-12-03T18:00", "--place", HOSTILE]) == 0
    outputs.append(capsys.readouterr().out)
    outputs.append(run_out(["week", "2026-12-03"], capsys))
    outputs.append(run_out(["show", "2"], capsys))
    assert run(["set", "2", f"title={HOSTILE}", "status=published"]) == 2
    outputs.append(capsys.readouterr().err)
    for text in outputs:
        assert not [c for c in DANGEROUS if c in text], repr(text)
        assert "PWNED" in text or "published" in text
    assert "␛]0;PWNED␇" in outputs[0]


def test_json_keeps_the_exact_text_escaped(store_path: Path,
                                           capsys: pytest.CaptureFixture[str]) -> None:
    assert run(["add", HOSTILE]) == 0
    capsys.readouterr()
    raw = run_out(["list", "--json"], capsys)
    assert not [c for c in DANGEROUS if c in raw]
    assert [p["title"] for p in json.loads(raw)][-1] == HOSTILE


@pytest.mark.parametrize(
    "argv",
    [["add", "x", "--on", "0001-01-01 10:00"], ["add", "x", "--on", "+9999999d"],
     ["week", "9999-12-31"], ["week", "0001-01-01"], ["list", "--from", "2201-01-01"],
     ["set", "1", "on=1899-12-31 10:00"], ["event", "add", "x", "--on", "+99999999999d"]],
)
def test_far_dates_are_one_line_and_exit_2(
    store_path: Path, capsys: pytest.CaptureFixture[str], argv: list[str]
) -> None:
    before = all_files(store_path.parent)
    assert run(argv) == 2
    captured = capsys.readouterr()
    assert captured.out == ""
    assert captured.err.count("\n") == 1 and "between 1900 and 2200" in captured.err
    assert all_files(store_path.parent) == before


def test_stored_times_are_zero_padded_iso(store_path: Path,
                                          capsys: pytest.CaptureFixture[str]) -> None:
    assert run(["add", "loin", "--on", "1900-01-02 10:00"]) == 0
    Store(store_path).close()
    docs = json.loads(store_path.read_text())["posts"]
    times = [d[k] for d in docs.values() for k in ("scheduled", "created", "updated")]
    assert all(re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ", t) for t in times), times
    assert any(t.startswith("1900-01-02T") for t in times)


def test_a_repeated_wall_clock_time_is_taken_with_a_note(
    store_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert run(["add", "changement d'heure", "--on", "2026-10-25 02:30"]) == 0
    captured = capsys.readouterr()
    assert "10:30" not in captured.out
    assert "happens twice in Europe/Paris" in captured.err
    assert "2026-10-25T02:30+01:00" in captured.err


def test_invalid_utf8_argument_is_one_line_and_exit_2(store_path: Path) -> None:
    before = all_files(store_path.parent)
    done = subprocess.run([sys.executable.encode(), b"-m", b"planterm", b"add", b"bad\xffbyte"],
                          capture_output=True, env={**os.environ, "PYTHONUTF8": "1"})
    assert done.returncode == 2
    err = done.stderr.decode()
    assert err.count("\n") == 1 and "not valid UTF-8" in err and "Traceback" not in err
    assert all_files(store_path.parent) == before


def test_a_read_only_store_file_is_refused_for_writing(
    store_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    os.chmod(store_path, 0o444)
    assert run(["add", "non"]) == 1
    assert "read-only" in capsys.readouterr().err
    assert os.stat(store_path).st_mode & 0o777 == 0o444
    assert run(["list"]) == 0  # reading still works


def test_unknown_keymap_id_is_refused_naming_the_file_and_the_ids(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    config = Path(os.environ["PLANTERM_CONFIG"])
    config.write_text('[keymap]\nquit = "ctrl+q"\n')
    assert run(["--store", str(tmp_path / "plan.json")]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1
    assert "keymap.quit is not a binding id" in err and str(config) in err
    assert "app.quit" in err and "post.next_status" in err
    assert not (tmp_path / "plan.json").exists()


def test_a_keymap_id_from_before_the_shared_post_keys_names_its_new_id(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    config = Path(os.environ["PLANTERM_CONFIG"])
    config.write_text('[keymap]\n"calendar.next_status" = "x"\n')
    assert run(["--store", str(tmp_path / "plan.json")]) == 2
    err = capsys.readouterr().err
    assert "keymap.calendar.next_status is not a binding id" in err
    assert err.rstrip().endswith("it is now post.next_status")
