"""``python -m kennisgraaf`` runs the command line."""

from kennisgraaf.cli import main

main()
