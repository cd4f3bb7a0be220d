"""Every subcommand: its success path, and its bad-input path leaving the store untouched."""

from __future__ import annotations

import argparse
import fcntl
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from planterm.cli import run
from planterm.model import Post
from planterm.store import SCHEMA, Store


@pytest.fixture
def store_path(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A store seeded with the demo's objectives and themes, given by $PLANTERM_STORE."""
    path = tmp_path / "plan.json"
    monkeypatch.setenv("PLANTERM_STORE", str(path))
    assert run(["--demo", "check"]) == 0  # the demo works on a temporary copy
    demo = json.loads((Path(__file__).parents[1] / "data" / "demo.json").read_text())
    seeded = {"meta": {"1": {"app": "planterm", "schema": SCHEMA}},
              "objectives": demo["objectives"], "themes": demo["themes"]}
    path.write_text(json.dumps(seeded))
    return path


def files(path: Path) -> dict[str, bytes]:
    """Every store file (main, journal) and its bytes: what must not change on failure."""
    return {p.name: p.read_bytes() for p in path.parent.glob(path.name + "*") if p.is_file()
            and not p.name.endswith(".lock")}


def out(capsys: pytest.CaptureFixture[str]) -> tuple[str, str]:
    captured = capsys.readouterr()
    return captured.out, captured.err


def test_add_then_week_json(store_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert run(["add", "Teaser du vernissage", "--on", "2026-12-03T19:00", "--channel", "ig",
                "--channel", "bsky", "--objective", "visites", "--theme", "prehistoire",
                "--status", "draft", "--body", "Jeudi soir !"]) == 0
    assert "added post 1" in out(capsys)[0]
    assert run(["week", "2026-12-01", "--json"]) == 0
    (post,) = json.loads(out(capsys)[0])
    assert post["id"] == 1
    assert post["scheduled"] == "2026-12-03T19:00:00+01:00"
    assert post["channels"] == ["instagram", "bluesky"]
    assert post["status"] == "draft"
    assert {"title", "body", "objectives", "themes", "event", "flags"} <= set(post)


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["add", "x", "--on", "blorp"], "--on"),
        (["add", "x", "--on", "31 févr"], "--on"),
        (["add", "x", "--channel", "myspace"], "myspace"),
        (["add", "x", "--theme", "astrologie"], "astrologie"),
        (["add", "x", "--status", "done"], "status"),
        (["add", "x", "--status", "scheduled"], "--on"),
        (["add", "x", "--event", "999"], "event"),
        (["add", "  "], "title"),
        (["event", "add", "Visite", "--on", "demain 25h"], "--on"),
        (["event", "add", "Visite", "--on", "demain 10h", "--rrule", "FREQ=SOMETIMES"], "rrule"),
        (["event", "add", "Visite", "--on", "demain 10h", "--end", "demain 9h"], "--end"),
        (["event", "add", "Visite", "--on", "demain 10h", "--kind", "party"], "kind"),
        (["week", "never"], "date"),
        (["list", "--status", "maybe"], "status"),
        (["list", "--from", "yesterday-ish"], "--from"),
        (["set", "1", "status=published"], "status"),
        (["set", "1", "colour=red"], "colour"),
        (["set", "1", "title"], "field=value"),
        (["set", "42", "title=x"], "42"),
        (["set", "one", "title=x"], "invalid int"),
        (["frobnicate"], "invalid choice"),
        (["list", "--from", "2026-12-03", "--to", "2026-12-01"], "is not after --from"),
        (["list", "--from", "2026-12-03", "--to", "2026-12-03"], "is not after --from"),
        (["list", "--event", "dinosaures"], "no event title contains"),
        (["list", "--warnings", "--from", "demain", "--to", "hier"], "--to"),
        (["show", "42"], "no post with id 42"),
        (["show", "1", "--channel", "myspace"], "myspace"),
        (["show", "1", "--channel", "x"], "does not go out on x"),
        (["show", "1", "--channel", "ig", "--json"], "not allowed with"),
        (["delete", "42", "--yes"], "no post with id 42"),
        (["delete", "1"], "--yes"),
        (["add", "x", "--status", "approved", "--channel", "x", "--body", "a" * 281],
         "too long to be approved: X 281/280 (1 over)"),
        (["set", "1", "body=" + "a" * 300, "channels=x", "status=review", "status=approved"],
         "status: too long to be approved: X 300/280 (20 over)"),
    ],
)
def test_bad_input_exits_2_with_one_line_and_writes_nothing(
    store_path: Path, capsys: pytest.CaptureFixture[str], argv: list[str], message: str
) -> None:
    assert run(["add", "existing", "--status", "draft", "--channel", "ig"]) == 0
    capsys.readouterr()
    before = files(store_path)
    assert run(argv) == 2
    stdout, stderr = out(capsys)
    assert stdout == ""
    assert len(stderr.strip().splitlines()) == 1, stderr
    assert message in stderr
    assert "Traceback" not in stderr
    assert files(store_path) == before


