"""The speed benchmark of ``factx extract`` (issue 13): one run measures everything, on one core.

In: the seed documents in ``seeds/`` and the installed ``factx``. Out: a table on standard output and,
for a full run, one JSON line appended to ``bench/results.jsonl`` (committed), so that runs on this
machine can be compared (``tail -n 5 bench/results.jsonl``).

The corpus
----------
Built once under ``.bench/corpus/``: 40 UTF-8 files, each the documents of ``seeds/`` joined and
repeated until the file is at least 512 KiB, so the corpus is at least 20 MiB. It is cached and rebuilt
only when it is missing, incomplete, or the seeds have changed (tracked by ``.bench/corpus.sha256``).
``--quick`` uses only its first 4 files.

How a run is timed
------------------
The start-up commands (6) run first, so that the corpus runs find the compiled-pack cache warm.
Every measurement is a fresh child process of this interpreter (``sys.executable``), timed by wall
clock (``time.perf_counter``) from before it is started until it has been reaped, so its start-up is
included; each is run ``--repeat`` times (default 5, as this VM varies by +-15%) and the best time is
kept. The runs of the different measurements are interleaved, one of each per round, so that a noisy
moment on the shared machine does not fall on one of them only. "One core" means the child is pinned
to CPU 0 (``os.sched_setaffinity``, where the platform has it) and factx gets ``--jobs 1``. Children
write and read bytecode (in ``.bench/pycache``) even when the caller's shell sets
PYTHONDONTWRITEBYTECODE, as an installed factx has its ``.pyc`` files.

What it measures
----------------
1. ``all features``: ``python -m factx extract CORPUS -o .bench/out.jsonl --jobs 1`` on one core
   (every feature on, context included): seconds, chars/s (decoded code points), figures/s.
2. ``--no-context``: the same with ``--no-context``, and the cost of the context stage in percent.
3. ``bare loop``: about the least a Python number tool can cost on this corpus. A child process of the same
   interpreter, pinned to the same core, that for each corpus file in order reads its bytes, decodes them
   as UTF-8, and counts the matches of one minimal number regex, ``[0-9]+(?:\\.[0-9]+)?`` compiled with
   the ``regex`` module (``len(pattern.findall(text))``), then prints the characters and matches it saw.
   It is timed like factx, start-up included.
4. ``ratio``: the best time of (1) over the best time of (3).
5. ``peak RSS``: the largest peak resident set size of the factx process in the runs of (1), read per
   child with ``os.wait4`` (never the bare loop's). A child's peak starts from this script's own size at
   the fork, so this script keeps at most one corpus file in memory, and reads outputs in blocks.
6. ``start-up``: ``python -m factx extract -q .bench/tiny.txt`` (one line, 营收834.9亿元，同比增长4.4%。)
   and ``python -m factx --help``, on one core: first one run with ``FACTX_CACHE_DIR`` pointing at a
   fresh temporary folder (``cold``: the compiled packs are not cached), then one untimed run with the
   usual cache folder to warm it, then the best of ``--startup-repeat`` timed runs (``warm``). Python's
   own start-up (``python -c pass``) is shown beside them.
7. ``--jobs 2`` speed-up: ``factx extract CORPUS --jobs 1`` and ``--jobs 2``, neither pinned, the best
   time of the first over the best of the second, with the cores this process may use
   (``os.sched_getaffinity``) and those of the machine (``os.cpu_count``); both outputs are checked to be
   byte-identical with that of (1).
8. The floors of issue 13, each PASS or BELOW: chars/s with every feature on >= 2,500,000; ratio to the
   bare loop <= 8; peak RSS <= 300 MB (10^6 bytes); warm start-up <= 0.3 s, of the tiny extract and of
   ``--help`` each; ``--jobs 2`` speed-up >= 1.8. The goals (>= 8,000,000 chars/s, ratio <= 3) are
   printed for information.
9. ``odd inputs``: long runs of digits, separators, numerals and words (about 200,000 chars each),
   extracted in one process on one core: chars/s, and the time per character at that length against a
   quarter of it (1: linear, 4: quadratic). Skipped by ``--quick``.
10. ``ceiling``: what any Python code built on these rule packs and this record model must pay, measured
   in one child process on one core: (a) the pattern passes alone, every built-in exclusion and rule
   pattern run over each corpus file as ``scan`` runs them, with no figure built
   (``factx.matching.scanner.pattern_passes``); (b) the records alone: every record of (1)'s output
   validated (``Figure.model_validate`` on its dict, as extract does) and written back as a JSON line.
   Reported as the chars/s of (a), the microseconds of (b) per record, and the chars/s of (a) and (b)
   together: the most this design can reach with no figure building, context or I/O at all. Best of
   ``min(--repeat, 3)`` runs.

The JSON line
-------------
``timestamp``, ``git_rev``, ``python``, ``corpus_files``, ``corpus_bytes``, ``chars``, ``figures``,
``repeat``; (1) ``times_s``, ``best_s``, ``chars_per_s``, ``figures_per_s``, ``jobs_one_core`` (1),
``pinned_cpu``; (2) ``no_context_times_s``, ``no_context_best_s``, ``no_context_chars_per_s``,
``context_cost_pct``; (3) ``bare_loop_times_s``, ``bare_loop_best_s``, ``bare_loop_chars_per_s``,
``bare_loop_matches``, ``bare_loop_peak_rss_mib``; (4) ``ratio_to_bare_loop``; (5) ``peak_rss_mib``,
``peak_rss_mb``; (6) ``startup_repeat``, ``startup_extract_s``, ``startup_extract_cold_s``,
``startup_help_s``, ``startup_help_cold_s``, ``startup_python_s``; (7) ``cores_available``,
``cpu_count``, ``jobs1_times_s``, ``jobs2_times_s``, ``jobs1_best_s``, ``jobs2_best_s``,
``jobs2_speedup``, ``jobs_outputs_identical``;
(8) ``floors`` (name -> value, op, limit, verdict), ``all_floors`` (PASS if every floor passes),
``goals`` (the same shape, verdict MET or NOT YET), and, as in earlier lines, ``floor_chars_per_s`` and
``status`` (the chars/s verdict alone); (9) ``odd_inputs``; (10) ``ceiling_patterns_s``,
``ceiling_patterns_chars_per_s``, ``ceiling_pattern_matches``, ``ceiling_records``, ``ceiling_records_s``,
``ceiling_record_us``, ``ceiling_chars_per_s``.

``--quick`` (4 files, one run of each, two start-up runs, no odd inputs) takes well under a minute and
appends nothing to ``bench/results.jsonl``: it is for trying the script, not for the record.
Falling below a floor is reported but does not fail: the script exits 0 unless a factx run (or the
bare loop) fails, in which case it exits with a non-zero status.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SEEDS_DIR = ROOT / "seeds"
BENCH_DIR = ROOT / ".bench"
CORPUS_DIR = BENCH_DIR / "corpus"
CORPUS_STAMP = BENCH_DIR / "corpus.sha256"
OUT_FILE = BENCH_DIR / "out.jsonl"
TINY_FILE = BENCH_DIR / "tiny.txt"
TINY_TEXT = "营收834.9亿元，同比增长4.4%。\n"
RESULTS_FILE = ROOT / "bench" / "results.jsonl"

N_FILES = 40
QUICK_FILES = 4
MIN_FILE_BYTES = 512 * 1024
MIN_CORPUS_BYTES = 20 * 1024 * 1024  # 20 MiB (>= 20 MB)
PINNED_CPU = 0
DEFAULT_REPEAT = 5
DEFAULT_STARTUP_REPEAT = 5
QUICK_STARTUP_REPEAT = 2

# The floors and goals of issue 13 ("Must show"): the JSON field judged -> (">=" or "<=", the limit).
FLOOR_CHARS_PER_S = 2_500_000
FLOORS: dict[str, tuple[str, float]] = {
    "chars_per_s": (">=", FLOOR_CHARS_PER_S),
    "ratio_to_bare_loop": ("<=", 8),
    "peak_rss_mb": ("<=", 300),
    "startup_extract_s": ("<=", 0.3),
    "startup_help_s": ("<=", 0.3),
    "jobs2_speedup": (">=", 1.8),
}
GOALS: dict[str, tuple[str, float]] = {
    "chars_per_s": (">=", 8_000_000),
    "ratio_to_bare_loop": ("<=", 3),
}

# What the bare loop runs: the corpus files come as arguments, in the order factx reads them.
BARE_LOOP_CODE = """
import json, sys
import regex
number = regex.compile(r"[0-9]+(?:\\.[0-9]+)?")
chars = matches = 0
for path in sys.argv[1:]:
    with open(path, "rb") as f:
        text = f.read().decode("utf-8")
    chars += len(text)
    matches += len(number.findall(text))
