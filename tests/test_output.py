"""The output writer: ``-o`` onto files, links, devices, FIFOs and stdout, and what failures and
signals leave behind. Real files, real FIFOs, real signals (in this process and in child processes).

Contract (factx.output.writer): a regular file is replaced only on a clean exit, keeping its mode
(a new one gets 0o666 less the umask); a link is written through; a device or FIFO is written in
place; an exception or SIGINT/SIGTERM/SIGHUP leaves the old file and no ``.part`` file.
"""

from __future__ import annotations

import json
import multiprocessing
import os
import shutil
import signal
import socket
import stat
import subprocess
import sys
import tempfile
import textwrap
import threading
from collections.abc import Iterator
from pathlib import Path
from types import FrameType

import pytest

from factx.output import (
    AtomicWriter,
    Interrupted,
    OutputError,
    RecordWriter,
    reset_signals_in_child,
    write_records,
)
from factx.output.writer import _LineSink
from factx.signals import INTERRUPTING

REPO = Path(__file__).resolve().parent.parent
SENTENCES = ("营业收入12.5亿元，同比增长8.3%。", "净利润约3,200万元。", "研发投入占比15%左右。")
OLD = '{"text": "旧的记录"}\n'.encode()  # the output of an earlier run


def records(n: int = 3) -> list[bytes]:
    """``n`` JSON lines in the shape of factx's records, Chinese kept as is."""
    return [
        (json.dumps({"text": SENTENCES[i % 3], "n": i}, ensure_ascii=False) + "\n").encode() for i in range(n)
    ]


def parts(folder: Path) -> list[str]:
    """Temporary files the writer left in ``folder``."""
    return sorted(p.name for p in folder.iterdir() if p.name.endswith(".part"))


@pytest.fixture
def umask() -> Iterator[None]:
    """Restores the process's umask after a test sets it."""
    mask = os.umask(0o022)
    os.umask(mask)
    yield
    os.umask(mask)


# --- regular files ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("mask", "mode"),
    [
        (0o022, 0o644),  # the usual umask
        (0o077, 0o600),  # a private one
        (0o002, 0o664),  # a shared group
    ],
)
def test_new_file_mode_follows_the_umask(tmp_path: Path, umask: None, mask: int, mode: int) -> None:
    os.umask(mask)
    target = tmp_path / "figures.jsonl"
    assert write_records(records(), target) == 3
    assert stat.S_IMODE(target.stat().st_mode) == mode
    assert target.read_bytes() == b"".join(records())
    assert parts(tmp_path) == []


@pytest.mark.parametrize("mode", [0o640, 0o604, 0o664])
def test_existing_file_keeps_its_mode_and_gets_the_new_records(
    tmp_path: Path, umask: None, mode: int
) -> None:
    os.umask(0o077)  # a mode taken from the umask would show as 0o600
    target = tmp_path / "figures.jsonl"
    target.write_bytes(OLD)
    target.chmod(mode)
    write_records(records(), target)
    assert stat.S_IMODE(target.stat().st_mode) == mode
    assert target.read_bytes() == b"".join(records())


def test_the_old_file_stands_until_the_run_completes(tmp_path: Path) -> None:
    target = tmp_path / "figures.jsonl"
    target.write_bytes(OLD)
    with RecordWriter(target) as out:
        out.write(records()[0])
        out.flush()
        assert target.read_bytes() == OLD
        assert len(parts(tmp_path)) == 1
    assert target.read_bytes() == records()[0]


def test_an_exception_leaves_the_old_file_and_no_part_file(tmp_path: Path) -> None:
    target = tmp_path / "figures.jsonl"
    target.write_bytes(OLD)
    with pytest.raises(ValueError, match="a document failed"), RecordWriter(target) as out:
        for line in records(50):
            out.write(line)
        out.flush()
        raise ValueError("a document failed")
    assert target.read_bytes() == OLD
    assert parts(tmp_path) == []


def test_many_small_writes_arrive_whole_through_a_small_buffer(tmp_path: Path) -> None:
    target = tmp_path / "figures.jsonl"
    lines = records(2000)
    with RecordWriter(target, buffer_size=4096) as out:
        for line in lines:
            out.write(line)
    assert target.read_bytes() == b"".join(lines)


def test_chunks_handed_on_end_at_a_line_end() -> None:
    # A spooled document arrives in pieces that cut records anywhere (shutil.copyfileobj); a reader
    # of a pipe must still only ever get whole records.
    chunks: list[bytes] = []
    sink = _LineSink(chunks.append, 100)
    data = b"".join(records(40))
    for start in range(0, len(data), 37):
        sink.write(data[start : start + 37])
    assert len(chunks) > 5
    assert all(chunk.endswith(b"\n") for chunk in chunks)
    half = '{"text": "未完'.encode()  # half a record, then an explicit flush
    sink.write(half)
    sink.flush()
    assert b"".join(chunks) == data + half


