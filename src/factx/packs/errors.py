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
