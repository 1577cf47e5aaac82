"""Finding the documents to read: paths (files, folders, ``-``) in; inputs and problems out.

A file named explicitly is always read, whatever its name; a folder is walked recursively (through
symbolic links to folders, but never around a loop) for files whose name matches a glob, matched
without regard to case (REPORT.TXT is a ``*.txt``). Every path that names something that cannot be
read is one :class:`~factx.sources.Problem` with the cause: a missing path, a folder that cannot be
listed, a dangling symbolic link, a loop, a FIFO, device or socket. Inputs come sorted by path,
standard input first, each once.
"""

from __future__ import annotations

import errno
import fnmatch
import os
import re
import stat
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from factx.sources.source import STDIN, STDIN_NAME, Input, Problem, ReadError

DEFAULT_GLOBS: tuple[str, ...] = ("*.txt", "*.md", "*.markdown", "*.html", "*.htm", "*.docx", "*.pdf")


class _Globs:
    """File-name globs matched without regard to case; a glob with a / matches the end of the path
    under the folder (``reports/*.txt``)."""

    def __init__(self, globs: Sequence[str]) -> None:
        names = "|".join(fnmatch.translate(g) for g in globs if "/" not in g)
        self._name = re.compile(names, re.IGNORECASE) if names else None
        self._paths = [g.lower() for g in globs if "/" in g]

    def match(self, rel: str, name: str) -> bool:
        if self._name is not None and self._name.match(name):
            return True
        return any(PurePosixPath(rel.lower()).match(g) for g in self._paths)


def find_inputs(
    paths: Iterable[str | Path], globs: Sequence[str] | None = None
) -> tuple[list[Input], list[Problem]]:
    """The documents to read under ``paths`` (``-`` is standard input), and a problem per path not read.

    ``globs`` (default :data:`DEFAULT_GLOBS`) select files in folders. Inputs are sorted by path,
    standard input first, without duplicates (the first found is kept).
    """
    patterns = _Globs(DEFAULT_GLOBS if globs is None else globs)
    found: list[Input] = []
    problems: list[Problem] = []
    stdin = False
    for raw in paths:
        if os.fspath(raw) == STDIN:
            stdin = True
            continue
        path = Path(raw)
        try:
            info = os.stat(path)
        except OSError as exc:
            problems.append(Problem(path.as_posix(), _unreachable(path, exc)))
            continue
        if stat.S_ISDIR(info.st_mode):
            _walk(path, (info.st_dev, info.st_ino), patterns, found, problems)
        elif stat.S_ISREG(info.st_mode):
            found.append(Input(path.as_posix(), path.name))
        else:
            problems.append(Problem(path.as_posix(), _not_regular(info)))
    unique: dict[str, Input] = {}
    for inp in found:
        unique.setdefault(inp.path, inp)
    inputs = [unique[key] for key in sorted(unique)]
    if stdin:
        inputs.insert(0, Input(STDIN, STDIN_NAME))
    return inputs, problems


@dataclass(frozen=True)
class _Folder:
    path: Path
    rel: str  # its path under the folder argument, "" or ending in "/"
    ancestors: frozenset[tuple[int, int]]  # (st_dev, st_ino) of it and the folders it is in


def _walk(
    root: Path, key: tuple[int, int], patterns: _Globs, found: list[Input], problems: list[Problem]
) -> None:
    """Add the matching files under ``root`` to ``found``, and what could not be read to ``problems``."""
    todo = [_Folder(root, "", frozenset({key}))]
    while todo:
        folder = todo.pop()
        try:
            with os.scandir(folder.path) as listing:
                entries = list(listing)
        except OSError as exc:
            problems.append(Problem(folder.path.as_posix(), f"cannot list folder: {_reason(exc)}; skipped"))
            continue
        for entry in entries:
            path, rel = folder.path / entry.name, folder.rel + entry.name
            if _is_dir(entry):
                try:
                    info = entry.stat()
                except OSError as exc:
                    problems.append(Problem(path.as_posix(), _unreachable(path, exc)))
                    continue
                here = (info.st_dev, info.st_ino)
                if here in folder.ancestors:
                    problems.append(
                        Problem(path.as_posix(), "symbolic link loop (back to a folder it is in); skipped")
                    )
                    continue
                todo.append(_Folder(path, rel + "/", folder.ancestors | {here}))
                continue
            if not patterns.match(rel, entry.name):
                continue
            try:
                info = entry.stat()  # through a symbolic link
            except OSError as exc:
                problems.append(Problem(path.as_posix(), _unreachable(path, exc)))
                continue
            if stat.S_ISREG(info.st_mode):
                found.append(Input(path.as_posix(), rel))
            else:
                problems.append(Problem(path.as_posix(), _not_regular(info)))


def _is_dir(entry: os.DirEntry[str]) -> bool:
    try:
        return entry.is_dir()
    except OSError:  # a link that cannot be followed: the glob decides whether it is reported
        return False


def _unreachable(path: Path, exc: OSError) -> str:
    """Why a path that was named or found cannot be opened, in words."""
    if exc.errno == errno.ELOOP:
        return "symbolic link loop; skipped"
    if exc.errno in (errno.ENOENT, errno.ENOTDIR):
        if os.path.islink(path):
            return f"dangling symbolic link (its target {os.readlink(path)} does not exist); skipped"
        return "no such file or folder"
    return f"cannot read: {_reason(exc)}; skipped"


def _not_regular(info: os.stat_result) -> str:
    mode = info.st_mode
    if stat.S_ISFIFO(mode):
        kind = "a FIFO"
    elif stat.S_ISSOCK(mode):
        kind = "a socket"
    elif stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        kind = "a device"
    else:
        kind = "of an unknown kind"
    return f"not a regular file ({kind}); skipped"


def _reason(exc: OSError) -> str:
    return (exc.strerror or str(exc)).lower()


# --- the reading of the first version, kept while callers move to find_inputs and open_source ---


@dataclass(frozen=True)
class Document:
    """A document's name (its path as given, or '<stdin>') and its whole decoded text."""

    name: str
    text: str


def iter_documents(
    paths: Iterable[Path | str], globs: Sequence[str] | None = ("*.txt", "*.md")
) -> Iterator[Document | Problem]:
    """Documents in sorted path order (stdin first), read whole, with a Problem in place of each
    unreadable one and the warnings of a document after it. Prefer :func:`find_inputs` and
    :func:`~factx.sources.open_source`, which stream."""
    from factx.sources.reading import open_source

    inputs, problems = find_inputs(paths, globs)
    yield from problems
    for inp in inputs:
        source = open_source(inp)
        if isinstance(source, Problem):
            yield source
            continue
        try:
            text = "".join(source.chunks())
        except ReadError as exc:
            yield exc.problem
            continue
        yield Document(source.name, text)
        yield from source.problems