print(json.dumps({"chars": chars, "matches": matches}))
"""

# The ceiling (measurement 10): argv[1] is the records file of run (1), the corpus files follow.
CEILING_CODE = """
import json, sys, time
from factx.extract import default_ruleset
from factx.matching.scanner import pattern_passes
from factx.output.jsonl import figure_line
from factx.records import Figure
rs = default_ruleset()
patterns_s = 0.0
matches = 0
for path in sys.argv[2:]:
    with open(path, "rb") as f:
        text = f.read().decode("utf-8")
    start = time.perf_counter()
    matches += pattern_passes(text, rs)
    patterns_s += time.perf_counter() - start
records = 0
records_s = 0.0
with open(sys.argv[1], "rb") as f:
    while True:
        block = [json.loads(line) for line in f.readlines(1 << 22)]  # parsed untimed, in blocks
        if not block:
            break
        start = time.perf_counter()
        for record in block:
            figure_line(Figure.model_validate(record))
        records_s += time.perf_counter() - start
        records += len(block)
print(json.dumps({"patterns_s": patterns_s, "matches": matches, "records": records, "records_s": records_s}))
"""
CEILING_REPEAT = 3


@dataclass(frozen=True)
class Corpus:
    path: Path
    files: int
    bytes: int
    chars: int


@dataclass(frozen=True)
class ChildRun:
    """One child process: its wall seconds (start-up included), peak RSS in KiB, and standard output."""

    seconds: float
    peak_rss_kib: int
    stdout: bytes


def _seed_texts() -> list[tuple[str, str]]:
    seeds = sorted(SEEDS_DIR.glob("*.txt"))
    if not seeds:
        raise SystemExit(f"bench: no seed documents (*.txt) in {SEEDS_DIR}")
    return [(p.name, p.read_text(encoding="utf-8")) for p in seeds]


def _seed_digest(seeds: list[tuple[str, str]]) -> str:
    h = hashlib.sha256()
    h.update(f"{N_FILES}:{MIN_FILE_BYTES}\n".encode())
    for name, text in seeds:
        h.update(name.encode("utf-8") + b"\0" + text.encode("utf-8") + b"\0")
    return h.hexdigest()


def _measure(corpus_dir: Path) -> Corpus:
    files = sorted(corpus_dir.glob("*.txt"))
    n_bytes = 0
    n_chars = 0
    for f in files:
        data = f.read_bytes()
        n_bytes += len(data)
        n_chars += len(data.decode("utf-8"))
    return Corpus(path=corpus_dir, files=len(files), bytes=n_bytes, chars=n_chars)


def build_corpus(force: bool = False) -> Corpus:
    """Build ``.bench/corpus/`` from ``seeds/`` unless an up-to-date copy is already there."""
    seeds = _seed_texts()
    digest = _seed_digest(seeds)
    if not force and CORPUS_STAMP.is_file() and CORPUS_STAMP.read_text().strip() == digest:
        corpus = _measure(CORPUS_DIR)
        if corpus.files == N_FILES and corpus.bytes >= MIN_CORPUS_BYTES:
            return corpus

    CORPUS_DIR.mkdir(parents=True, exist_ok=True)
    for stale in CORPUS_DIR.glob("*.txt"):
        stale.unlink()
    CORPUS_STAMP.unlink(missing_ok=True)

    # Separate documents with a blank line so the last sentence of one seed never runs into the next.
    block = "\n\n".join(text for _, text in seeds) + "\n\n"
    block_bytes = len(block.encode("utf-8"))
    repeats = -(-MIN_FILE_BYTES // block_bytes)  # ceiling division
    content = (block * repeats).encode("utf-8")
    assert len(content) >= MIN_FILE_BYTES
    for i in range(N_FILES):
        (CORPUS_DIR / f"doc_{i:03d}.txt").write_bytes(content)

    corpus = _measure(CORPUS_DIR)
    assert corpus.files == N_FILES, corpus
    assert corpus.bytes >= MIN_CORPUS_BYTES, f"corpus is only {corpus.bytes} bytes"
    CORPUS_STAMP.write_text(digest + "\n")
    return corpus


def _pin_to_one_core() -> Callable[[], None] | None:
    if not hasattr(os, "sched_setaffinity"):
        return None

    def pin() -> None:
        os.sched_setaffinity(0, {PINNED_CPU})

    return pin


def _git_rev() -> str:
    try:
        proc = subprocess.run(
            ["git", "rev-parse", "--short", "HEAD"],
            cwd=ROOT,
            capture_output=True,
            text=True,
            check=False,
        )
    except OSError:
        return "unknown"
    rev = proc.stdout.strip()
    return rev if proc.returncode == 0 and rev else "unknown"


def _count_lines(path: Path) -> int:
    with path.open("rb") as f:
        return sum(1 for line in f if line.strip())


def _file_digest(path: Path) -> str:
    h = hashlib.sha256()
    with path.open("rb") as f:
        while block := f.read(1 << 20):  # in blocks: this process must stay small (see peak RSS)
            h.update(block)
    return h.hexdigest()


def child_env() -> dict[str, str]:
    """The children's environment: this one, with bytecode written and read (under .bench/pycache), as
    an installed factx has it. A PYTHONDONTWRITEBYTECODE in the caller's shell would otherwise make
    every child compile factx's modules from source, ~0.1 s of start-up no user pays."""
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    env["PYTHONPYCACHEPREFIX"] = str(BENCH_DIR / "pycache")
    return env


