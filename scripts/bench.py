"""Single-core throughput benchmark for ``factx extract``.

What it measures
----------------
1. Builds (once) a synthetic corpus under ``.bench/corpus/``: 40 UTF-8 files, each the
   concatenation of the documents in ``seeds/`` repeated until the file is at least 512 KiB,
   so the corpus is at least 20 MiB. The corpus is cached and rebuilt only when it is missing,
   incomplete, or the seed documents have changed (tracked by ``.bench/corpus.sha256``).
2. Runs ``python -m factx extract .bench/corpus -o .bench/out.jsonl`` as a subprocess pinned to
   CPU 0 (``os.sched_setaffinity`` where the platform has it), ``--repeat`` times (default 3),
   and keeps the best wall-clock time (``time.perf_counter``); then the same with ``--no-context``,
   so that the cost of the context stage (metric, subject, period, basis) shows beside it.
3. Reports corpus bytes, decoded characters (code points), figures (output JSONL lines), best
   seconds, chars/s, figures/s and the peak RSS of the child processes
   (``resource.getrusage(RUSAGE_CHILDREN).ru_maxrss``, KiB on Linux), and compares chars/s with
   the floor of 1,000,000 chars/s (PASS/BELOW).

How to compare runs
-------------------
Every run appends one JSON line (numbers above, UTC timestamp, ``git rev-parse --short HEAD``)
to ``bench/results.jsonl``, which is committed. Compare runs on the same machine, e.g.::

    tail -n 5 bench/results.jsonl

Falling below the floor is reported but does not fail: the script exits 0 unless the factx
run itself fails, in which case it exits with a non-zero status.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import resource
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SEEDS_DIR = ROOT / "seeds"
BENCH_DIR = ROOT / ".bench"
CORPUS_DIR = BENCH_DIR / "corpus"
CORPUS_STAMP = BENCH_DIR / "corpus.sha256"
OUT_FILE = BENCH_DIR / "out.jsonl"
RESULTS_FILE = ROOT / "bench" / "results.jsonl"

N_FILES = 40
MIN_FILE_BYTES = 512 * 1024
MIN_CORPUS_BYTES = 20 * 1024 * 1024  # 20 MiB (>= 20 MB)
FLOOR_CHARS_PER_S = 1_000_000
PINNED_CPU = 0


@dataclass(frozen=True)
class Corpus:
    path: Path
    files: int
    bytes: int
    chars: int


@dataclass(frozen=True)
class Result:
    timestamp: str
    git_rev: str
    corpus_files: int
    corpus_bytes: int
    chars: int
    figures: int
    repeat: int
    times_s: list[float]
    best_s: float
    chars_per_s: float
    figures_per_s: float
    no_context_best_s: float
    no_context_chars_per_s: float
    context_cost_pct: float  # how much longer a run takes with the context stage than without
    peak_rss_mib: float
    pinned_cpu: int | None
    floor_chars_per_s: int
    status: str
    python: str
    odd_inputs: dict[str, dict[str, float]]


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


def run_once(corpus_dir: Path, out_file: Path, extra: tuple[str, ...] = ()) -> float:
    """Run factx once on the corpus; return wall seconds. Exits non-zero if factx fails."""
    cmd = [
        sys.executable,
        "-m",
        "factx",
        "extract",
        os.path.relpath(corpus_dir, ROOT),
        "-o",
        os.path.relpath(out_file, ROOT),
        *extra,
    ]
    out_file.unlink(missing_ok=True)
    start = time.perf_counter()
    proc = subprocess.run(
        cmd,
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        preexec_fn=_pin_to_one_core(),  # the script is single-threaded, so preexec_fn is safe
        check=False,
    )
    elapsed = time.perf_counter() - start
    if proc.returncode != 0:
        sys.stderr.write(proc.stderr.decode("utf-8", errors="replace"))
        print(f"bench: `{' '.join(cmd)}` failed with exit status {proc.returncode}", file=sys.stderr)
        raise SystemExit(proc.returncode if proc.returncode > 0 else 1)
    if not out_file.is_file():
        print(f"bench: factx exited 0 but wrote no {out_file}", file=sys.stderr)
        raise SystemExit(1)
    return elapsed


def _print_table(r: Result) -> None:
    rows = [
        ("corpus bytes", f"{r.corpus_bytes:,} ({r.corpus_files} files)"),
        ("chars", f"{r.chars:,}"),
        ("figures", f"{r.figures:,}"),
        ("best seconds", f"{r.best_s:.3f} (of {r.repeat}: {', '.join(f'{t:.3f}' for t in r.times_s)})"),
        ("chars/s", f"{r.chars_per_s:,.0f}"),
        ("figures/s", f"{r.figures_per_s:,.0f}"),
        ("--no-context chars/s", f"{r.no_context_chars_per_s:,.0f} (best {r.no_context_best_s:.3f} s)"),
        ("context stage cost", f"{r.context_cost_pct:+.1f}% of the time without it"),
        ("peak RSS MiB", f"{r.peak_rss_mib:.1f}"),
        ("floor chars/s", f"{r.floor_chars_per_s:,} -> {r.status}"),
        ("pinned CPU", "none (no sched_setaffinity)" if r.pinned_cpu is None else str(r.pinned_cpu)),
    ]
    rows += [
        (
            f"odd: {name}",
            f"{odd['chars_per_s']:,.0f} chars/s, time per char x{odd['per_char_4x']} at 4x the length "
            + ("(linear)" if odd["per_char_4x"] <= LINEAR_UP_TO else "(SUPERLINEAR)"),
        )
        for name, odd in r.odd_inputs.items()
    ]
    width = max(len(k) for k, _ in rows)
    print(f"factx extract benchmark @ {r.git_rev}")
    for key, value in rows:
        print(f"  {key:<{width}}  {value}")


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


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description="Benchmark `factx extract` on one core over a >= 20 MiB corpus built from seeds/.",
    )
    parser.add_argument(
        "--repeat", type=int, default=5, help="number of timed runs; the best is kept (this VM varies +-15%%)"
    )
    parser.add_argument("--rebuild", action="store_true", help="rebuild the cached corpus in .bench/corpus")
    args = parser.parse_args(argv)
    if args.repeat < 1:
        parser.error("--repeat must be >= 1")

    corpus = build_corpus(force=args.rebuild)
    times = [run_once(corpus.path, OUT_FILE) for _ in range(args.repeat)]
    figures = _count_lines(OUT_FILE)
    bare = max(min(run_once(corpus.path, OUT_FILE, ("--no-context",)) for _ in range(args.repeat)), 1e-9)
    peak_rss_kib = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    best = max(min(times), 1e-9)
    chars_per_s = corpus.chars / best

    result = Result(
        timestamp=datetime.now(UTC).isoformat(timespec="seconds"),
        git_rev=_git_rev(),
        corpus_files=corpus.files,
        corpus_bytes=corpus.bytes,
        chars=corpus.chars,
        figures=figures,
        repeat=args.repeat,
        times_s=[round(t, 4) for t in times],
        best_s=round(best, 4),
        chars_per_s=round(chars_per_s, 1),
        figures_per_s=round(figures / best, 1),
        no_context_best_s=round(bare, 4),
        no_context_chars_per_s=round(corpus.chars / bare, 1),
        context_cost_pct=round((best / bare - 1) * 100, 1),
        peak_rss_mib=round(peak_rss_kib / 1024, 1),
        pinned_cpu=PINNED_CPU if hasattr(os, "sched_setaffinity") else None,
        floor_chars_per_s=FLOOR_CHARS_PER_S,
        status="PASS" if chars_per_s >= FLOOR_CHARS_PER_S else "BELOW",
        python=sys.version.split()[0],
        odd_inputs=odd_inputs(),
    )
    _print_table(result)

    append_result(RESULTS_FILE, asdict(result))
    return 0


def append_result(path: Path, result: dict[str, object]) -> None:
    """One JSON line in a committed file of ``bench/``, so that runs can be compared over time."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("a", encoding="utf-8") as f:
        f.write(json.dumps(result, ensure_ascii=False) + "\n")
    print(f"appended to {os.path.relpath(path, ROOT)}")


if __name__ == "__main__":
    sys.exit(main())
