"""Where records go, and the promise that a failed or stopped run destroys nothing there.

In: a target as a person names it (``-o``: a path, ``-`` or None for standard output) and bytes,
one JSON record a line. Out: those bytes at the target, by the rules of :class:`RecordWriter`:

- standard output: written as they come (in large chunks of whole lines), flushed at the end;
- a regular file, or a name that does not exist yet: written to ``.NAME.XXXXXXXX.part`` beside it,
  renamed over it only when the run ends cleanly; an existing file's mode and owner are kept, a new
  file gets 0o666 less the umask, as the shell's ``>`` gives;
- a symlink: written through, by the same rules for the file it leads to; the link stays a link;
- a device, a FIFO, or a descriptor (``/dev/stdout``, ``/dev/fd/N``): opened and written in place,
  never replaced, never removed, never turned into a regular file.

Every check that can be made before any work is made when the writer is built (:class:`OutputError`).
An exception, or SIGINT/SIGTERM/SIGHUP (:class:`~factx.signals.Interrupted`), leaves an existing file
exactly as it was and no temporary file behind.
"""

from __future__ import annotations

import contextlib
import io
import os
import re
import signal
import stat
import sys
import tempfile
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from types import FrameType, TracebackType
from typing import BinaryIO, Literal, cast

from factx.signals import Interrupted, SignalTrap

BUFFER_SIZE = 1 << 20  # bytes gathered before a write to the target: one system call a megabyte
_MAX_PREFIX_BYTES = 200  # the temporary name adds ~16 bytes to the target's; names stop at 255
# Names that mean "this open descriptor" rather than a file: writing there must not replace anything.
_DESCRIPTOR = re.compile(r"/dev/(stdin|stdout|stderr)|/dev/fd/.*|/proc/[^/]+/fd/.*")


class OutputError(Exception):
    """The output cannot be written: one sentence naming the target and the cause."""


@dataclass(frozen=True)
class _Plan:
    """How a target is written: ``kind`` and, for a file, where and with which mode and owner."""

    kind: Literal["stdout", "replace", "in place"]
    path: str | None = None  # the file written (a symlink resolved); None for standard output
    mode: int = 0o644  # "replace": the permissions the new file gets
    owner: tuple[int, int] | None = None  # "replace": the existing file's uid and gid, kept
    append: bool = False  # "in place": a regular file reached through a descriptor name


def _umask() -> int:
    # The umask can only be read by setting it. The moment between the two calls is the only one in
    # which another thread's new file would get the restrictive 0o077, never a looser mode.
    mask = os.umask(0o077)
    os.umask(mask)
    return mask


def _names_descriptor(name: str) -> bool:
    """True when ``name``, or a symlink on the way from it, is a descriptor name such as /dev/stdout."""
    path = os.path.abspath(name)
    for _ in range(40):  # the kernel's own limit on links followed
        if _DESCRIPTOR.fullmatch(path):
            return True
        if not os.path.islink(path):
            return False
        path = os.path.normpath(os.path.join(os.path.dirname(path), os.readlink(path)))
    return False


def _cause(exc: OSError) -> str:
    if isinstance(exc, NotADirectoryError):
        return "a part of its path is not a folder"
    if isinstance(exc, PermissionError):
        return "permission denied on the way to it"
    return (exc.strerror or str(exc)).lower()


def _check_folder(name: str, real: str) -> None:
    """The folder that will hold ``real`` must exist and take new files (the temporary one)."""
    folder = os.path.dirname(real)
    shown = folder if os.path.islink(name) else (os.path.dirname(name) or ".")
    if os.path.islink(name):
        name = f"{name} (a link to {real})"
    try:
        st = os.stat(folder)
    except FileNotFoundError:
        raise OutputError(f"cannot write {name}: its folder {shown} does not exist") from None
    except OSError as exc:
        raise OutputError(f"cannot write {name}: {_cause(exc)}") from None
    if not stat.S_ISDIR(st.st_mode):
        raise OutputError(f"cannot write {name}: {shown} is not a folder")
    if not os.access(folder, os.W_OK | os.X_OK):
        raise OutputError(
            f"cannot write {name}: its folder {shown} is not writable "
            "(the output is written beside the file, then renamed over it)"
        )