def run_child(
    cmd: Sequence[str], *, pinned: bool, env: Mapping[str, str] | None = None, what: str = "factx"
) -> ChildRun:
    """Run one child process from the project root and time it from start to reaping; its peak RSS
    comes from ``os.wait4``, so it is this child's alone. Exits non-zero if the child fails."""
    # Standard output and error go to files rather than pipes: nothing to drain while the child runs,
    # and the child is reaped by wait4 (which reports its rusage) rather than by subprocess.
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        start = time.perf_counter()
        proc = subprocess.Popen(
            list(cmd),
            cwd=ROOT,
            stdin=subprocess.DEVNULL,
            stdout=out,
            stderr=err,
            env=child_env() if env is None else dict(env),
            preexec_fn=_pin_to_one_core() if pinned else None,  # this script is single-threaded
        )
        _, status, usage = os.wait4(proc.pid, 0)
        elapsed = time.perf_counter() - start
        proc.returncode = os.waitstatus_to_exitcode(status)
        if proc.returncode != 0:
            err.seek(0)
            sys.stderr.write(err.read().decode("utf-8", errors="replace"))
            print(
                f"bench: {what}: `{' '.join(cmd)}` failed with exit status {proc.returncode}", file=sys.stderr
            )
            raise SystemExit(proc.returncode if proc.returncode > 0 else 1)
        out.seek(0)
        return ChildRun(seconds=elapsed, peak_rss_kib=usage.ru_maxrss, stdout=out.read())


