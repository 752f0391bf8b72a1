"""``python -m alliance_kg`` runs the command-line interface."""

from .cli import main

main()
