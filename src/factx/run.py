"""A whole extraction run: paths in; JSONL records written to a file or stdout, and a summary out.

Inputs are found and sorted, read and scanned (in worker processes with ``jobs`` > 1), and their
records written in sorted path order as they are made: the same bytes whatever ``jobs`` is, and
memory that does not grow with the corpus (a worker hands over a large document's records through
a spool file, and only a few documents are in flight at once). Every input that could not be read
is reported as a :class:`~factx.sources.Problem`, to ``on_problem`` as it happens and in the
summary. The CLI's ``extract`` is this function plus flags and a progress bar.
"""

from __future__ import annotations

import gc
import os
import shutil
import stat
import tempfile
import time
from collections import deque
from collections.abc import Callable, Generator, Iterable, Iterator
from contextlib import closing, contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, BinaryIO

from factx.extract import DEFAULT_TIMEOUT, ScanOptions, default_ruleset, extract_source
from factx.normalize.currency import check_currency
from factx.output import RecordWriter, figure_line, reset_signals_in_child
from factx.packs.ruleset import RuleSet
from factx.sources import Input, Problem, find_inputs, open_source

if TYPE_CHECKING:
    from multiprocessing.pool import AsyncResult, Pool

COLLECT_EVERY = 50_000  # records between two garbage collections in a batch run
SPOOL_BYTES = 1 << 20  # a worker hands over more output than this through a file, not a pipe
IN_FLIGHT_PER_JOB = 2  # documents queued per worker: enough to keep it busy, few enough to stay flat


def default_jobs() -> int:
    """The cores this process may run on."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # not on Linux
        return max(1, os.cpu_count() or 1)


@dataclass(frozen=True)
class ReadOptions:
    """How documents are read and scanned (sent to each worker process)."""

    format_in: str | None = None
    encoding: str | None = None
    timeout: float | None = DEFAULT_TIMEOUT
    scan: ScanOptions = field(default_factory=ScanOptions)


@dataclass
class RunProgress:
    """Where a run stands, passed to ``on_progress`` after each input."""

    done: int
    total: int
    bytes_done: int
    bytes_total: int
    figures: int
    seconds: float


@dataclass
class RunSummary:
    """What a run did: documents read, records written, inputs skipped, every problem, time."""

    documents: int = 0
    figures: int = 0
    skipped: int = 0
    bytes: int = 0
    seconds: float = 0.0
    problems: list[Problem] = field(default_factory=list)

    @property
    def errors(self) -> list[Problem]:
        """The problems that lost something: an input not read, or not all of it."""
        return [p for p in self.problems if p.severity == "error"]

    @property
    def exit_status(self) -> int:
        """0 when every input was read whole; 1 when something was not (or nothing was read)."""
        return 1 if self.errors or self.documents == 0 else 0


@dataclass
class _DocResult:
    """One document's records, as bytes or as a spool file, and its problems."""

    lines: bytes = b""
    spool: str | None = None
    figures: int = 0
    problems: list[Problem] = field(default_factory=list)
    read: bool = True


def _extract_to(inp: Input, rs: RuleSet, options: ReadOptions, out: BinaryIO) -> _DocResult:
    """Read and scan one input, writing its records to ``out``."""
    source = open_source(inp, options.format_in, options.encoding)  # type: ignore[arg-type]
    if isinstance(source, Problem):
        return _DocResult(problems=[source], read=False)
    result = _DocResult()
    try:
        for figure in extract_source(source, rs, options.timeout, result.problems, options.scan):
            out.write(figure_line(figure))
            result.figures += 1
            if result.figures % COLLECT_EVERY == 0:
                gc.collect()
    except (OSError, ValueError, RuntimeError) as exc:
        # A fault of factx on one document must not end the run: it is named, and the run goes on.
        result.problems.append(
            Problem(
                inp.path, f"stopped reading ({type(exc).__name__}: {exc}); the records before it are kept"
            )
        )
    return result


# --- worker processes -------------------------------------------------------------------------

_worker_state: tuple[RuleSet, ReadOptions, str] | None = None


def _init_worker(rs: RuleSet, options: ReadOptions, spool_dir: str) -> None:
    global _worker_state
    reset_signals_in_child()  # the parent handles interruptions and ends its workers
    gc.freeze()
    gc.disable()
    _worker_state = (rs, options, spool_dir)


class _Spool:
    """Output kept in memory up to SPOOL_BYTES, then moved to a file in the run's spool folder."""

    def __init__(self, spool_dir: str) -> None:
        self._dir = spool_dir
        self._parts: list[bytes] = []
        self._size = 0
        self.file: BinaryIO | None = None
        self.path: str | None = None

    def write(self, data: bytes) -> int:
        if self.file is not None:
            return self.file.write(data)
        self._parts.append(data)
        self._size += len(data)
        if self._size > SPOOL_BYTES:
            fd, self.path = tempfile.mkstemp(dir=self._dir, suffix=".jsonl")
            self.file = os.fdopen(fd, "wb")
            self.file.writelines(self._parts)
            self._parts = []
        return len(data)

    def finish(self, result: _DocResult) -> _DocResult:
        if self.file is not None:
            result.spool = self.path
            self.file.close()
        else:
            result.lines = b"".join(self._parts)
        return result


def _work(inp: Input) -> _DocResult:
    assert _worker_state is not None
    rs, options, spool_dir = _worker_state
    spool = _Spool(spool_dir)
    result = _extract_to(inp, rs, options, spool)  # type: ignore[arg-type]
    return spool.finish(result)


# --- the run ----------------------------------------------------------------------------------