def factx_cmd(*args: str) -> list[str]:
    """``python -m factx ARGS`` with this interpreter."""
    return [sys.executable, "-m", "factx", *args]


def run_extract(inputs: Sequence[str], out_file: Path, *, pinned: bool, extra: Sequence[str]) -> ChildRun:
    """``factx extract INPUTS -o OUT_FILE EXTRA`` once; checks that the output file was written."""
    out_file.unlink(missing_ok=True)
    run = run_child(
        factx_cmd("extract", *inputs, "-o", os.path.relpath(out_file, ROOT), *extra), pinned=pinned
    )
    if not out_file.is_file():
        print(f"bench: factx exited 0 but wrote no {out_file}", file=sys.stderr)
        raise SystemExit(1)
    return run


def run_bare_loop(files: Sequence[str]) -> tuple[ChildRun, dict[str, int]]:
    """The bare loop (see the module docstring) once on one core; returns the run and what it counted."""
    run = run_child([sys.executable, "-c", BARE_LOOP_CODE, *files], pinned=True, what="bare loop")
    counted: dict[str, int] = json.loads(run.stdout)
    return run, counted


# ----------------------------------------------------------------------------------------------------
# Verdicts (pure: tested in tests/test_bench_script.py)


def verdict(value: float | None, op: str, limit: float) -> bool | None:
    """Whether ``value op limit`` holds (op is ">=" or "<="); None when the value was not measured."""
    if value is None:
        return None
    if op == ">=":
        return value >= limit
    if op == "<=":
        return value <= limit
    raise ValueError(f"unknown comparison {op!r}")


def judge(
    measured: Mapping[str, object], limits: Mapping[str, tuple[str, float]], labels: tuple[str, str]
) -> dict[str, dict[str, object]]:
    """For each field with a limit, the measured value, the comparison, the limit and a verdict:
    ``labels[0]`` if it holds, ``labels[1]`` if not, ``"n/a"`` if the value is missing."""
    judged: dict[str, dict[str, object]] = {}
    for name, (op, limit) in limits.items():
        raw = measured.get(name)
        value = float(raw) if isinstance(raw, int | float) else None
        ok = verdict(value, op, limit)
        judged[name] = {
            "value": raw,
            "op": op,
            "limit": limit,
            "verdict": "n/a" if ok is None else labels[0] if ok else labels[1],
        }
    return judged


def all_pass(floors: Mapping[str, Mapping[str, object]]) -> str:
    """PASS if every floor passes, else BELOW."""
    return "PASS" if floors and all(f["verdict"] == "PASS" for f in floors.values()) else "BELOW"


def ratio(numerator: float, denominator: float) -> float:
    """numerator / denominator, rounded to 2 places; a zero denominator counts as a microsecond."""
    return round(numerator / max(denominator, 1e-6), 2)


