"""The records of the seeds are byte-identical to a stored reference (tests/data/seeds-records.jsonl).

A speed-up must not change one byte of output: this compares the JSONL that ``factx extract seeds/``
writes with the reference, record by record, so that a failure names the first record that differs
and the field. Update the reference only for a change of output that is meant (a new field, a fixed
figure), and say why in the commit message:

    .venv/bin/factx extract -q seeds/ > tests/data/seeds-records.jsonl
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from factx.run import run_extract

ROOT = Path(__file__).resolve().parent.parent
REFERENCE = ROOT / "tests" / "data" / "seeds-records.jsonl"


@pytest.mark.parametrize("jobs", [1, 2])
def test_seed_records_are_byte_identical_to_the_reference(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, jobs: int
) -> None:
    monkeypatch.chdir(ROOT)  # the records' doc field is the path as given: seeds/…
    out = tmp_path / "seeds.jsonl"
    summary = run_extract(["seeds"], output=out, jobs=jobs)
    assert not summary.problems
    got = out.read_bytes().splitlines()
    want = REFERENCE.read_bytes().splitlines()
    for n, (g, w) in enumerate(zip(got, want, strict=False), start=1):
        if g != w:
            a, b = json.loads(g), json.loads(w)
            fields = [k for k in {**a, **b} if a.get(k) != b.get(k)]
            pytest.fail(f"record {n} ({b.get('doc')}:{b.get('start')}) differs in {fields}:\n{g!r}\n{w!r}")
    assert len(got) == len(want)
    assert out.read_bytes() == REFERENCE.read_bytes()