def test_atomic_writer_is_the_old_name(tmp_path: Path) -> None:
    target = tmp_path / "figures.jsonl"
    with AtomicWriter(target) as out:
        out.write(records()[1])
    assert target.read_bytes() == records()[1]


# --- links, devices, FIFOs, descriptors ------------------------------------------------------


def test_a_symlink_is_written_through_and_stays_a_link(tmp_path: Path) -> None:
    (tmp_path / "runs").mkdir()
    real = tmp_path / "runs" / "2024.jsonl"
    real.write_bytes(OLD)
    real.chmod(0o640)
    link = tmp_path / "latest.jsonl"
    link.symlink_to(Path("runs") / "2024.jsonl")
    write_records(records(), link)
    assert link.is_symlink() and os.readlink(link) == str(Path("runs") / "2024.jsonl")
    assert real.read_bytes() == b"".join(records())
    assert stat.S_IMODE(real.stat().st_mode) == 0o640
    assert parts(tmp_path) == [] and parts(tmp_path / "runs") == []


def test_a_dangling_symlink_gets_its_file_made(tmp_path: Path) -> None:
    link = tmp_path / "latest.jsonl"
    link.symlink_to("made.jsonl")
    write_records(records(), link)
    assert link.is_symlink()
    assert (tmp_path / "made.jsonl").read_bytes() == b"".join(records())


def test_dev_null_stays_a_character_device() -> None:
    # As root, the old writer renamed a regular file over /dev/null.
    before = os.stat("/dev/null")
    assert write_records(records(), "/dev/null") == 3
    after = os.stat("/dev/null")
    assert stat.S_ISCHR(after.st_mode)
    assert (after.st_ino, after.st_rdev, after.st_mode) == (before.st_ino, before.st_rdev, before.st_mode)


def test_a_fifo_is_written_through_and_stays_a_fifo(tmp_path: Path) -> None:
    fifo = tmp_path / "figures.fifo"
    os.mkfifo(fifo)
    received: list[bytes] = []
    reader = threading.Thread(target=lambda: received.append(fifo.read_bytes()))
    reader.start()
    write_records(records(300), fifo)
    reader.join(timeout=60)
    assert not reader.is_alive()
    assert received == [b"".join(records(300))]
    assert stat.S_ISFIFO(fifo.lstat().st_mode)
    assert parts(tmp_path) == []


def test_dev_stdout_onto_a_file_appends_and_replaces_nothing(tmp_path: Path) -> None:
    # `factx … -o /dev/stdout >> log`: the descriptor is written, not the file behind it replaced.
    log = tmp_path / "log.jsonl"
    log.write_bytes(OLD)
    inode = log.stat().st_ino
    script = (
        "import sys; from factx.output import write_records; write_records(sys.stdin.buffer, '/dev/stdout')"
    )
    with log.open("ab") as appended:
        subprocess.run(
            [sys.executable, "-c", script], input=b"".join(records()), stdout=appended, check=True, timeout=60
        )
    assert log.read_bytes() == OLD + b"".join(records())
    assert log.stat().st_ino == inode
    assert parts(tmp_path) == []


@pytest.mark.parametrize("target", ["-", None])
def test_dash_and_none_are_standard_output(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capfd: pytest.CaptureFixture[bytes], target: str | None
) -> None:
    monkeypatch.chdir(tmp_path)
    print("before the records")
    assert write_records(records(), target) == 3
    out = capfd.readouterr().out
    assert out == "before the records\n" + b"".join(records()).decode()
    assert list(tmp_path.iterdir()) == []  # no file named '-'


# --- refused before any work -----------------------------------------------------------------


def test_a_read_only_file_is_refused_and_left_untouched(tmp_path: Path) -> None:
    target = tmp_path / "figures.jsonl"
    target.write_bytes(OLD)
    target.chmod(0o444)
    before = target.stat()
    with pytest.raises(OutputError, match=r"^cannot write .*figures\.jsonl: it is read-only$"):
        RecordWriter(target)
    after = target.stat()
    assert target.read_bytes() == OLD
    assert (after.st_ino, after.st_mtime_ns, after.st_mode) == (
        before.st_ino,
        before.st_mtime_ns,
        before.st_mode,
    )
    assert parts(tmp_path) == []


