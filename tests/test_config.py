"""Settings: first-run defaults, round trip, refused values, store precedence, paths."""

from __future__ import annotations

import getpass
import os
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

from planterm.config import (
    KNOWN_KEYS,
    Settings,
    SettingsError,
    config_path,
    load_settings,
    resolve_store,
    to_toml,
)


@pytest.fixture(autouse=True)
def _isolated_home(isolated_home: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The shared isolated home, with the settings at their default XDG place."""
    monkeypatch.delenv("PLANTERM_CONFIG", raising=False)
    return isolated_home


def _write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "config.toml"
    path.write_text(text, encoding="utf-8")
    return path


# --- first run and round trip -------------------------------------------------------------


def test_first_run_writes_defaults_readable_by_tomllib(tmp_path: Path) -> None:
    path = tmp_path / "cfg" / "planterm" / "config.toml"

    settings = load_settings(path)

    assert settings == Settings()
    assert path.is_file()
    data = tomllib.loads(path.read_text(encoding="utf-8"))
    assert tuple(data) == KNOWN_KEYS
    assert data == {
        "timezone": "Europe/Paris",
        "week_start": "monday",
        "locale": "fr",
        "store": str(Settings().store),
        "backups": 10,
        "channels": ["instagram", "facebook", "mastodon", "bluesky"],
        "reviewer": getpass.getuser(),
        "keymap": {},
    }


@pytest.mark.skipif(os.name != "posix", reason="POSIX permissions")
def test_first_run_creates_private_directories(tmp_path: Path) -> None:
    path = tmp_path / "a" / "b" / "config.toml"

    load_settings(path)

    for directory in (tmp_path / "a", tmp_path / "a" / "b"):
        assert directory.stat().st_mode & 0o777 == 0o700


def test_create_false_returns_defaults_without_writing(tmp_path: Path) -> None:
    path = tmp_path / "none" / "config.toml"

    assert load_settings(path, create=False) == Settings()
    assert not path.exists()
    assert not path.parent.exists()


def test_second_run_reads_what_the_first_wrote(tmp_path: Path) -> None:
    path = tmp_path / "config.toml"
    first = load_settings(path)
    text = path.read_text(encoding="utf-8")

    assert load_settings(path) == first
    assert path.read_text(encoding="utf-8") == text


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="XDG paths")
def test_default_store_is_in_user_data_dir(_isolated_home: Path) -> None:
    assert Settings().store == _isolated_home / ".local" / "share" / "planterm" / "plan.json"


@pytest.mark.parametrize(
    "settings",
    [
        Settings(),
        Settings(
            timezone="America/Montreal",
            week_start="sunday",
            locale="en",
            store=Path("/srv/museum/plan.json"),
            backups=3,
            channels=("mastodon",),
            keymap={"quit": "ctrl+q", "next_status": "s,ctrl+n"},
        ),
        Settings(channels=(), store=Path('/tmp/odd "name" \\ ü.json')),
    ],
    ids=["defaults", "custom", "odd-values"],
)
def test_round_trip(tmp_path: Path, settings: Settings) -> None:
    path = _write(tmp_path, to_toml(settings))

    assert load_settings(path) == settings


def test_missing_keys_take_defaults(tmp_path: Path) -> None:
    path = _write(tmp_path, 'timezone = "Asia/Tokyo"\n')

    assert load_settings(path) == Settings(timezone="Asia/Tokyo")


def test_keymap_ids_may_be_written_unquoted(tmp_path: Path) -> None:
    # TOML reads app.quit = ... as a nested table: it is the id "app.quit" all the same.
    path = _write(tmp_path, '[keymap]\napp.quit = "ctrl+q"\n"post.next_status" = "x"\n')
    settings = load_settings(path)
    assert dict(settings.keymap) == {"app.quit": "ctrl+q", "post.next_status": "x"}


def test_settings_file_example_names_a_real_binding_id(tmp_path: Path) -> None:
    path = tmp_path / "config.toml"
    load_settings(path)
    assert 'e.g. app.quit = "ctrl+q"' in path.read_text()


def test_keymap_table_is_read(tmp_path: Path) -> None:
    path = _write(tmp_path, '[keymap]\nquit = "ctrl+q"\n')

    settings = load_settings(path)

    assert dict(settings.keymap) == {"quit": "ctrl+q"}
    with pytest.raises(TypeError):
        settings.keymap["quit"] = "q"  # type: ignore[index]


def test_relative_store_is_next_to_the_settings_file(tmp_path: Path) -> None:
    path = _write(tmp_path, 'store = "plans/plan.json"\n')

    assert load_settings(path).store == tmp_path / "plans" / "plan.json"


def test_store_tilde_in_file_is_expanded(tmp_path: Path, _isolated_home: Path) -> None:
    path = _write(tmp_path, 'store = "~/plan.json"\n')

    assert load_settings(path).store == _isolated_home / "plan.json"


# --- refused values -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("line", "key", "shown"),
    [
        ('timezone = "Mars/Olympus"', "timezone", '"Mars/Olympus"'),
        ('timezone = "../etc/passwd"', "timezone", '"../etc/passwd"'),
        ('timezone = ""', "timezone", '""'),
        ("timezone = 2", "timezone", "2"),
        ('week_start = "funday"', "week_start", '"funday"'),
        ("week_start = 1", "week_start", "1"),
        ('locale = "de"', "locale", '"de"'),
        ("backups = 0", "backups", "0"),
        ("backups = -2", "backups", "-2"),
        ('backups = "ten"', "backups", '"ten"'),
        ("backups = true", "backups", "true"),
        ("backups = 2.5", "backups", "2.5"),
        ('channels = "ig"', "channels", '"ig"'),
        ('channels = ["ig", ""]', "channels", '""'),
        ('channels = ["ig", 3]', "channels", "3"),
        ('channels = ["ig", "ig"]', "channels", '"ig"'),
        ("store = 5", "store", "5"),
        ('store = ""', "store", '""'),
        ('keymap = "ctrl+q"', "keymap", '"ctrl+q"'),
        ("keymap = {quit = 5}", "keymap", "5"),
        ('keymap = {quit = ""}', "keymap", '""'),
    ],
)
def test_bad_value_names_key_value_and_file(
    tmp_path: Path, line: str, key: str, shown: str
) -> None:
    path = _write(tmp_path, line + "\n")

    with pytest.raises(SettingsError) as info:
        load_settings(path)

    message = str(info.value)
    assert message.startswith(f"settings: {key}")
    assert shown in message
    assert str(path) in message
    assert "\n" not in message


def test_timezone_message_reads_as_documented(tmp_path: Path) -> None:
    path = _write(tmp_path, 'timezone = "Mars/Olympus"\n')

    with pytest.raises(SettingsError) as info:
        load_settings(path)

    assert str(info.value) == (
        f'settings: timezone = "Mars/Olympus" is not a known time zone (in {path})'
    )


def test_unknown_key_lists_known_keys(tmp_path: Path) -> None:
    path = _write(tmp_path, 'timezone = "Europe/Paris"\ncolour = "red"\n')

    with pytest.raises(SettingsError) as info:
        load_settings(path)

    message = str(info.value)
    assert message.startswith(f'settings: unknown key "colour" (in {path}); known keys: ')
    assert all(key in message for key in KNOWN_KEYS)


@pytest.mark.parametrize(
    ("text", "line"),
    [
        ('timezone = "Europe/Paris"\nweek_start = \n', 2),
        ('timezone = "Europe/Paris"\nlocale = "fr"\n[keymap\n', 3),
        ('timezone = "Europe/Paris"\ntimezone = "Asia/Tokyo"\n', 2),
    ],
    ids=["missing-value", "broken-table", "duplicate-key"],
)
def test_invalid_toml_names_file_and_line(tmp_path: Path, text: str, line: int) -> None:
    path = _write(tmp_path, text)

    with pytest.raises(SettingsError) as info:
        load_settings(path)

    message = str(info.value)
    assert str(path) in message
    assert f"line {line}" in message
    assert "\n" not in message


def test_file_not_utf8_names_file_and_line(tmp_path: Path) -> None:
    path = tmp_path / "config.toml"
    path.write_bytes(b'timezone = "Europe/Paris"\nlocale = "\xe9"\n')

    with pytest.raises(SettingsError) as info:
        load_settings(path)

    assert str(path) in str(info.value)
    assert "line 2" in str(info.value)


def test_bad_file_is_left_untouched(tmp_path: Path) -> None:
    path = _write(tmp_path, "backups = 0\n")

    with pytest.raises(SettingsError):
        load_settings(path)

    assert path.read_text(encoding="utf-8") == "backups = 0\n"


@pytest.mark.parametrize(
    ("kwargs", "key"),
    [
        ({"timezone": "Mars/Olympus"}, "timezone"),
        ({"week_start": "funday"}, "week_start"),
        ({"locale": "de"}, "locale"),
        ({"backups": 0}, "backups"),
        ({"channels": ("ig", "")}, "channels"),
    ],
)
def test_settings_built_in_code_are_checked_too(kwargs: dict[str, object], key: str) -> None:
    with pytest.raises(SettingsError, match=f"^settings: {key} = "):
        Settings(**kwargs)  # type: ignore[arg-type]


# --- properties -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("week_start", "index"),
    [("monday", 0), ("wednesday", 2), ("saturday", 5), ("sunday", 6), ("Sunday", 6)],
)
def test_week_start_index(week_start: str, index: int) -> None:
    settings = Settings(week_start=week_start)

    assert settings.week_start_index == index
    assert settings.week_start == week_start.lower()


def test_tz_is_a_zoneinfo() -> None:
    assert Settings(timezone="Asia/Tokyo").tz.key == "Asia/Tokyo"


def test_settings_are_hashable_and_frozen() -> None:
    settings = Settings(keymap={"quit": "ctrl+q"})

    hash(settings)
    with pytest.raises(AttributeError):
        settings.backups = 2  # type: ignore[misc]


# --- the store and the settings file --------------------------------------------------------


@pytest.mark.parametrize(
    ("cli", "env", "expected"),
    [
        ("/cli/plan.json", {"PLANTERM_STORE": "/env/plan.json"}, Path("/cli/plan.json")),
        ("/cli/plan.json", {}, Path("/cli/plan.json")),
        (None, {"PLANTERM_STORE": "/env/plan.json"}, Path("/env/plan.json")),
        ("", {"PLANTERM_STORE": "/env/plan.json"}, Path("/env/plan.json")),
        (None, {"PLANTERM_STORE": ""}, Path("/settings/plan.json")),
        (None, {}, Path("/settings/plan.json")),
    ],
    ids=["cli-beats-env", "cli", "env", "empty-cli", "empty-env", "settings"],
)
def test_resolve_store_precedence(cli: str | None, env: dict[str, str], expected: Path) -> None:
    settings = Settings(store=Path("/settings/plan.json"))

    assert resolve_store(settings, cli, env) == expected


@pytest.mark.parametrize(
    ("cli", "env", "store"),
    [
        ("~/cli.json", {}, "/settings/plan.json"),
        (None, {"PLANTERM_STORE": "~/cli.json"}, "/settings/plan.json"),
        (None, {}, "~/cli.json"),
    ],
    ids=["cli", "env", "settings"],
)
def test_resolve_store_expands_tilde(
    _isolated_home: Path, cli: str | None, env: dict[str, str], store: str
) -> None:
    settings = Settings(store=Path(store))

    assert resolve_store(settings, cli, env) == _isolated_home / "cli.json"


def test_config_path_honours_planterm_config(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "elsewhere" / "my.toml"
    monkeypatch.setenv("PLANTERM_CONFIG", str(path))

    assert config_path() == path
    assert load_settings() == Settings()
    assert path.is_file()


def test_load_settings_reads_planterm_config(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = _write(tmp_path, 'locale = "en"\n')
    monkeypatch.setenv("PLANTERM_CONFIG", str(path))

    assert load_settings().locale == "en"


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="XDG paths")
def test_config_path_defaults_to_xdg_config_home(_isolated_home: Path) -> None:
    expected = _isolated_home / ".config" / "planterm" / "config.toml"

    assert config_path() == expected
    load_settings()
    assert expected.is_file()


def test_config_is_a_core_module() -> None:
    code = "import sys, planterm.config; print('textual' in sys.modules or 'rich' in sys.modules)"
    env = {**os.environ, "PYTHONPATH": str(Path(__file__).parents[1] / "src")}
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, env=env
    )

    assert out.stdout.strip() == "False"


def test_the_reviewer_is_the_login_name_unless_the_settings_say(tmp_path: Path) -> None:
    assert Settings().reviewer == getpass.getuser()
    assert load_settings(_write(tmp_path, 'reviewer = " Camille "\n')).reviewer == "Camille"
    for bad in ('reviewer = ""', "reviewer = 3", 'reviewer = "a\\nb"'):
        with pytest.raises(SettingsError, match=r"settings: reviewer = .* must be a name"):
            load_settings(_write(tmp_path, bad + "\n"))
