"""What a run tells the person at the terminal: a progress bar, each problem, a closing summary.

In: :class:`~factx.run.RunProgress` updates, :class:`~factx.sources.Problem` and
:class:`~factx.run.RunSummary` objects. Out: lines and a live bar on a rich console (stderr).

rich is imported only when something is shown (a bar, a problem): a quiet run that meets no problem
(``factx extract -q``) starts without it.
"""

from __future__ import annotations

from collections.abc import Callable
from types import TracebackType
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from rich.console import Console
    from rich.progress import Progress, TaskID

    from factx.run import RunProgress, RunSummary
    from factx.sources import Problem


def problem_line(problem: Problem) -> str:
    """One problem as a line of rich markup: ``error: FILE: cause`` or ``warning: FILE: cause``."""
    from rich.markup import escape

    if problem.severity == "warning":
        return f"[yellow]warning:[/] {escape(str(problem))}"
    return f"[bold red]error:[/] {escape(str(problem))}"


def _megabytes(n: int) -> str:
    if n >= 100_000:
        return f"{n / 1e6:,.1f} MB"
    return f"{n / 1e3:,.1f} kB" if n >= 1000 else f"{n} bytes"


def summary_line(summary: RunSummary) -> str:
    """The run in one line: documents, bytes, figures, inputs skipped, problems, seconds."""
    documents = f"{summary.documents:,} document{'s' if summary.documents != 1 else ''}"
    parts = [
        f"{documents} ({_megabytes(summary.bytes)})" if summary.bytes else documents,
        f"{summary.figures:,} figure{'s' if summary.figures != 1 else ''}",
        f"{summary.skipped:,} skipped",
    ]
    warnings = len(summary.problems) - len(summary.errors)
    errors = len(summary.errors) - summary.skipped
    if errors > 0:
        parts.append(f"{errors:,} read in part")
    if warnings:
        parts.append(f"{warnings:,} warning{'s' if warnings != 1 else ''}")
    seconds = max(summary.seconds, 1e-9)
    speed = f", {summary.bytes / 1e6 / seconds:,.1f} MB/s" if summary.bytes >= 1_000_000 else ""
    style = "bold red" if summary.exit_status else "green"
    return f"[{style}]factx:[/] {', '.join(parts)} in {summary.seconds:.2f} s{speed}"


class RunProgressBar:
    """A rich progress bar of documents, megabytes, MB/s, figures and time left; nothing when not
    ``enabled`` (stderr is not a terminal, or --quiet). Problems printed through :attr:`console` show
    above the bar.

    ``console`` is the console, or a function that makes it when it is first needed (a quiet run
    that meets no problem never needs it)."""

    def __init__(self, console: Console | Callable[[], Console], enabled: bool) -> None:
        self._console = console
        self._progress: Progress | None = None
        self._task: TaskID | None = None
        if enabled:
            from rich.progress import (
                BarColumn,
                MofNCompleteColumn,
                Progress,
                TextColumn,
                TimeRemainingColumn,
            )

            self._progress = Progress(
                TextColumn("[bold]factx[/]"),
                BarColumn(),
                MofNCompleteColumn(),
                TextColumn("documents"),
                TextColumn("{task.fields[mb]}"),
                TextColumn("{task.fields[speed]}"),
                TextColumn("{task.fields[figures]} figures"),
                TimeRemainingColumn(),
                console=self.console,
                transient=True,
            )

    @property
    def console(self) -> Console:
        """Where lines go: the bar's console while there is a bar (lines show above it), else the
        console given, made now if it was given as a function."""
        if self._progress is not None:
            return self._progress.console
        if callable(self._console):
            self._console = self._console()
        return self._console

    def __enter__(self) -> RunProgressBar:
        if self._progress is not None:
            self._progress.__enter__()
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        if self._progress is not None:
            self._progress.__exit__(exc_type, exc, tb)

    def update(self, state: RunProgress) -> None:
        """Show ``state``; weighted by bytes when sizes are known, so ETA follows the large files."""
        if self._progress is None:
            return
        mb = f"{state.bytes_done / 1e6:,.1f}/{state.bytes_total / 1e6:,.1f} MB"
        speed = f"{state.bytes_done / 1e6 / max(state.seconds, 1e-9):,.1f} MB/s"
        figures = f"{state.figures:,}"
        if self._task is None:
            self._task = self._progress.add_task(
                "extract", total=state.total, mb=mb, speed=speed, figures=figures
            )
        self._progress.update(self._task, completed=state.done, mb=mb, speed=speed, figures=figures)