@pytest.mark.parametrize(
    ("make", "name", "cause"),
    [
        ("folder", "out", r"it is a folder"),
        ("folder", "out/", r"it is a folder"),
        ("nothing", "missing/figures.jsonl", r"its folder .*missing does not exist"),
        ("nothing", "missing/", r"the name ends in '/', so it names a folder"),
        ("file", "plain.txt/figures.jsonl", r"a part of its path is not a folder"),
        ("link", "latest.jsonl", r"\(a link to .*gone/figures\.jsonl\): its folder .*gone does not exist"),
        ("socket", "factx.sock", r"it is a socket"),
        ("nothing", "", r"its file name is empty"),
    ],
)
def test_targets_that_cannot_be_written_are_refused_at_once(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, make: str, name: str, cause: str
) -> None:
    monkeypatch.chdir(tmp_path)
    server = None
    if make == "folder":
        Path("out").mkdir()
    elif make == "file":
        Path("plain.txt").write_text("正文", encoding="utf-8")
    elif make == "link":
        Path(name).symlink_to(Path("gone") / "figures.jsonl")
    elif make == "socket":
        server = socket.socket(socket.AF_UNIX)
        server.bind(name)
    try:
        with pytest.raises(OutputError, match=r"^cannot write .*" + cause):
            RecordWriter(name)
    finally:
        if server is not None:
            server.close()
    assert parts(tmp_path) == []


def test_a_folder_that_takes_no_new_file_is_refused() -> None:
    # Root may write any folder, so the check is run as an unprivileged user when the tests run as
    # root; the folder then sits in a fresh folder that user can reach (pytest's tmp_path is 0700).
    base = Path(tempfile.mkdtemp(prefix="factx-output-"))
    try:
        base.chmod(0o755)
        folder = base / "locked"
        folder.mkdir()
        target = folder / "figures.jsonl"
        target.write_bytes(OLD)
        target.chmod(0o666)  # the file itself may be written: only the folder says no
        folder.chmod(0o555)
        script = (
            "from factx.output import RecordWriter, OutputError\n"
            f"try:\n    RecordWriter({str(target)!r})\nexcept OutputError as exc:\n    print(exc)\n"
        )
        command = [sys.executable, "-c", script]
        if os.geteuid() == 0:
            command = ["setpriv", "--reuid=65534", "--regid=65534", "--clear-groups", *command]
        done = subprocess.run(command, capture_output=True, text=True, timeout=60, cwd=REPO)
        expected = (
            f"cannot write {target}: its folder {folder} is not writable "
            "(the output is written beside the file, then renamed over it)\n"
        )
        assert done.stdout == expected, done.stderr
        assert target.read_bytes() == OLD
    finally:
        (base / "locked").chmod(0o755)
        shutil.rmtree(base)


# --- signals ---------------------------------------------------------------------------------


@pytest.mark.parametrize("signum", INTERRUPTING, ids=lambda s: s.name)
def test_a_signal_in_the_block_raises_interrupted_and_keeps_the_old_file(
    tmp_path: Path, signum: signal.Signals
) -> None:
    target = tmp_path / "figures.jsonl"
    target.write_bytes(OLD)
    seen: list[int] = []

    def before(sig: int, frame: FrameType | None) -> None:
        seen.append(sig)

    previous = signal.signal(signum, before)
    try:
        with pytest.raises(Interrupted) as caught, RecordWriter(target) as out:
            out.write(records()[0])
            out.flush()
            signal.raise_signal(signum)
            out.write(records()[1])
        assert caught.value.signum == signum
        assert signal.getsignal(signum) is before  # the handler that was there is back
        assert seen == []  # ... and the signal went to the writer, not to it
    finally:
        signal.signal(signum, previous)
    assert target.read_bytes() == OLD
    assert parts(tmp_path) == []