def _plan(name: str, umask: int) -> _Plan:
    """Decide how ``name`` is written, or say in one sentence why it cannot be."""
    if name == "":
        raise OutputError("cannot write the output: its file name is empty")
    via = f" (a link to {os.path.realpath(name)})" if os.path.islink(name) else ""
    try:
        st = os.stat(name)
    except FileNotFoundError:
        if name.endswith(("/", os.sep)):
            raise OutputError(f"cannot write {name}: the name ends in '/', so it names a folder") from None
        if _names_descriptor(name):
            raise OutputError(f"cannot write {name}: no such descriptor is open") from None
        real = os.path.realpath(name)  # a dangling link: the file it names is created
        _check_folder(name, real)
        return _Plan("replace", real, mode=0o666 & ~umask)
    except OSError as exc:
        raise OutputError(f"cannot write {name}{via}: {_cause(exc)}") from None
    if stat.S_ISDIR(st.st_mode):
        raise OutputError(f"cannot write {name}{via}: it is a folder")
    if stat.S_ISSOCK(st.st_mode):
        raise OutputError(f"cannot write {name}{via}: it is a socket, which cannot be opened as a file")
    regular = stat.S_ISREG(st.st_mode)
    # As root os.access says yes to anything; a file with no write bit is refused all the same,
    # as the shell's `>` refuses it to everyone else: someone made it read-only on purpose.
    if not os.access(name, os.W_OK) or (regular and not st.st_mode & 0o222):
        raise OutputError(f"cannot write {name}{via}: it is read-only")
    if not regular or _names_descriptor(name):
        # O_APPEND: /dev/stdout opened anew starts at offset 0, and would overwrite what is there.
        return _Plan("in place", name, append=regular)
    real = os.path.realpath(name)
    _check_folder(name, real)
    return _Plan("replace", real, mode=stat.S_IMODE(st.st_mode), owner=(st.st_uid, st.st_gid))


class _LineSink(io.BufferedIOBase):
    """Gathers writes and hands them on in chunks of about ``size`` bytes that end at a line end,
    so a reader of a pipe or a FIFO only ever sees whole records.

    Its own buffer rather than io.BufferedWriter's: a process forked while it is open copies the
    buffer, and a BufferedWriter flushes its copy when that process ends, writing the same bytes
    twice; this one hands on nothing outside the process that made it.
    """

    def __init__(self, emit: Callable[[bytes], object], size: int) -> None:
        super().__init__()
        self._emit = emit
        self._size = size
        self._buffer = bytearray()
        self._pid = os.getpid()

    def writable(self) -> bool:
        return True

    def write(self, data: bytes | bytearray | memoryview) -> int:  # type: ignore[override]
        """Take ``data``; hand on whole lines once a chunk's worth is gathered."""
        if self.closed:
            raise ValueError("write to a closed output")
        self._buffer += data
        if len(self._buffer) >= self._size:
            self._drain(self._buffer.rfind(b"\n") + 1 or len(self._buffer))
        return len(data)

    def flush(self) -> None:
        """Hand on everything gathered, a last partial line included."""
        if not self.closed and self._buffer:
            self._drain(len(self._buffer))

    def discard(self) -> None:
        """Drop what is gathered and close, handing on nothing more."""
        self._buffer.clear()
        self.close()

    def _drain(self, end: int) -> None:
        if os.getpid() != self._pid:  # a forked copy: these bytes are the parent's to write
            self._buffer.clear()
            return
        self._emit(bytes(self._buffer[:end]))
        del self._buffer[:end]


def _write_all(fd: int) -> Callable[[bytes], None]:
    def emit(chunk: bytes) -> None:
        view = memoryview(chunk)
        while view:
            view = view[os.write(fd, view) :]

    return emit


