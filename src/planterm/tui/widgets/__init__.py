"""Widgets of the planterm TUI: one widget per file."""