def cores_available() -> int:
    """The cores this process may run on (its affinity), or all of the machine's where that is unknown."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


# ----------------------------------------------------------------------------------------------------
# Measurements


def throughput(corpus: Corpus, files: list[str], inputs: list[str], repeat: int) -> dict[str, object]:
    """Measurements 1 to 5 and 7 (the corpus runs), interleaved: one run of each per round."""
    one_core = ("--jobs", "1")
    outs = {
        "all": OUT_FILE,
        "no_context": BENCH_DIR / "out-no-context.jsonl",
        "jobs1": BENCH_DIR / "out-jobs1.jsonl",
        "jobs2": BENCH_DIR / "out-jobs2.jsonl",
    }
    times: dict[str, list[float]] = {name: [] for name in (*outs, "bare")}
    rss_kib: dict[str, int] = {"all": 0, "bare": 0}
    counted: dict[str, int] = {}
    for _ in range(repeat):
        run = run_extract(inputs, outs["all"], pinned=True, extra=one_core)
        times["all"].append(run.seconds)
        rss_kib["all"] = max(rss_kib["all"], run.peak_rss_kib)
        run = run_extract(inputs, outs["no_context"], pinned=True, extra=(*one_core, "--no-context"))
        times["no_context"].append(run.seconds)
        run, counted = run_bare_loop(files)
        times["bare"].append(run.seconds)
        rss_kib["bare"] = max(rss_kib["bare"], run.peak_rss_kib)
        for n in (1, 2):
            run = run_extract(inputs, outs[f"jobs{n}"], pinned=False, extra=("--jobs", str(n)))
            times[f"jobs{n}"].append(run.seconds)

    if counted.get("chars") != corpus.chars:
        print(
            f"bench: the bare loop decoded {counted.get('chars')} chars, not {corpus.chars}", file=sys.stderr
        )
    reference = _file_digest(outs["all"])
    identical = all(_file_digest(outs[f"jobs{n}"]) == reference for n in (1, 2))
    for name in ("no_context", "jobs1", "jobs2"):  # ~90 MB each at full size; out.jsonl is kept
        outs[name].unlink(missing_ok=True)

    best = {name: max(min(ts), 1e-9) for name, ts in times.items()}
    figures = _count_lines(outs["all"])
    return {
        "figures": figures,
        "repeat": repeat,
        "times_s": [round(t, 4) for t in times["all"]],
        "best_s": round(best["all"], 4),
        "chars_per_s": round(corpus.chars / best["all"], 1),
        "figures_per_s": round(figures / best["all"], 1),
        "jobs_one_core": 1,
        "pinned_cpu": PINNED_CPU if hasattr(os, "sched_setaffinity") else None,
        "no_context_times_s": [round(t, 4) for t in times["no_context"]],
        "no_context_best_s": round(best["no_context"], 4),
        "no_context_chars_per_s": round(corpus.chars / best["no_context"], 1),
        "context_cost_pct": round((best["all"] / best["no_context"] - 1) * 100, 1),
        "bare_loop_times_s": [round(t, 4) for t in times["bare"]],
        "bare_loop_best_s": round(best["bare"], 4),
        "bare_loop_chars_per_s": round(corpus.chars / best["bare"], 1),
        "bare_loop_matches": counted.get("matches"),
        "bare_loop_peak_rss_mib": round(rss_kib["bare"] / 1024, 1),
        "ratio_to_bare_loop": ratio(best["all"], best["bare"]),
        "peak_rss_mib": round(rss_kib["all"] / 1024, 1),
        "peak_rss_mb": round(rss_kib["all"] * 1024 / 1e6, 1),
        "cores_available": cores_available(),
        "cpu_count": os.cpu_count(),
        "jobs1_times_s": [round(t, 4) for t in times["jobs1"]],
        "jobs2_times_s": [round(t, 4) for t in times["jobs2"]],
        "jobs1_best_s": round(best["jobs1"], 4),
        "jobs2_best_s": round(best["jobs2"], 4),
        "jobs2_speedup": ratio(best["jobs1"], best["jobs2"]),
        "jobs_outputs_identical": identical,
    }


def ceiling(corpus: Corpus, files: list[str], repeat: int) -> dict[str, object]:
    """Measurement 10: the pattern passes alone and the records alone (see the module docstring)."""
    runs = []
    for _ in range(min(repeat, CEILING_REPEAT)):
        run = run_child(
            [sys.executable, "-c", CEILING_CODE, os.path.relpath(OUT_FILE, ROOT), *files],
            pinned=True,
            what="ceiling",
        )
        runs.append(json.loads(run.stdout))
    patterns_s = max(min(r["patterns_s"] for r in runs), 1e-9)
    records_s = min(r["records_s"] for r in runs)
    records = runs[0]["records"]
    return {
        "ceiling_patterns_s": round(patterns_s, 4),
        "ceiling_patterns_chars_per_s": round(corpus.chars / patterns_s, 1),
        "ceiling_pattern_matches": runs[0]["matches"],
        "ceiling_records": records,
        "ceiling_records_s": round(records_s, 4),
        "ceiling_record_us": round(records_s / max(records, 1) * 1e6, 2),
        "ceiling_chars_per_s": round(corpus.chars / (patterns_s + records_s), 1),
    }


def startup_seconds(cmd: list[str], repeat: int) -> tuple[float, float]:
    """(best warm seconds of ``repeat`` runs, seconds of one cold run) of a command on one core. Cold:
    ``FACTX_CACHE_DIR`` is a fresh temporary folder; then one untimed run warms the usual cache."""
    with tempfile.TemporaryDirectory(prefix="factx-bench-cache-") as fresh:
        cold = run_child(cmd, pinned=True, env={**child_env(), "FACTX_CACHE_DIR": fresh}).seconds
    if not run_child(cmd, pinned=True).stdout.strip():
        # A start-up that does nothing would be fast for the wrong reason.
        print(f"bench: warning: `{' '.join(cmd)}` printed nothing", file=sys.stderr)
    warm = min(run_child(cmd, pinned=True).seconds for _ in range(repeat))
    return warm, cold


def startup(repeat: int) -> dict[str, object]:
    """Measurement 6: start-up of a one-line extract and of ``--help``, and of Python itself."""
    TINY_FILE.parent.mkdir(parents=True, exist_ok=True)
    TINY_FILE.write_text(TINY_TEXT, encoding="utf-8")
    extract_warm, extract_cold = startup_seconds(
        factx_cmd("extract", "-q", os.path.relpath(TINY_FILE, ROOT)), repeat
    )
    help_warm, help_cold = startup_seconds(factx_cmd("--help"), repeat)
    python = min(run_child([sys.executable, "-c", "pass"], pinned=True).seconds for _ in range(repeat))
    return {
        "startup_repeat": repeat,
        "startup_extract_s": round(extract_warm, 4),
        "startup_extract_cold_s": round(extract_cold, 4),
        "startup_help_s": round(help_warm, 4),
        "startup_help_cold_s": round(help_cold, 4),
        "startup_python_s": round(python, 4),
    }


# Odd inputs that make number tools slow: long runs of digits, separators, numerals and words. Each
# is timed in-process (packs loaded first) at 50,000 and 200,000 characters: a linear scan takes
# about the same time per character at both; a quadratic one four times as long at the larger.
ODD_INPUTS_CODE = """
import json, time
import factx
from factx.extract import default_ruleset
rs = default_ruleset()


