"""``python -m fogwatch`` is the ``fogwatch`` command."""

from .cli import main

main()
