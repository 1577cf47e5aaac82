"""Benchmark for ``factx diff``: two runs of a million records each, diffed in bounded memory.

What it measures
----------------
1. Builds (once, cached in ``.bench/diff/``) two JSONL runs of RECORDS records each from the real
   records of ``seeds/``: the seed documents copied into many folders (``corpus/0000/000_….txt`` …),
   each record given its copy's path and an id of its own. The new run differs from the old one in
   a few thousand figures, EDITS of each kind: a number edited (``changed``), a figure dropped
   (``removed``), one inserted (``added``), two neighbours swapped (one ``moved``), and a sentence
   reworded around a figure (a new id, paired again: ``same``). The runs are rebuilt when missing or
   when the seeds or this generator change (``.bench/diff/stamp``).
2. Runs :func:`factx.diff.diff_runs` over them in a child process (so its peak RSS is its own),
   ``--repeat`` times (default 1), and reports the best wall-clock seconds, records per second and
   the child's peak RSS (``resource.getrusage(RUSAGE_SELF).ru_maxrss``).
3. Checks that the diff found exactly the differences made (exit status 1 if not).

Run it as ``python scripts/bench_diff.py`` (``make bench`` does).
"""

from __future__ import annotations

import argparse
import hashlib
import json
import resource
import subprocess
import sys
import time
from pathlib import Path

import orjson

ROOT = Path(__file__).resolve().parent.parent
SEEDS_DIR = ROOT / "seeds"
OUT_DIR = ROOT / ".bench" / "diff"
OLD_RUN, NEW_RUN, STAMP = OUT_DIR / "old.jsonl", OUT_DIR / "new.jsonl", OUT_DIR / "stamp"
RECORDS = 1_000_000
EDITS = 1_000  # of each kind: changed, removed, added, moved, reworded
GENERATOR_VERSION = "1"


def seed_records() -> list[tuple[str, list[dict[str, object]]]]:
    """Each seed's file name and its records, extracted by factx with the built-in packs."""
    import factx

    out = []
    for path in sorted(SEEDS_DIR.glob("*.txt")):
        figures = factx.extract_text(path.read_text(encoding="utf-8"), f"seeds/{path.name}")
        out.append((path.name, [orjson.loads(f.model_dump_json()) for f in figures]))
    return out


def _stamp() -> str:
    digest = hashlib.sha256(GENERATOR_VERSION.encode())
    for path in sorted(SEEDS_DIR.glob("*.txt")):
        digest.update(path.name.encode() + path.read_bytes())
    digest.update((ROOT / "scripts" / "bench_diff.py").read_bytes())
    return f"{digest.hexdigest()} {RECORDS} {EDITS}"


def _id(path: str, seed_id: object, salt: str = "") -> str:
    return hashlib.blake2b(f"{path}\x1f{seed_id}{salt}".encode(), digest_size=8).hexdigest()


