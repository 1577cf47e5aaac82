"""The one error type a bad rule pack raises: it names the file, line, column and cause."""

from __future__ import annotations

from pathlib import Path


class PackError(Exception):
    """A rule pack that cannot be loaded, validated or compiled.

    ``str(error)`` is one line, ``file:line:column: cause``, the form editors and CI logs link to.
    """

    def __init__(self, path: Path | str, line: int | None, column: int | None, cause: str) -> None:
        self.path = str(path)
        self.line = line
        self.column = column
        self.cause = cause
        super().__init__(str(self))

    def __str__(self) -> str:
        where = self.path
        if self.line is not None:
            where += f":{self.line}"
            if self.column is not None:
                where += f":{self.column}"
        return f"{where}: {self.cause}"


class PackErrors(PackError):
    """Several pack errors found in one check (``rules check`` lists them all); the first is its own."""

    def __init__(self, errors: list[PackError]) -> None:
        self.errors = errors
        first = errors[0]
        super().__init__(first.path, first.line, first.column, first.cause)

    def __str__(self) -> str:
        return "\n".join(str(e) for e in self.errors)


def all_errors(error: PackError) -> list[PackError]:
    """The errors a :class:`PackError` stands for: itself, or each of a :class:`PackErrors`."""
    return list(error.errors) if isinstance(error, PackErrors) else [error]