@contextmanager
def _batch_gc() -> Iterator[None]:
    # A batch run allocates many short-lived, acyclic objects (matches, drafts, records): the
    # cyclic collector only costs time there (~10%). It is paused (and run every COLLECT_EVERY
    # records) and restored after, for a host that embeds factx.
    was_enabled = gc.isenabled()
    gc.freeze()
    gc.disable()
    try:
        yield
    finally:
        gc.unfreeze()
        if was_enabled:
            gc.enable()


def _results(
    inputs: list[Input], rs: RuleSet, options: ReadOptions, jobs: int, spool_dir: str
) -> Generator[tuple[Input, Callable[[BinaryIO], _DocResult]], None, None]:
    """For each input in order, a function that writes its records to an output and says what
    happened. With jobs > 1 the documents are scanned ahead in worker processes."""
    local = [i for i in inputs if i.path == "-"]  # standard input is the parent's to read
    remote = [i for i in inputs if i.path != "-"]
    for inp in local:
        yield inp, lambda out, inp=inp: _extract_to(inp, rs, options, out)  # type: ignore[misc]
    if jobs <= 1 or len(remote) <= 1:
        for inp in remote:
            yield inp, lambda out, inp=inp: _extract_to(inp, rs, options, out)  # type: ignore[misc]
        return
    # Imported here: a run of one document, or of one job, starts no worker.
    from multiprocessing import get_context

    # Forked workers share the parent's compiled packs (no pickling, no second compile);
    # spawned ones, where fork is not to be had, get them pickled.
    method = "fork" if "fork" in _start_methods() else "spawn"
    pool: Pool = get_context(method).Pool(min(jobs, len(remote)), _init_worker, (rs, options, spool_dir))
    try:
        pending: deque[tuple[Input, AsyncResult[_DocResult]]] = deque()
        queue = iter(remote)
        for inp in queue:
            pending.append((inp, pool.apply_async(_work, (inp,))))
            if len(pending) >= jobs * IN_FLIGHT_PER_JOB:
                break
        while pending:
            inp, future = pending.popleft()
            result = future.get()
            nxt = next(queue, None)
            if nxt is not None:
                pending.append((nxt, pool.apply_async(_work, (nxt,))))
            yield inp, lambda out, result=result: _hand_over(result, out)  # type: ignore[misc]
        pool.close()
    finally:
        pool.terminate()
        pool.join()


def _start_methods() -> list[str]:
    import multiprocessing

    return multiprocessing.get_all_start_methods()


def _hand_over(result: _DocResult, out: BinaryIO) -> _DocResult:
    if result.spool is not None:
        with open(result.spool, "rb") as spooled:
            shutil.copyfileobj(spooled, out, 1 << 20)
        os.unlink(result.spool)
    else:
        out.write(result.lines)
    return result


def run_extract(
    paths: Iterable[Path | str],
    output: str | Path | None = None,
    ruleset: RuleSet | None = None,
    *,
    globs: Iterable[str] | None = None,
    options: ReadOptions | None = None,
    jobs: int = 1,
    on_problem: Callable[[Problem], None] | None = None,
    on_progress: Callable[[RunProgress], None] | None = None,
    writer: RecordWriter | None = None,
) -> RunSummary:
    """Extract the figures of ``paths`` and write them as JSONL to ``output`` (None or '-': stdout).

    The output is replaced only when the run completes (see :class:`~factx.output.RecordWriter`:
    devices and FIFOs are written in place, signals leave the old file intact); pass ``writer`` to
    have its checks done before, say, rule packs are loaded. Records come in sorted path order,
    byte-identical for any ``jobs``. Returns the summary; problems also go to ``on_problem``. A
    document currency (``options.scan.currency``) the packs do not know raises ValueError first.
    """
    started = time.perf_counter()
    rs = ruleset or default_ruleset()
    opts = options or ReadOptions()
    if opts.scan.currency is not None:
        check_currency(opts.scan.currency, rs)  # a ValueError here, not one per document in the workers
    summary = RunSummary()

    def problem(p: Problem) -> None:
        summary.problems.append(p)
        if on_problem is not None:
            on_problem(p)

    inputs, found = find_inputs(paths, tuple(globs) if globs is not None else None)
    for p in found:
        summary.skipped += 1
        problem(p)
    sizes = [_size(i) for i in inputs]
    bytes_total = sum(sizes)
    out_writer = writer if writer is not None else RecordWriter(output)
    spool_dir = tempfile.mkdtemp(prefix="factx-spool-")
    try:
        # closing(): the worker pool is ended here, on any exit, never later by the garbage collector.
        with out_writer as out, _batch_gc(), closing(_results(inputs, rs, opts, jobs, spool_dir)) as results:
            for done, ((_, write), size) in enumerate(zip(results, sizes, strict=True), 1):
                result = write(out)
                if result.read:
                    summary.documents += 1
                    summary.bytes += size
                else:
                    summary.skipped += 1
                summary.figures += result.figures
                for p in result.problems:
                    problem(p)
                if on_progress is not None:
                    on_progress(
                        RunProgress(
                            done,
                            len(inputs),
                            summary.bytes,
                            bytes_total,
                            summary.figures,
                            time.perf_counter() - started,
                        )
                    )
    finally:
        shutil.rmtree(spool_dir, ignore_errors=True)
    summary.seconds = time.perf_counter() - started
    return summary


def _size(inp: Input) -> int:
    """The input's size in bytes, for the progress bar and the summary (0 when not known: a pipe)."""
    try:
        if inp.path == "-":
            st = os.fstat(0)
            return st.st_size if stat.S_ISREG(st.st_mode) else 0
        return os.stat(inp.path).st_size
    except OSError:
        return 0


__all__ = ["ReadOptions", "RunProgress", "RunSummary", "default_jobs", "run_extract"]
