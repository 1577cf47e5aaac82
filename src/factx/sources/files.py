"""Finding documents and decoding them. One unreadable file is a Problem, never the end of a run."""

from __future__ import annotations

import sys
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

STDIN = "-"


@dataclass(frozen=True)
class Document:
    """A document's name (its path as given, or '<stdin>') and its decoded text."""

    name: str
    text: str


@dataclass(frozen=True)
class Problem:
    """Something that went wrong with one input: which one, and why, in words."""

    source: str
    message: str

    def __str__(self) -> str:
        return f"{self.source}: {self.message}"


def decode(data: bytes, name: str) -> Document | Problem:
    """UTF-8 text (a byte-order mark is dropped); anything else is a Problem naming the offset."""
    try:
        return Document(name, data.decode("utf-8-sig"))
    except UnicodeDecodeError as exc:
        return Problem(name, f"not UTF-8 text (byte 0x{data[exc.start]:02x} at offset {exc.start}); skipped")


def _matches(path: Path, globs: tuple[str, ...]) -> bool:
    return any(path.match(g) for g in globs)


def find_files(paths: Iterable[Path | str], globs: tuple[str, ...]) -> tuple[list[Path | str], list[Problem]]:
    """Files named explicitly are always read; folders give their matching files, recursively."""
    found: list[Path] = []
    problems: list[Problem] = []
    stdin = False
    for raw in paths:
        if str(raw) == STDIN:
            stdin = True
            continue
        path = Path(raw)
        if path.is_dir():
            found.extend(p for p in path.rglob("*") if p.is_file() and _matches(p, globs))
        elif path.is_file():
            found.append(path)
        elif path.exists():
            problems.append(Problem(str(path), "not a regular file; skipped"))
        else:
            problems.append(Problem(str(path), "no such file or folder"))
    unique = sorted(set(found), key=lambda p: p.as_posix())
    ordered: list[Path | str] = [STDIN] if stdin else []
    ordered.extend(unique)
    return ordered, problems


def iter_documents(
    paths: Iterable[Path | str], globs: tuple[str, ...] = ("*.txt", "*.md")
) -> Iterator[Document | Problem]:
    """Documents in sorted path order (stdin first), with a Problem in place of each unreadable one."""
    files, problems = find_files(paths, globs)
    yield from problems
    for item in files:
        if item == STDIN:
            yield decode(sys.stdin.buffer.read(), "<stdin>")
            continue
        assert isinstance(item, Path)
        try:
            data = item.read_bytes()
        except OSError as exc:
            yield Problem(item.as_posix(), f"cannot read: {exc.strerror or exc}; skipped")
            continue
        yield decode(data, item.as_posix())