@pytest.mark.parametrize(("argv", "said"), [
    (["--bogus"], "planterm: unrecognized arguments: --bogus (see planterm --help)"),
    (["add", "x", "--bogus"], "planterm: unrecognized arguments: --bogus (see planterm --help)"),
    (["list", "--status"], "planterm: list: argument --status: expected one argument "
                           "(see planterm list --help)"),
])
def test_a_usage_error_names_planterm_once_and_the_command_it_is_about(
    store_path: Path, capsys: pytest.CaptureFixture[str], argv: list[str], said: str
) -> None:
    assert run(argv) == 2
    assert out(capsys)[1].strip() == said


def test_demo_flag_before_or_after_never_touches_the_user_store(
    store_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    before = files(store_path)
    for argv in (["--demo", "week"], ["week", "--demo"]):
        assert run(argv) == 0
        text = out(capsys)[0]
        assert text.count("\n") > 30  # the demo's current week is full
    assert run(["--demo", "add", "dans la démo"]) == 0
    assert files(store_path) == before


def test_event_add_and_week_shows_occurrences(store_path: Path,
                                              capsys: pytest.CaptureFixture[str]) -> None:
    assert run(["event", "add", "Visite guidée", "--on", "2026-12-05T15:00", "--kind", "tour",
                "--place", "Hall", "--hashtag", "VisiteDuSamedi",
                "--rrule", "FREQ=WEEKLY;BYDAY=SA;COUNT=4"]) == 0
    assert "added event 1" in out(capsys)[0]
    assert run(["week", "2026-12-16"]) == 0
    text = out(capsys)[0]
    assert "15:00  ◆ event 1: Visite guidée (tour, Hall)" in text
    assert Store(store_path).get_event(1).hashtag == "#VisiteDuSamedi"


def test_list_filters(store_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    run(["add", "Préhistoire au musée", "--theme", "prehistoire", "--channel", "ig",
         "--status", "draft"])
    run(["add", "Autre chose", "--channel", "x"])
    capsys.readouterr()
    cases = {
        ("--theme", "prehistoire"): ["Préhistoire au musée"],
        ("--channel", "x"): ["Autre chose"],
        ("--status", "draft"): ["Préhistoire au musée"],
        ("--text", "MUSÉE"): ["Préhistoire au musée"],
    }
    for args, titles in cases.items():
        assert run(["list", *args, "--json"]) == 0
        assert [p["title"] for p in json.loads(out(capsys)[0])] == titles
    assert run(["list"]) == 0
    assert "2 posts" in out(capsys)[0]


def test_set_changes_fields_with_the_rules(store_path: Path,
                                           capsys: pytest.CaptureFixture[str]) -> None:
    run(["add", "Brouillon", "--status", "idea"])
    assert run(["set", "1", "status=draft", "title=Nouveau titre", "on=2026-12-03 19h",
                "channels=ig,fb", "themes=prehistoire", "hashtags=musee expo", "notes=ok"]) == 0
    post = Store(store_path).get_post(1)
    assert post is not None
    assert (post.status, post.title, post.channels, post.hashtags) == (
        "draft", "Nouveau titre", ["instagram", "facebook"], ["#musee", "#expo"])
    assert run(["set", "1", "status=approved"]) == 2
    assert "one step at a time" in out(capsys)[1]


def test_check(store_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    run(["add", "ok"])
    capsys.readouterr()
    assert run(["check"]) == 0
    assert ": ok (1 post, 0 events" in out(capsys)[0]
    data = json.loads(store_path.read_text())
    data["posts"]["1"]["themes"] = ["fantome"]
    store_path.write_text(json.dumps(data))
    before = files(store_path)
    assert run(["check"]) == 1
    assert "post 1: themes: unknown theme 'fantome'" in out(capsys)[0]
    assert files(store_path) == before


def test_corrupt_store_one_line_untouched(store_path: Path,
                                         capsys: pytest.CaptureFixture[str]) -> None:
    store_path.write_text('{"posts": {"1": {"title": "x"}')
    before = files(store_path)
    for argv in (["week"], ["add", "x"], ["check"]):
        assert run(argv) == 1
        stderr = out(capsys)[1]
        assert len(stderr.strip().splitlines()) == 1
        assert "not valid JSON" in stderr
    assert files(store_path) == before


def test_bad_settings_value(store_path: Path, capsys: pytest.CaptureFixture[str],
                            isolated_home: Path) -> None:
    config = Path(os.environ["PLANTERM_CONFIG"])
    config.write_text('timezone = "Mars/Olympus"\n')
    before = files(store_path)
    assert run(["week"]) == 2
    stderr = out(capsys)[1]
    assert "timezone" in stderr and "Mars/Olympus" in stderr and str(config) in stderr
    assert len(stderr.strip().splitlines()) == 1
    assert files(store_path) == before


def test_busy_store_fails_after_waiting(store_path: Path, capsys: pytest.CaptureFixture[str],
                                        monkeypatch: pytest.MonkeyPatch) -> None:
    import planterm.cli

    monkeypatch.setattr(planterm.cli, "LOCK_TIMEOUT", 0.3)
    fd = os.open(str(store_path) + ".lock", os.O_RDWR | os.O_CREAT)
    fcntl.flock(fd, fcntl.LOCK_EX)
    try:
        before = files(store_path)
        assert run(["add", "x"]) == 1
        assert "busy" in out(capsys)[1]
        assert files(store_path) == before
    finally:
        os.close(fd)


@pytest.mark.parametrize("command", [[], ["add"], ["event", "add"], ["week"], ["list"], ["set"],
                                     ["check"], ["show"], ["delete"]])
def test_every_subcommand_has_help(command: list[str], capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exit_:
        run([*command, "--help"])
    assert exit_.value.code == 0
    assert "usage: planterm" in out(capsys)[0]


def _subparsers(parser: argparse.ArgumentParser) -> dict[str, argparse.ArgumentParser]:
    (action,) = (a for a in parser._actions if isinstance(a, argparse._SubParsersAction))
    return dict(action.choices)


def test_a_command_is_read_by_its_own_parser_alone() -> None:
    """``parse_args`` builds only the parser of the command it is given: that parser is the
    one the whole command line has, help and all, and every command has one."""
    from planterm import cli, cli_interop

    whole = _subparsers(cli.build_parser())
    assert set(whole) == set(cli.COMMANDS) | set(cli_interop.COMMANDS)
    for name, parser in whole.items():
        alone = _subparsers(cli.build_parser(name))
        assert set(alone) == next(set(names) for names, _ in cli._PARSERS if name in names)
        assert alone[name].format_help() == parser.format_help()
    assert set(_subparsers(cli.build_parser("nonsense"))) == set(whole)


def test_console_script_installed() -> None:
    result = subprocess.run([sys.executable, "-m", "planterm", "--help"], capture_output=True,
                            text=True, check=False)
    assert result.returncode == 0
    assert "planterm" in result.stdout


def test_core_does_not_import_textual() -> None:
    code = ("import sys, importlib, pkgutil, planterm\n"
            "core = [m.name for m in pkgutil.walk_packages(planterm.__path__, 'planterm.') "
            "if not m.name.startswith(('planterm.tui', 'planterm.__main__'))]\n"
            "assert {'planterm.glossary', 'planterm.coverage'} <= set(core), core\n"
            "for name in core: importlib.import_module(name)\n"
            "bad = [m for m in sys.modules if m.split('.')[0] in ('textual', 'rich')]\n"
            "print(bad); sys.exit(1 if bad else 0)")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                            check=False)
    assert result.returncode == 0, result.stdout + result.stderr


@pytest.mark.parametrize("argv", [["set", "1", "status=draft"], ["list", "--json"], ["check"]])
def test_a_command_loads_only_what_it_needs(store_path: Path, argv: list[str]) -> None:
    """Events, coverage, templates, live mode, review and the demo are not on the path of
    the commands issue 9 times (each module costs every start its import)."""
    assert run(["add", "un"]) == 0
    code = ("import sys\nfrom planterm.cli import run\n"
            f"code = run({argv!r})\n"
            "print(' '.join(sorted(m for m in sys.modules if m.startswith('planterm.'))))\n"
            "sys.exit(code)")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                            check=False, env=os.environ)
    assert result.returncode == 0, result.stderr
    loaded = set(result.stdout.splitlines()[-1].split())  # after what the command printed
    assert {"planterm.store", "planterm.readiness"} <= loaded
    assert not loaded & {"planterm.events", "planterm.coverage", "planterm.templates",
                         "planterm.live", "planterm.review", "planterm.demo"}, loaded


def test_daily_backup_on_first_open_only(store_path: Path) -> None:
    from planterm import backups

    assert run(["add", "un"]) == 0
    assert run(["add", "deux"]) == 0
    (daily,) = backups.listing(store_path)
    assert daily.name.endswith("-daily.json")
    assert os.stat(daily).st_mode & 0o777 == 0o600
    assert json.loads(daily.read_text())["objectives"]  # a whole snapshot of the store


def test_torn_journal_is_reported_as_a_warning(store_path: Path,
                                              capsys: pytest.CaptureFixture[str]) -> None:
    store = Store(store_path)
    store.add_post(Post(title="gardé"))
    journal = Path(str(store_path) + ".journal")
    journal.write_bytes(journal.read_bytes() + b"0000004a 1234abcd {\"t\": \"po")
    assert run(["list", "--json"]) == 0
    captured = capsys.readouterr()
    assert [p["title"] for p in json.loads(captured.out)] == ["gardé"]
    assert "dropped a torn last record" in captured.err
