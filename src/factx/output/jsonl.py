"""JSON Lines output, one figure a line, and a writer that replaces its target only on success."""

from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path
from types import TracebackType
from typing import BinaryIO

from factx.records import Figure

_SERIALIZER = Figure.__pydantic_serializer__


def figure_line(figure: Figure) -> bytes:
    """One record as a UTF-8 JSON line (Chinese kept as is, values as plain numbers).

    The same bytes as ``figure.model_dump_json()``, from the schema's serializer directly.
    """
    return _SERIALIZER.to_json(figure) + b"\n"


class AtomicWriter:
    """Writes to a temporary file beside ``path`` and renames it over ``path`` on a clean exit.

    With ``path`` None it writes to stdout. On an exception the temporary file is removed and an
    existing ``path`` is left as it was: no half-written output, ever.
    """

    def __init__(self, path: Path | None) -> None:
        self.path = path
        self._tmp: Path | None = None
        self._fh: BinaryIO | None = None

    def __enter__(self) -> BinaryIO:
        if self.path is None:
            self._fh = sys.stdout.buffer
            return self._fh
        directory = self.path.parent if str(self.path.parent) else Path(".")
        fd, name = tempfile.mkstemp(prefix=f".{self.path.name}.", suffix=".part", dir=directory)
        self._tmp = Path(name)
        self._fh = os.fdopen(fd, "wb")
        return self._fh

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        assert self._fh is not None
        if self.path is None:
            self._fh.flush()
            return
        self._fh.close()
        assert self._tmp is not None
        if exc_type is None:
            os.replace(self._tmp, self.path)
        else:
            self._tmp.unlink(missing_ok=True)
