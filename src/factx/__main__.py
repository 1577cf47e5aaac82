"""``python -m factx`` runs the command-line tool."""

from factx.cli import main

if __name__ == "__main__":
    main()
