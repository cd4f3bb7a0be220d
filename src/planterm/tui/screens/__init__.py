"""Screens of the planterm TUI: one screen or modal per file."""