def build_runs() -> dict[str, int]:
    """Write the two runs (unless cached) and return the differences made, per class."""
    expected = {"changed": EDITS, "removed": EDITS, "added": EDITS, "moved": EDITS}
    if STAMP.exists() and STAMP.read_text() == _stamp() and OLD_RUN.exists() and NEW_RUN.exists():
        return expected
    OUT_DIR.mkdir(parents=True, exist_ok=True)
    seeds = seed_records()
    per_copy = sum(len(records) for _, records in seeds)
    copies = -(-RECORDS // per_copy)
    # Documents that get an edit, spread over the corpus: one kind of edit per chosen document.
    documents = copies * len(seeds)
    kinds = ("changed", "removed", "added", "moved", "reworded")
    stride = max(1, documents // (EDITS * len(kinds)))
    edit_of = {i * stride: kinds[i % len(kinds)] for i in range(EDITS * len(kinds))}
    written = 0
    with OLD_RUN.open("wb") as old_fh, NEW_RUN.open("wb") as new_fh:
        for copy in range(copies):
            for s, (name, records) in enumerate(seeds):
                if written >= RECORDS:
                    break
                path = f"corpus/{copy:04d}/{name}"
                take = records[: RECORDS - written]
                written += len(take)
                old = []
                for rec in take:
                    rec = dict(rec, id=_id(path, rec["id"]), doc=f"a/{path}", path=path)
                    old.append(rec)
                new = [dict(rec, doc=f"b/{path}") for rec in old]
                _edit(new, edit_of.get(copy * len(seeds) + s), path)
                old_fh.write(b"".join(orjson.dumps(r) + b"\n" for r in old))
                new_fh.write(b"".join(orjson.dumps(r) + b"\n" for r in new))
    STAMP.write_text(_stamp())
    return expected


def _edit(records: list[dict[str, object]], kind: str | None, path: str) -> None:
    """Make one difference of ``kind`` in a document's records (the middle one, or its neighbour)."""
    if kind is None or len(records) < 3:
        return
    k = len(records) // 2
    rec = dict(records[k])
    if kind == "changed":
        # A number edited: its text, value and sentence change, so does its id; paired by sentence.
        value = rec["value"]
        rec["value"] = value * 2 if isinstance(value, int) else value + 1
        rec["text"] = "≈" + str(rec["text"])
        rec["sentence"] = str(rec["sentence"]).replace(str(records[k]["text"]), str(rec["text"]), 1)
        rec["id"] = _id(path, rec["id"], "changed")
        records[k] = rec
    elif kind == "removed":
        del records[k]
    elif kind == "added":
        rec.update(id=_id(path, rec["id"], "added"), kind="bench", unit="bench", sentence="新增的句子。")
        records.insert(k, rec)
    elif kind == "moved":
        # Two figures swap places: neither sentence changes, so both keep their ids; one is moved.
        records[k - 1], records[k] = records[k], records[k - 1]
    elif kind == "reworded":
        rec["sentence"] = "据悉，" + str(rec["sentence"])
        rec["id"] = _id(path, rec["id"], "reworded")
        records[k] = rec


def measure(old: Path, new: Path) -> dict[str, object]:
    """Diff the runs in this process: seconds, peak RSS and the counts per class."""
    from factx.diff import STATUSES, diff_runs

    start = time.perf_counter()
    run = diff_runs(old, new, show=STATUSES)
    shown = sum(1 for _ in run)
    seconds = time.perf_counter() - start
    return {
        "seconds": round(seconds, 3),
        "peak_rss_mib": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
        "differences": shown,
        "counts": dict(run.summary.counts),
        "documents": run.summary.documents,
    }


def main() -> int:
    """Build (or reuse) the runs, diff them in a child process, report and check."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--repeat", type=int, default=1, help="runs of the diff; the best is kept")
    parser.add_argument("--measure", nargs=2, metavar=("OLD", "NEW"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.measure:
        print(json.dumps(measure(Path(args.measure[0]), Path(args.measure[1]))))
        return 0
    started = time.perf_counter()
    expected = build_runs()
    print(f"runs: {OLD_RUN} and {NEW_RUN} ({time.perf_counter() - started:.1f}s to build or check)")
    results = []
    for _ in range(args.repeat):
        child = subprocess.run(
            [sys.executable, __file__, "--measure", str(OLD_RUN), str(NEW_RUN)],
            capture_output=True,
            text=True,
            check=False,
        )
        if child.returncode != 0:
            print(child.stderr, file=sys.stderr)
            return child.returncode
        results.append(json.loads(child.stdout))
    best = min(results, key=lambda r: r["seconds"])
    records = RECORDS
    print(
        f"diff of 2 x {records:,} records in {best['documents']:,} documents: best {best['seconds']}s "
        f"({records * 2 / best['seconds']:,.0f} records/s), peak RSS {best['peak_rss_mib']} MiB"
    )
    counts = best["counts"]
    print("counts: " + ", ".join(f"{k} {v}" for k, v in sorted(counts.items())))
    _append_result({"records_per_run": records, **best, "times_s": [r["seconds"] for r in results]})
    wrong = {k: (counts.get(k, 0), v) for k, v in expected.items() if counts.get(k, 0) != v}
    if wrong:
        print(f"FAIL: differences found != made: {wrong}", file=sys.stderr)
        return 1
    return 0


def _append_result(result: dict[str, object]) -> None:
    from datetime import UTC, datetime

    from bench import _git_rev, append_result

    stamp = {"timestamp": datetime.now(UTC).isoformat(timespec="seconds"), "git_rev": _git_rev()}
    append_result(ROOT / "bench" / "diff.jsonl", {**stamp, **result})


if __name__ == "__main__":
    sys.exit(main())
