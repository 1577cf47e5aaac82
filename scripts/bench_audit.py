"""Benchmark for ``factx audit --all``: how fast a whole run is verified against its sources.

What it measures
----------------
1. A corpus: the benchmark corpus of ``make bench`` (``.bench/corpus/``, 40 files of 20+ MiB) when it
   is there, else one built here (``.bench/audit-corpus/``): the seeds copied COPIES times.
2. Its run, ``factx extract CORPUS -o .bench/audit/run.jsonl`` (cached; made again when the corpus
   files or the code's version change, see ``.bench/audit/stamp``).
3. :func:`factx.audit.audit_run` over that run, in a child process (so that its peak RSS is its own),
   in two cases: ``fresh`` (the corpus as extracted: every figure verifies on the hash) and
   ``drifted`` (a copy of the corpus with a line inserted at the top of every file, read through
   ``--root``: no hash matches, every sentence is searched for and every figure has drifted).
   Each case runs ``--repeat`` times (default 3); the best wall-clock time is kept.
4. Prints figures, documents, seconds, figures/s, MB/s of source and peak RSS per case, and exits
   1 if a case did not come out as it must (all verified; all drifted).

Run it as ``python scripts/bench_audit.py`` (``make bench`` may run it too).
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import resource
import shutil
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SEEDS_DIR = ROOT / "seeds"
BENCH_CORPUS = ROOT / ".bench" / "corpus"
OWN_CORPUS = ROOT / ".bench" / "audit-corpus"
WORK = ROOT / ".bench" / "audit"
RUN, STAMP, DRIFTED = WORK / "run.jsonl", WORK / "stamp", WORK / "drifted"
COPIES = 100  # copies of each seed in a corpus built here: 500 files, about 7 MB
INSERTED = "（本文件在抽取之后被修改：这一行是新插入的。）\n"


def corpus_dir() -> Path:
    """The benchmark corpus when there is one, else this script's own (built once)."""
    if BENCH_CORPUS.is_dir() and any(BENCH_CORPUS.glob("*.txt")):
        return BENCH_CORPUS
    seeds = sorted(SEEDS_DIR.glob("*.txt"))
    expected = {f"{n:03d}_{seed.name}" for n in range(COPIES) for seed in seeds}
    if not OWN_CORPUS.is_dir() or {p.name for p in OWN_CORPUS.glob("*.txt")} != expected:
        shutil.rmtree(OWN_CORPUS, ignore_errors=True)
        OWN_CORPUS.mkdir(parents=True)
        for n in range(COPIES):
            for seed in seeds:
                shutil.copyfile(seed, OWN_CORPUS / f"{n:03d}_{seed.name}")
    return OWN_CORPUS


def _stamp(corpus: Path) -> str:
    digest = hashlib.sha256()
    for path in sorted(corpus.glob("*.txt")):
        info = path.stat()
        digest.update(f"{path.name} {info.st_size} {info.st_mtime_ns}\n".encode())
    for part in ("src/factx", "rules"):
        for path in sorted((ROOT / part).rglob("*")):
            if path.suffix in (".py", ".yaml"):
                digest.update(path.read_bytes())
    return digest.hexdigest()


def make_run(corpus: Path) -> None:
    """``factx extract CORPUS -o RUN`` from the repository's root (records name ``.bench/…``), if stale."""
    stamp = _stamp(corpus)
    if RUN.exists() and STAMP.exists() and STAMP.read_text() == stamp:
        return
    WORK.mkdir(parents=True, exist_ok=True)
    rel = os.path.relpath(corpus, ROOT)
    print(f"extracting {rel} (once) …", flush=True)
    subprocess.run([sys.executable, "-m", "factx", "extract", rel, "-o", str(RUN)], cwd=ROOT, check=True)
    STAMP.write_text(stamp)
    shutil.rmtree(DRIFTED, ignore_errors=True)


def make_drifted(corpus: Path) -> Path:
    """A copy of the corpus under DRIFTED, at the same relative path, every file one line longer."""
    rel = os.path.relpath(corpus, ROOT)
    target = DRIFTED / rel
    if not target.is_dir():
        target.mkdir(parents=True)
        for path in sorted(corpus.glob("*.txt")):
            (target / path.name).write_text(INSERTED + path.read_text(encoding="utf-8"), encoding="utf-8")
    return DRIFTED


def measure(run: Path, root: Path) -> dict[str, object]:
    """One audit of the run, in this (child) process."""
    from factx.audit import audit_run

    os.chdir(root)
    started = time.perf_counter()
    summary = audit_run(run)
    seconds = time.perf_counter() - started
    rss_kib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return {
        "seconds": seconds,
        "figures": summary.figures,
        "documents": summary.documents_read,
        "totals": dict(summary.totals),
        "peak_rss_mib": round(rss_kib / 1024, 1),
    }


def run_case(root: Path, repeat: int) -> dict[str, object]:
    results = []
    for _ in range(repeat):
        child = subprocess.run(
            [sys.executable, __file__, "--measure", str(RUN), str(root)], capture_output=True, text=True
        )
        if child.returncode != 0:
            print(child.stderr, file=sys.stderr)
            raise SystemExit(2)
        results.append(json.loads(child.stdout))
    best = min(results, key=lambda r: float(r["seconds"]))  # type: ignore[arg-type]
    best["times_s"] = [round(float(r["seconds"]), 3) for r in results]  # type: ignore[arg-type]
    return best


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--repeat", type=int, default=3, help="runs of each case; the best is kept")
    parser.add_argument("--measure", nargs=2, metavar=("RUN", "ROOT"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.measure:
        print(json.dumps(measure(Path(args.measure[0]).resolve(), Path(args.measure[1]))))
        return 0
    corpus = corpus_dir()
    make_run(corpus)
    source_bytes = sum(p.stat().st_size for p in corpus.glob("*.txt"))
    where = f"{os.path.relpath(RUN, ROOT)} over {os.path.relpath(corpus, ROOT)}"
    print(f"run: {where} ({source_bytes / 1e6:.1f} MB)")
    ok = True
    measured: dict[str, object] = {"source_bytes": source_bytes}
    for case, root, state in (("fresh", ROOT, "verified"), ("drifted", make_drifted(corpus), "drifted")):
        r = run_case(root, args.repeat)
        seconds, figures = float(r["seconds"]), int(r["figures"])  # type: ignore[arg-type]
        print(
            f"audit --all, {case:7}: {figures:,} figures in {r['documents']} documents, best {seconds:.2f} s "
            f"of {r['times_s']}: {figures / seconds:,.0f} figures/s, {source_bytes / 1e6 / seconds:.1f} MB/s "
            f"of source, peak RSS {r['peak_rss_mib']} MiB"
        )
        measured[case] = {k: r[k] for k in ("seconds", "times_s", "figures", "documents", "peak_rss_mib")}
        totals = r["totals"]
        if totals != {state: figures}:
            print(f"FAIL: {case}: expected every figure {state}, got {totals}", file=sys.stderr)
            ok = False
    _append_result(measured)
    return 0 if ok else 1


def _append_result(result: dict[str, object]) -> None:
    from datetime import UTC, datetime

    from bench import _git_rev, append_result

    stamp = {"timestamp": datetime.now(UTC).isoformat(timespec="seconds"), "git_rev": _git_rev()}
    append_result(ROOT / "bench" / "audit.jsonl", {**stamp, **result})


if __name__ == "__main__":
    sys.exit(main())
