"""What every command of the CLI shares: the stderr console, error lines, exit statuses, pack loading.

Defined once so that ``extract``, ``diff``, ``audit`` and ``rules`` print a problem, and refuse a bad
rule pack, the same way: one ``error: …`` line each, exit status 2.

The stderr console (``err``, or :func:`err_console`) is a rich console made on first use: importing
rich's console costs a run a few hundredths of a second, and ``factx extract -q`` that meets no
problem prints nothing on stderr.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Sequence
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any, NoReturn

import typer

if TYPE_CHECKING:
    from rich.console import Console

    from factx.packs.ruleset import RuleSet

    err: Console  # the stderr console, made on first use (module __getattr__ below)

EXIT_OK, EXIT_PARTIAL, EXIT_USAGE = 0, 1, 2
EXIT_BROKEN_PIPE = 141  # 128 + SIGPIPE, what a shell reports for `factx … | head`


@cache
def err_console() -> Console:
    """The console every command prints its problems and summaries to (stderr), made once."""
    from rich.console import Console

    return Console(stderr=True, highlight=False, soft_wrap=True)


def __getattr__(name: str) -> Any:
    """``err`` (``from factx.cli_common import err``): the stderr console, made when first imported by
    name or read, so that a run which prints nothing on stderr does not import rich's console."""
    if name == "err":
        return err_console()
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def error(message: str) -> None:
    """One ``error: MESSAGE`` line on stderr (the message is printed as is, never as markup)."""
    from rich.markup import escape

    err_console().print(f"[bold red]error:[/] {escape(message)}")


def usage_error(message: str) -> NoReturn:
    """An error line, then exit 2: the user's command cannot be carried out as written."""
    error(message)
    raise typer.Exit(EXIT_USAGE)


def silence_stdout() -> None:
    """After a broken pipe (``factx … | head``): point stdout at /dev/null, so that the interpreter's
    final flush does not fail again and print a traceback."""
    devnull = os.open(os.devnull, os.O_WRONLY)
    try:
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError):
        pass
    finally:
        os.close(devnull)


def load_packs_or_exit(packs: Sequence[Path], builtin: bool = True) -> RuleSet:
    """The built-in packs (unless not ``builtin``) and ``packs``, compiled; or every pack error as
    ``file:line:column: cause``, one line each, and exit 2."""
    # Imported here, not with the CLI: the help and commands without packs start without them.
    from factx.packs import PackError, load_ruleset
    from factx.packs.errors import all_errors

    try:
        return load_ruleset(list(packs), builtin=builtin)
    except PackError as exc:
        for pack_error in all_errors(exc):
            error(str(pack_error))
        raise typer.Exit(EXIT_USAGE) from None
