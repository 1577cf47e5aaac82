"""Benchmarks of ``factx extract`` on hostile inputs: memory on huge documents.

What it measures (each a real ``python -m factx extract`` subprocess; peak RSS read with wait4,
which counts the process and the workers it reaped)
---------------------------------------------------------------------------------------------
1. ``single_line_300mb``: a generated single-line UTF-8 file of 300 MB (the seeds with their line
   breaks removed, repeated; cached in ``.bench/``), extracted to /dev/null: seconds, chars/s,
   records and peak RSS, against the target of at most 300 MB of RSS.
2. ``stdin_50mb``: 50 MB of the same text on standard input: the same numbers, the same target.

The ``--jobs 2`` speed-up is measured by ``bench.py``, with the other speed figures of issue 13.

Each run appends one JSON line to ``bench/inputs.jsonl`` (committed), so runs can be compared.
Targets are reported (PASS/BELOW) and never fail the script; a factx run that fails does.
Sizes can be lowered for a quick look: ``--single-mb 30 --stdin-mb 5``.
"""

from __future__ import annotations

import argparse
import codecs
import os
import re
import subprocess
import sys
import time
from datetime import UTC, datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench import BENCH_DIR, ROOT, SEEDS_DIR, _git_rev, append_result  # noqa: E402

RESULTS_FILE = ROOT / "bench" / "inputs.jsonl"
RSS_TARGET_MB = 300


def _one_line_text() -> bytes:
    seeds = sorted(SEEDS_DIR.glob("*.txt"))
    text = "".join(p.read_text(encoding="utf-8").replace("\r", "").replace("\n", "") for p in seeds)
    return text.encode("utf-8")


def _single_line_file(megabytes: int) -> Path:
    path = BENCH_DIR / f"single_line_{megabytes}mb.txt"
    want = megabytes * 1_000_000
    if path.is_file() and path.stat().st_size >= want:
        return path
    block = _one_line_text()
    BENCH_DIR.mkdir(parents=True, exist_ok=True)
    with path.open("wb") as f:
        written = 0
        while written < want:
            f.write(block)
            written += len(block)
    return path


def _run(args: list[str], stdin_path: Path | None = None) -> tuple[float, float, str]:
    """Run factx; return (seconds, peak RSS in MB of it and its workers, stderr)."""
    cmd = [sys.executable, "-m", "factx", "extract", *args]
    stdin = stdin_path.open("rb") if stdin_path else subprocess.DEVNULL
    start = time.perf_counter()
    proc = subprocess.Popen(cmd, cwd=ROOT, stdin=stdin, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    assert proc.stderr is not None
    stderr = proc.stderr.read().decode("utf-8", "replace")
    _, status, usage = os.wait4(proc.pid, 0)
    seconds = time.perf_counter() - start
    proc.returncode = os.waitstatus_to_exitcode(status)
    if stdin_path:
        stdin.close()  # type: ignore[union-attr]
    if proc.returncode != 0:
        sys.stderr.write(stderr)
        raise SystemExit(f"bench: {' '.join(cmd)} exited {proc.returncode}")
    return seconds, usage.ru_maxrss / 1024, stderr


def _records(stderr: str) -> int:
    # From the summary line: "factx: N documents (…), M figures, …"
    found = re.search(r"factx: .*?([\d,]+) figures?", stderr)
    return int(found.group(1).replace(",", "")) if found else -1


def _chars(path: Path) -> int:
    """Code points of a UTF-8 file, counted in blocks: this process stays small, since a child's
    peak RSS as wait4 reports it starts from its parent's at the fork."""
    decoder = codecs.getincrementaldecoder("utf-8")()
    count = 0
    with path.open("rb") as f:
        while block := f.read(1 << 24):
            count += len(decoder.decode(block))
    return count + len(decoder.decode(b"", final=True))


def huge(path: Path, via_stdin: bool) -> dict[str, object]:
    args = (
        ["-", "-o", "/dev/null", "--jobs", "1"]
        if via_stdin
        else [str(path), "-o", "/dev/null", "--jobs", "1"]
    )
    seconds, rss, stderr = _run(args, path if via_stdin else None)
    chars = _chars(path)
    return {
        "bytes": path.stat().st_size,
        "seconds": round(seconds, 2),
        "chars_per_s": round(chars / seconds),
        "records": _records(stderr),
        "peak_rss_mb": round(rss, 1),
        "status": "PASS" if rss <= RSS_TARGET_MB else "BELOW",
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--single-mb", type=int, default=300, help="size of the single-line file (MB)")
    parser.add_argument("--stdin-mb", type=int, default=50, help="size of the text sent on stdin (MB)")
    args = parser.parse_args(argv)

    result = {
        "timestamp": datetime.now(UTC).isoformat(timespec="seconds"),
        "git_rev": _git_rev(),
        f"single_line_{args.single_mb}mb": huge(_single_line_file(args.single_mb), via_stdin=False),
        f"stdin_{args.stdin_mb}mb": huge(_single_line_file(args.stdin_mb), via_stdin=True),
    }
    print(f"factx hostile-inputs benchmark @ {result['git_rev']}")
    for key, value in result.items():
        if isinstance(value, dict):
            print(f"  {key}: " + ", ".join(f"{k}={v}" for k, v in value.items()))
    append_result(RESULTS_FILE, result)
    return 0


if __name__ == "__main__":
    sys.exit(main())