def test_a_signal_while_syncing_discards_the_output(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    target = tmp_path / "figures.jsonl"
    target.write_bytes(OLD)
    real_fsync = os.fsync

    def fsync_then_signal(fd: int) -> None:
        real_fsync(fd)
        signal.raise_signal(signal.SIGTERM)

    with pytest.raises(Interrupted) as caught, RecordWriter(target) as out:
        out.write(records()[0])
        monkeypatch.setattr(os, "fsync", fsync_then_signal)
    assert caught.value.signum == signal.SIGTERM
    assert target.read_bytes() == OLD
    assert parts(tmp_path) == []


def test_a_signal_after_the_rename_goes_to_the_handler_before(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    target = tmp_path / "figures.jsonl"
    target.write_bytes(OLD)
    real_replace = os.replace
    seen: list[int] = []

    def replace_then_signal(src: str, dst: str) -> None:
        real_replace(src, dst)
        signal.raise_signal(signal.SIGTERM)

    previous = signal.signal(signal.SIGTERM, lambda sig, frame: seen.append(sig))
    try:
        with RecordWriter(target) as out:
            out.write(records()[0])
            monkeypatch.setattr(os, "replace", replace_then_signal)
    finally:
        signal.signal(signal.SIGTERM, previous)
    assert target.read_bytes() == records()[0]  # the run had completed: its output stands
    assert seen == [signal.SIGTERM]


def test_an_ignored_signal_stays_ignored(tmp_path: Path) -> None:
    # nohup ignores SIGHUP: the writer must not turn it back on.
    previous = signal.signal(signal.SIGHUP, signal.SIG_IGN)
    try:
        with RecordWriter(tmp_path / "figures.jsonl") as out:
            assert signal.getsignal(signal.SIGHUP) == signal.SIG_IGN
            assert signal.getsignal(signal.SIGTERM) not in (signal.SIG_DFL, signal.SIG_IGN)
            out.write(records()[0])
    finally:
        signal.signal(signal.SIGHUP, previous)


def test_a_writer_in_another_thread_installs_no_handler(tmp_path: Path) -> None:
    target = tmp_path / "figures.jsonl"
    during: list[object] = []

    def write() -> None:
        with RecordWriter(target) as out:
            during.append(signal.getsignal(signal.SIGTERM))
            out.write(records()[0])

    before = signal.getsignal(signal.SIGTERM)
    worker = threading.Thread(target=write)
    worker.start()
    worker.join(timeout=60)
    assert during == [before]
    assert target.read_bytes() == records()[0]


def _forked_child(out: object, conn: object, before: dict[int, object]) -> None:
    # A fork made while the writer is open: it has the handlers from before, and writes nothing.
    conn.send([signal.getsignal(s) == before[s] for s in INTERRUPTING])  # type: ignore[attr-defined]
    out.write("子进程的记录\n".encode())  # type: ignore[attr-defined]
    out.flush()  # type: ignore[attr-defined]
    reset_signals_in_child()
    conn.send([signal.getsignal(s) for s in INTERRUPTING])  # type: ignore[attr-defined]


def test_a_forked_worker_has_the_old_handlers_and_never_writes_the_output(tmp_path: Path) -> None:
    target = tmp_path / "figures.jsonl"
    before = {s: signal.getsignal(s) for s in INTERRUPTING}
    context = multiprocessing.get_context("fork")
    receive, send = context.Pipe(duplex=False)
    with RecordWriter(target) as out:
        out.write(records()[0])  # buffered in the parent when the child is forked
        child = context.Process(target=_forked_child, args=(out, send, before))
        child.start()
        assert receive.recv() == [True] * len(INTERRUPTING)
        reset = receive.recv()
        child.join(timeout=60)
        out.write(records()[1])
    assert child.exitcode == 0
    assert reset == [signal.SIG_IGN, signal.SIG_DFL, signal.SIG_DFL]
    assert target.read_bytes() == records()[0] + records()[1]


CHILD = textwrap.dedent("""
    import signal, sys
    from factx.output import Interrupted, RecordWriter

    # A shell without job control starts background jobs with SIGINT ignored; this test wants it.
    signal.signal(signal.SIGINT, signal.default_int_handler)

    def lines():
        for n in range(1000):
            yield ('{"text": "营业收入12.5亿元", "n": %d}\\n' % n).encode()

    try:
        with RecordWriter(sys.argv[1]) as out:
            for line in lines():
                out.write(line)
            out.flush()
            print("written", flush=True)
            sys.stdin.buffer.read()  # blocks until the test sends the signal
            out.write(b"never reached\\n")
    except Interrupted as exc:
        sys.exit(128 + exc.signum)
""")


@pytest.mark.parametrize("signum", INTERRUPTING, ids=lambda s: s.name)
def test_a_killed_run_leaves_the_old_file_and_exits_128_plus_the_signal(
    tmp_path: Path, signum: signal.Signals
) -> None:
    target = tmp_path / "figures.jsonl"
    target.write_bytes(OLD)
    child = subprocess.Popen(
        [sys.executable, "-c", CHILD, str(target)],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        cwd=REPO,
    )
    try:
        assert child.stdout is not None
        assert child.stdout.readline() == b"written\n"
        assert len(parts(tmp_path)) == 1  # the records are in the temporary file now
        child.send_signal(signum)
        _, err = child.communicate(timeout=60)
    finally:
        if child.poll() is None:
            child.kill()
            child.wait()
    assert child.returncode == 128 + signum, err.decode()
    assert target.read_bytes() == OLD
    assert parts(tmp_path) == []
