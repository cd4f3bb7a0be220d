"""planterm: a keyboard-driven terminal planner for a cultural institution's social media."""

__version__ = "0.1.0"
