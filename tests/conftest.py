"""Shared fixtures: every test works on copies in tmp_path, with its own settings."""

from __future__ import annotations

from pathlib import Path

import pytest


@pytest.fixture(autouse=True)
def isolated_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Point settings, data and the store into tmp_path: never touch the real home."""
    home = tmp_path / ".home"
    home.mkdir()
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(home / ".config"))
    monkeypatch.setenv("XDG_DATA_HOME", str(home / ".local" / "share"))
    monkeypatch.setenv("PLANTERM_CONFIG", str(home / "config.toml"))
    monkeypatch.delenv("PLANTERM_STORE", raising=False)
    return home
