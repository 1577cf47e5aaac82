"""What the reading layer hands on: an Input to read, a Source to read it from, or a Problem.

In: nothing (these are the shared types). Out: :class:`Input` (a file found, or standard input),
:class:`Source` (an opened document: its text in chunks, and what a record says about it),
:class:`Problem` (an input not read, or read with a caveat) and :class:`ReadError` (a read that
failed midway).
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Literal

Format = Literal["text", "markdown", "html", "docx", "pdf"]
FORMATS: tuple[Format, ...] = ("text", "markdown", "html", "docx", "pdf")
Severity = Literal["error", "warning"]
Offsets = Literal["source", "extracted"]

STDIN = "-"  # the path that names standard input
STDIN_NAME = "<stdin>"  # standard input's name in records and problems


@dataclass(frozen=True)
class Problem:
    """Something that went wrong with one input: which one, and why, in words.

    ``error``: the input was not read, or not all of it. ``warning``: it was read, with a caveat
    (bytes that were not valid text were replaced, a PDF had no text layer).
    """

    source: str
    message: str
    severity: Severity = "error"

    def __str__(self) -> str:
        return f"{self.source}: {self.message}"


class ReadError(Exception):
    """Reading a source failed midway (an I/O error): :meth:`Source.chunks` raises it.

    The chunks yielded before it are good text; ``problem`` names the input and the cause.
    """

    def __init__(self, problem: Problem) -> None:
        super().__init__(str(problem))
        self.problem = problem


@dataclass(frozen=True)
class Input:
    """One document to read: ``path`` as found (posix) or ``-``; ``rel``, its path under the folder
    argument it was found in (its file name when it was named itself, ``<stdin>`` for stdin)."""

    path: str
    rel: str

    @property
    def is_stdin(self) -> bool:
        """Whether this input is standard input."""
        return self.path == STDIN


class Source:
    """An opened document: what a record says about it, and its text, streamed in chunks.

    ``name`` is the record's ``doc`` (the input's path, or ``<stdin>``), ``rel`` its ``path``.
    ``encoding`` is the codec the text was decoded with (None for docx and pdf, whose text is
    extracted). ``offsets`` is ``source`` when figure offsets index the decoded file text (text,
    markdown; html through :meth:`raw_span`) and ``extracted`` when they index text a parser
    extracted (docx, pdf). ``problems`` holds warnings, complete once :meth:`chunks` is exhausted.
    """

    def __init__(
        self,
        name: str,
        rel: str,
        format: Format,
        *,
        encoding: str | None,
        offsets: Offsets,
        sha256: str | None,
        size: int | None,
        raw_text: str | None = None,
        problems: list[Problem] | None = None,
    ) -> None:
        self.name = name
        self.rel = rel
        self.format: Format = format
        self.encoding = encoding
        self.offsets: Offsets = offsets
        self.sha256 = sha256
        self.size = size
        self.raw_text = raw_text
        self.problems: list[Problem] = list(problems or [])

    def __repr__(self) -> str:
        encoding = f" {self.encoding}" if self.encoding else ""
        return f"<{type(self).__name__} {self.name!r} {self.format}{encoding}>"

    def chunks(self, size: int = 1 << 20) -> Iterator[str]:
        """The text to scan, in order, in pieces of at most ``size`` characters; joined, the whole text."""
        raise NotImplementedError

    def raw_span(self, start: int, end: int) -> tuple[int, int]:
        """The span of the file text that wrote the text span [start, end): the same span but for html."""
        return start, end

    def page(self, offset: int) -> int | None:
        """The 1-based page an offset of the text stands on: pdf only, None otherwise."""
        return None


class TextInMemory(Source):
    """A source whose whole text is already in memory (html's visible text, docx, pdf).

    ``text`` is that text; the other fields are :class:`Source`'s.
    """

    def __init__(
        self,
        text: str,
        name: str,
        rel: str,
        format: Format,
        *,
        encoding: str | None,
        offsets: Offsets,
        sha256: str | None,
        size: int | None,
        raw_text: str | None = None,
        problems: list[Problem] | None = None,
    ) -> None:
        super().__init__(
            name,
            rel,
            format,
            encoding=encoding,
            offsets=offsets,
            sha256=sha256,
            size=size,
            raw_text=raw_text,
            problems=problems,
        )
        self.text = text

    def chunks(self, size: int = 1 << 20) -> Iterator[str]:
        """The text in slices of ``size`` characters."""
        if size < 1:
            raise ValueError(f"chunk size must be at least 1, not {size}")
        for start in range(0, len(self.text), size):
            yield self.text[start : start + size]