def cases(n):
    return {
        "digits": "1" * n,
        "digits_then_unit": "7" * n + "个",
        "thousands_commas": "1," * (n // 2),
        "decimal_points": "1." * (n // 2),
        "cjk_numerals": "一" * n + "家",
        "mixed_numerals": "1一" * (n // 2),
        "percent_run": "1%" * (n // 2),
        "figures_without_sentence_end": "1米" * (n // 2),
        "comma_groups_then_unit": "收入" + "123," * (n // 4) + "5亿元",
        "magnitudes_between_digits": "1万" * (n // 2) + "1",
        "places_magnitudes_between_digits": "1千万" * (n // 3) + "1",
        "magnitudes_after_hours": "1小时一" + "万" * n,
        "magnitudes_before_fraction": "三" + "万" * n + "分之X",
        "level_words_before_figure": ("增长" + "达到" * 40 + "的5%，") * (n // 86),
        "range_connectors": "1至" * (n // 2) + "2元",
        "cjk_decimals": "规模达一点" + "五" * n + "亿元",
    }


def seconds(text):
    t = time.perf_counter()
    factx.extract_document(text, ruleset=rs)
    return max(time.perf_counter() - t, 1e-9)


small, large = cases(50_000), cases(200_000)
out = {}
for name, text in large.items():
    t_small, t_large = seconds(small[name]), seconds(text)
    ratio = (t_large / len(text)) / (t_small / len(small[name]))  # 1: linear; 4: quadratic
    out[name] = {"chars_per_s": round(len(text) / t_large), "per_char_4x": round(ratio, 2)}
print(json.dumps(out))
"""
LINEAR_UP_TO = 1.6  # time per character at 4x the length, against 1x: 1 is linear, 4 quadratic


def odd_inputs() -> dict[str, dict[str, float]]:
    """Extraction on long runs of digits, numerals and words (about 200,000 chars each), one core:
    chars/s, and the time per character at that length against a quarter of it (linear: ~1)."""
    proc = subprocess.run(
        [sys.executable, "-c", ODD_INPUTS_CODE],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
        preexec_fn=_pin_to_one_core(),
    )
    result: dict[str, dict[str, float]] = json.loads(proc.stdout)
    return result


# ----------------------------------------------------------------------------------------------------
# Report


def _fmt(value: object) -> str:
    if isinstance(value, bool) or value is None:
        return str(value)
    if isinstance(value, int | float):
        return f"{value:,.0f}" if abs(value) >= 1000 else f"{value:g}"
    return str(value)


def _times(ts: object) -> str:
    return ", ".join(f"{t:.3f}" for t in ts) if isinstance(ts, list) else ""


def print_report(r: Mapping[str, object], quick: bool = False) -> None:
    """The table of one run, in sections: one core, start-up, two cores, floors and goals, odd inputs."""
    pinned = r["pinned_cpu"]
    where = "not pinned: no sched_setaffinity" if pinned is None else f"pinned to CPU {pinned}"
    sections: list[tuple[str, list[tuple[str, str]]]] = [
        (
            f"one core ({where}, --jobs 1); best of {r['repeat']} wall-clock runs, process start-up included",
            [
                (
                    "corpus",
                    f"{_fmt(r['corpus_bytes'])} bytes, {_fmt(r['chars'])} chars, {r['corpus_files']} files",
                ),
                (
                    "all features",
                    f"{_fmt(r['chars_per_s'])} chars/s, {_fmt(r['figures_per_s'])} figures/s "
                    f"({_fmt(r['figures'])} figures; {r['best_s']:.3f} s of {_times(r['times_s'])})",
                ),
                (
                    "--no-context",
                    f"{_fmt(r['no_context_chars_per_s'])} chars/s ({r['no_context_best_s']:.3f} s of "
                    f"{_times(r['no_context_times_s'])}); context stage {r['context_cost_pct']:+.1f}%",
                ),
                (
                    "bare loop",
                    f"{_fmt(r['bare_loop_chars_per_s'])} chars/s ({r['bare_loop_best_s']:.3f} s of "
                    f"{_times(r['bare_loop_times_s'])}; decode + one number regex, "
                    f"{_fmt(r['bare_loop_matches'])} matches)",
                ),
                ("factx / bare loop", f"x{r['ratio_to_bare_loop']} the time"),
                (
                    "ceiling: patterns",
                    f"{_fmt(r['ceiling_patterns_chars_per_s'])} chars/s: the rule patterns alone, "
                    f"no figure built ({_fmt(r['ceiling_pattern_matches'])} matches)",
                ),
                (
                    "ceiling: + records",
                    f"{_fmt(r['ceiling_chars_per_s'])} chars/s: with each record only validated and "
                    f"written ({r['ceiling_record_us']} us a record)",
                ),
                (
                    "peak RSS",
                    f"{r['peak_rss_mb']} MB = {r['peak_rss_mib']} MiB (factx, all features; "
                    f"bare loop {r['bare_loop_peak_rss_mib']} MiB)",
                ),
            ],
        ),
    ]
    if "startup_extract_s" in r:
        sections.append(
            (
                f"start-up (one core; warm: best of {r['startup_repeat']}, cold: fresh FACTX_CACHE_DIR)",
                [
                    (
                        "extract -q tiny",
                        f"{r['startup_extract_s']:.3f} s warm, {r['startup_extract_cold_s']:.3f} s cold",
                    ),
                    ("--help", f"{r['startup_help_s']:.3f} s warm, {r['startup_help_cold_s']:.3f} s cold"),
                    ("python -c pass", f"{r['startup_python_s']:.3f} s"),
                ],
            )
        )
    sections.append(
        (
            f"two cores (not pinned; {r['cores_available']} cores available, os.cpu_count {r['cpu_count']})",
            [
                (
                    "--jobs 1 / --jobs 2",
                    f"{r['jobs1_best_s']:.3f} s / {r['jobs2_best_s']:.3f} s = x{r['jobs2_speedup']}"
                    + ("" if r["jobs_outputs_identical"] else "  (OUTPUTS DIFFER from the one-core run)"),
                ),
            ],
        )
    )
    for title, judged in (("floors (issue 13)", r["floors"]), ("goals (for information)", r["goals"])):
        assert isinstance(judged, dict)
        rows = [
            (name, f"{_fmt(j['value'])} {j['op']} {_fmt(j['limit'])}  {j['verdict']}")
            for name, j in judged.items()
        ]
        if title.startswith("floors"):
            rows.append(("all floors", str(r["all_floors"])))
        sections.append((title, rows))
    odd = r.get("odd_inputs")
    if isinstance(odd, dict) and odd:
        sections.append(
            (
                "odd inputs (200,000 chars each, one core; time per char at 4x the length, 1 = linear)",
                [
                    (
                        name,
                        f"{o['chars_per_s']:,.0f} chars/s, x{o['per_char_4x']} "
                        + ("(linear)" if o["per_char_4x"] <= LINEAR_UP_TO else "(SUPERLINEAR)"),
                    )
                    for name, o in odd.items()
                ],
            )
        )

    width = max(len(key) for _, rows in sections for key, _ in rows)
    note = " (--quick: not recorded)" if quick else ""
    print(f"factx extract benchmark @ {r['git_rev']}, python {r['python']}{note}")
    for title, rows in sections:
        print(title)
        for key, value in rows:
            print(f"  {key:<{width}}  {value}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description="The speed benchmark of `factx extract` (issue 13) on a corpus built from seeds/.",
    )
    parser.add_argument(
        "--repeat",
        type=int,
        default=None,
        help=f"timed runs of each corpus measurement; the best is kept (default {DEFAULT_REPEAT}, "
        "1 with --quick; this VM varies +-15%%)",
    )
    parser.add_argument(
        "--startup-repeat",
        type=int,
        default=None,
        help=f"timed warm runs of each start-up command (default {DEFAULT_STARTUP_REPEAT}, "
        f"{QUICK_STARTUP_REPEAT} with --quick)",
    )
    parser.add_argument(
        "--quick",
        action="store_true",
        help=f"a trial in well under a minute: {QUICK_FILES} files, --repeat 1, no odd inputs; "
        "nothing is appended to bench/results.jsonl",
    )
    parser.add_argument("--rebuild", action="store_true", help="rebuild the cached corpus in .bench/corpus")
    args = parser.parse_args(argv)
    repeat = args.repeat if args.repeat is not None else 1 if args.quick else DEFAULT_REPEAT
    startup_repeat = (
        args.startup_repeat
        if args.startup_repeat is not None
        else QUICK_STARTUP_REPEAT
        if args.quick
        else DEFAULT_STARTUP_REPEAT
    )
    if repeat < 1 or startup_repeat < 1:
        parser.error("--repeat and --startup-repeat must be >= 1")

    corpus = build_corpus(force=args.rebuild)
    paths = sorted(corpus.path.glob("*.txt"))
    if args.quick:
        paths = paths[:QUICK_FILES]
        corpus = Corpus(
            path=corpus.path,
            files=len(paths),
            bytes=sum(p.stat().st_size for p in paths),
            chars=sum(len(p.read_bytes().decode("utf-8")) for p in paths),
        )
    files = [os.path.relpath(p, ROOT) for p in paths]
    # factx reads the whole folder in a full run (finding the files is part of its work), the files
    # themselves in a quick one.
    inputs = files if args.quick else [os.path.relpath(corpus.path, ROOT)]

    result: dict[str, object] = {
        "timestamp": datetime.now(UTC).isoformat(timespec="seconds"),
        "git_rev": _git_rev(),
        "python": sys.version.split()[0],
        "corpus_files": corpus.files,
        "corpus_bytes": corpus.bytes,
        "chars": corpus.chars,
    }
    # Start-up first: its warm-up run leaves the compiled-pack cache warm for the corpus runs.
    startup_times = startup(startup_repeat)
    result |= throughput(corpus, files, inputs, repeat)
    result |= ceiling(corpus, files, repeat)
    result |= startup_times
    floors = judge(result, FLOORS, ("PASS", "BELOW"))
    result |= {
        "floors": floors,
        "all_floors": all_pass(floors),
        "goals": judge(result, GOALS, ("MET", "NOT YET")),
        "floor_chars_per_s": FLOOR_CHARS_PER_S,
        "status": floors["chars_per_s"]["verdict"],
        "odd_inputs": {} if args.quick else odd_inputs(),
    }
    print_report(result, quick=args.quick)

    if args.quick:
        print(f"not appended to {os.path.relpath(RESULTS_FILE, ROOT)} (--quick)")
    else:
        append_result(RESULTS_FILE, result)
    return 0


def append_result(path: Path, result: Mapping[str, object]) -> None:
    """One JSON line in a committed file of ``bench/``, so that runs can be compared over time."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("a", encoding="utf-8") as f:
        f.write(json.dumps(result, ensure_ascii=False) + "\n")
    print(f"appended to {os.path.relpath(path, ROOT)}")


if __name__ == "__main__":
    sys.exit(main())
