"""Signals that end a run, turned into an exception so that output can be cleaned up.

In: SIGINT (Ctrl-C), SIGTERM (``timeout``, ``docker stop``, CI runners, ``kill``) and SIGHUP (a
closed terminal or SSH session). Out: :class:`Interrupted` raised in the main thread while a
:class:`SignalTrap` is installed, so ``with`` blocks unwind and remove their temporary files; the
command line then exits with 128 + the signal's number, as a shell reports a process killed by it.

Worker processes. A process forked while a trap is installed starts with the handlers that were in
place before the trap (an at-fork hook puts them back), so it never raises Interrupted on its own.
A pool's initializer should then call :func:`reset_signals_in_child`: SIGTERM and SIGHUP end the
worker (``Pool.terminate()`` sends SIGTERM), and SIGINT is ignored, because Ctrl-C reaches the whole
process group and it is the parent's to turn into Interrupted and to end its workers.
"""

from __future__ import annotations

import os
import signal
import threading
from collections.abc import Callable
from types import FrameType
from typing import Any

INTERRUPTING: tuple[signal.Signals, ...] = tuple(
    getattr(signal, name) for name in ("SIGINT", "SIGTERM", "SIGHUP") if hasattr(signal, name)
)

_Handler = Callable[[int, FrameType | None], Any] | int | None

# Installed traps of this process, innermost last: the at-fork hook undoes them in a child.
_installed: list[SignalTrap] = []


class Interrupted(BaseException):
    """A signal asked the process to stop (``signum``: SIGINT, SIGTERM or SIGHUP).

    A BaseException, as KeyboardInterrupt is: ``except Exception`` in a run must not swallow it.
    """

    def __init__(self, signum: int) -> None:
        super().__init__(signum)
        self.signum = signum

    def __str__(self) -> str:
        return f"interrupted by {signal.Signals(self.signum).name}"


class SignalTrap:
    """While installed, SIGINT, SIGTERM and SIGHUP raise :class:`Interrupted` in the main thread.

    ``holds(frame)`` is asked first, with the frame the signal arrived in: when it says True the
    signal is kept in ``held`` (the first one only) for the owner to act on once it has settled
    what it was doing, instead of an exception breaking in half way. A signal the process ignores
    (``nohup``, a background job's SIGINT) stays ignored. Installing does nothing outside the main
    thread, where Python cannot set handlers. Traps nest like the ``with`` blocks that use them.
    """

    def __init__(self, holds: Callable[[FrameType | None], bool]) -> None:
        self.held: int | None = None
        self._holds = holds
        self._previous: dict[int, _Handler] = {}
        self._pid = os.getpid()

    def install(self) -> None:
        """Put the handlers in place (main thread only) and remember the ones they replace."""
        if threading.current_thread() is not threading.main_thread():
            return
        self._pid = os.getpid()
        _installed.append(self)
        for signum in INTERRUPTING:
            previous = signal.getsignal(signum)
            if previous == signal.SIG_IGN:
                continue
            self._previous[signum] = previous
            signal.signal(signum, self._handle)

    def restore(self) -> None:
        """Put back the handlers that were in place before :meth:`install`."""
        for signum, previous in reversed(self._previous.items()):
            # None: a handler set outside Python, which cannot be put back; the default is closest.
            signal.signal(signum, previous if previous is not None else signal.SIG_DFL)
        self._previous.clear()
        if self in _installed:
            _installed.remove(self)

    def _handle(self, signum: int, frame: FrameType | None) -> None:
        if os.getpid() != self._pid:
            # A child forked without Python's at-fork hooks: act as if the trap were not there.
            previous = self._previous.get(signum, signal.SIG_DFL)
            self.restore()
            if callable(previous):
                previous(signum, frame)
            elif previous != signal.SIG_IGN:
                signal.raise_signal(signum)
            return
        if self._holds(frame):
            if self.held is None:
                self.held = signum
            return
        raise Interrupted(signum)


def _forget_traps_in_child() -> None:
    for trap in reversed(_installed):
        try:
            trap.restore()
        except ValueError:  # not the main thread after all: nothing can be set here
            break
    _installed.clear()


if hasattr(os, "register_at_fork"):
    os.register_at_fork(after_in_child=_forget_traps_in_child)


def reset_signals_in_child(*, ignore_interrupt: bool = True) -> None:
    """For a worker process (a pool's initializer): SIGTERM and SIGHUP end it at once (their default
    action), and SIGINT is ignored, the parent deciding what Ctrl-C does to its workers; with
    ``ignore_interrupt=False`` SIGINT ends it too."""
    for signum in INTERRUPTING:
        if signum == signal.SIGINT and ignore_interrupt:
            signal.signal(signum, signal.SIG_IGN)
        else:
            signal.signal(signum, signal.SIG_DFL)


__all__ = ["INTERRUPTING", "Interrupted", "SignalTrap", "reset_signals_in_child"]