def _write_stdout(stream: BinaryIO) -> Callable[[bytes], None]:
    def emit(chunk: bytes) -> None:
        stream.write(chunk)
        stream.flush()

    return emit


class RecordWriter:
    """A context manager that opens ``target`` for records and settles it at the end (see the module).

    ``RecordWriter(target)`` makes every check there is to make before the caller does any work, and
    raises :class:`OutputError` when the target is a folder, a socket, a read-only file, or its
    folder is missing or not writable. The ``with`` block gets a binary file object; a clean exit
    puts the output in place, an exception or a signal discards it (a regular file keeps its old
    content; standard output and devices keep what was already handed to them, whole lines).

    In the main thread, SIGINT, SIGTERM and SIGHUP raise :class:`~factx.signals.Interrupted` while
    the block runs, and the handlers that were there before are put back at its end; a signal that
    arrives while the output is being put in place is acted on just after (before the rename: the
    output is discarded and Interrupted raised; after it: passed on to the handler put back). In
    another thread no handler is installed, and a signal does what it did before. A process forked
    while the writer is open never touches its target (see :mod:`factx.signals` for its signals).
    ``__enter__`` checks the target again, so it too may raise OutputError if the target changed.
    """

    def __init__(self, target: str | Path | None, *, buffer_size: int = BUFFER_SIZE) -> None:
        if buffer_size <= 0:
            raise ValueError(f"buffer_size must be positive, not {buffer_size}")
        self.target = None if target is None or os.fspath(target) == "-" else os.fspath(target)
        self.buffer_size = buffer_size
        self._umask = _umask()
        self._plan = self._make_plan()
        self._sink: _LineSink | None = None
        self._fd: int | None = None
        self._tmp: str | None = None
        self._holding = False
        self._pid = os.getpid()
        self._trap = SignalTrap(self._holds)

    @property
    def path(self) -> Path | None:
        """The file the bytes go to (a symlink resolved), or None for standard output."""
        return Path(self._plan.path) if self._plan.path is not None else None

    @property
    def replaces(self) -> bool:
        """True when the output replaces the target only on a clean exit (a regular file or a new
        one); False for standard output, devices and FIFOs, which get the bytes as they come."""
        return self._plan.kind == "replace"

    def _make_plan(self) -> _Plan:
        return _Plan("stdout") if self.target is None else _plan(self.target, self._umask)

    def _holds(self, frame: FrameType | None) -> bool:
        # A signal that lands as __exit__ starts, before it can raise its flag, is held too: raised
        # there, it would end __exit__ before the temporary file is removed.
        return self._holding or (frame is not None and frame.f_code is _EXIT_CODE)

    def __enter__(self) -> BinaryIO:
        if self._sink is not None:
            raise RuntimeError("this RecordWriter is already open")
        self._plan = self._make_plan()
        self._trap.held = None
        self._holding = True  # a signal while the temporary file is made is acted on right after
        self._trap.install()
        try:
            if self._plan.kind == "stdout":
                self._sink = self._open_stdout()
            elif self._plan.kind == "replace":
                self._sink = self._open_temporary()
            else:
                self._holding = False  # opening a FIFO waits for a reader: a signal must end the wait
                self._sink = self._open_in_place()
            if self._trap.held is not None:
                raise Interrupted(self._trap.held)
            self._holding = False
        except BaseException as exc:
            self._holding = True
            self._abandon()
            self._trap.restore()
            if self._trap.held is not None and not isinstance(exc, Interrupted):
                raise Interrupted(self._trap.held) from exc
            raise
        return cast(BinaryIO, self._sink)

    def _open_stdout(self) -> _LineSink:
        if sys.stdout is None:
            raise OutputError("cannot write standard output: there is none (it was closed)")
        sys.stdout.flush()  # what was printed before comes before the records
        return _LineSink(_write_stdout(sys.stdout.buffer), self.buffer_size)

    def _open_temporary(self) -> _LineSink:
        plan = self._plan
        assert plan.path is not None
        folder, name = os.path.split(plan.path)
        prefix = "." + os.fsencode(name)[:_MAX_PREFIX_BYTES].decode("utf-8", "ignore") + "."
        fd, self._tmp = tempfile.mkstemp(prefix=prefix, suffix=".part", dir=folder)
        self._fd = fd
        if plan.owner is not None and plan.owner != (os.geteuid(), os.getegid()):
            # Root, or a group the user is in, can give the new file the old one's owner.
            with contextlib.suppress(PermissionError):
                os.fchown(fd, *plan.owner)
        os.fchmod(fd, plan.mode)
        return _LineSink(_write_all(fd), self.buffer_size)

    def _open_in_place(self) -> _LineSink:
        plan = self._plan
        assert plan.path is not None
        # No O_CREAT: if the device went away, no regular file takes its name.
        flags = os.O_WRONLY | getattr(os, "O_NOCTTY", 0) | (os.O_APPEND if plan.append else 0)
        try:
            self._fd = os.open(plan.path, flags)
        except OSError as exc:
            raise OutputError(f"cannot write {self.target}: {_cause(exc)}") from None
        return _LineSink(_write_all(self._fd), self.buffer_size)

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self._holding = True  # from here a signal waits until the output is settled (see _holds)
        if os.getpid() != self._pid:
            return  # a forked child's copy: the target is the parent's to settle
        done = False
        try:
            if exc_type is None and self._trap.held is None:
                self._finish()
                done = True
        finally:
            self._holding = True
            if not done:
                self._abandon()
            self._trap.restore()
        held = self._trap.held
        if held is None or isinstance(exc, Interrupted):
            return
        if done:
            signal.raise_signal(held)  # the output is complete: the signal goes where it went before
        else:
            raise Interrupted(held)

    def _finish(self) -> None:
        """Hand on the last bytes and put the output in place."""
        assert self._sink is not None
        if self._plan.kind != "replace":
            self._holding = False  # a slow reader may keep this waiting: a signal must end the wait
            self._sink.flush()
            self._holding = True
            self._close()
            return
        assert self._plan.path is not None and self._fd is not None and self._tmp is not None
        self._sink.flush()
        os.fsync(self._fd)  # the data is on disk before the name points to it: a crash keeps one whole file
        self._close()
        if self._trap.held is not None:
            raise Interrupted(self._trap.held)
        os.replace(self._tmp, self._plan.path)
        self._tmp = None
        _sync_folder(os.path.dirname(self._plan.path))

    def _close(self) -> None:
        if self._sink is not None:
            self._sink.close()
            self._sink = None
        if self._fd is not None:
            fd, self._fd = self._fd, None
            os.close(fd)

    def _abandon(self) -> None:
        """Undo: drop what is gathered, close, remove the temporary file. Never raises an OSError."""
        if self._sink is not None:
            self._sink.discard()
            self._sink = None
        if self._fd is not None:
            fd, self._fd = self._fd, None
            with contextlib.suppress(OSError):
                os.close(fd)
        if self._tmp is not None:
            tmp, self._tmp = self._tmp, None
            with contextlib.suppress(OSError):
                os.unlink(tmp)


_EXIT_CODE = RecordWriter.__exit__.__code__


def _sync_folder(folder: str) -> None:
    """Make the rename itself durable; a file system that cannot sync a folder is left as it is."""
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


class AtomicWriter(RecordWriter):
    """The former name of :class:`RecordWriter`, kept so that old imports work."""


def write_records(lines: Iterable[bytes], target: str | Path | None) -> int:
    """Write ``lines`` (each a whole record ending in a newline) to ``target`` by the rules of
    :class:`RecordWriter` (None or '-': standard output); returns the number of lines written.

    Raises OutputError before reading ``lines`` when the target cannot be written, and
    Interrupted on SIGINT, SIGTERM or SIGHUP in the main thread (the old file left as it was).
    """
    count = 0
    with RecordWriter(target) as out:
        for line in lines:
            out.write(line)
            count += 1
    return count


__all__ = ["AtomicWriter", "BUFFER_SIZE", "OutputError", "RecordWriter", "write_records"]
