"""``python -m planterm``: the same as the ``planterm`` command."""

from planterm.cli import main

main()
