"""Defaults the CLI shows in its help and the library runs with, in a module that imports nothing, so
that ``factx --help`` can show them without loading the extraction stack."""

DEFAULT_TIMEOUT = 5.0  # seconds per rule and document: a runaway pattern cannot hang a run
