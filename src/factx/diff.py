"""Diff two runs of figure records: which figures changed, were added or removed, moved, or stayed.

In: two JSONL runs as ``factx extract`` writes them (:func:`diff_runs`), or one corpus extracted with
two rule sets (:func:`diff_rulesets`). Out: :class:`Difference` items, one per figure of either run,
grouped by document in sorted order, and a :class:`DiffSummary` counting them per class.

How figures are paired, document by document:

1. Documents by their key: the record's ``path`` (the document's path relative to the folder named
   on the command line) when it is not empty, else its ``doc``. Two runs over copies of a corpus in
   different folders pair their documents by it.
2. Figures by ``id``, which hashes the document key, the sentence and the figure's text, so it
   survives edits elsewhere in the document.
3. What is left on both sides (figures whose own sentence was edited, or that a rule set reads
   differently): first a figure at the same place of an identical sentence (the spans overlap),
   whatever its kind and unit; then, by kind and unit, the closest sentence:
   ``rapidfuzz.fuzz.ratio``, 100 × (1 − the insertions and deletions that turn one sentence into
   the other / the two sentences' total length), at least SIMILARITY_THRESHOLD; among equally close
   sentences, the same figure text first, then the nearest offset in the sentence, then the nearest
   offset in the document.

A pair is ``changed`` when its value, value_high, unit, per, kind, approx or change differ; else
``moved`` when it is out of order (outside the longest sequence of pairs that kept their order: a
paragraph or sentence moved past others); else ``same`` (offsets may shift and its sentence may be
reworded). A figure left unpaired is ``removed`` (old run) or ``added`` (new run).

Big runs: a first pass over each file reads only each line's document key (no JSON parse) and
records the byte ranges of each document; the second reads the documents in sorted key order,
seeking to their ranges (sequential reads when the file is sorted, as ``factx extract`` writes it),
parses each line once with orjson (a new line that is an old one's but for its doc, once for both)
and diffs one document at a time. Memory holds the index and one document of each run, never the
runs.
"""

from __future__ import annotations

import tempfile
from bisect import bisect_left
from collections import Counter, defaultdict, deque
from collections.abc import Collection, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from itertools import pairwise
from pathlib import Path
from typing import IO, TYPE_CHECKING, Literal, NamedTuple

from rapidfuzz import fuzz

from factx.runs import (
    BOM,
    NUMBER,
    NUMBER_OR_NULL,
    STRING,
    STRING_OR_NULL,
    WHOLE_NUMBER,
    RunError,
    Schema,
    cannot_read,
    exact_number,
    number_literal,
    open_run,
    parse_values,
)

if TYPE_CHECKING:
    from factx.packs.ruleset import RuleSet
    from factx.records import Figure
    from factx.sources import Problem

Status = Literal["changed", "added", "removed", "moved", "same"]
STATUSES: tuple[Status, ...] = ("changed", "added", "removed", "moved", "same")
DEFAULT_SHOWN: frozenset[Status] = frozenset({"changed", "added", "removed"})

SIMILARITY_THRESHOLD = 60.0  # fuzz.ratio of two sentences, 0-100: an edited sentence, not another one
# Leftover sentence pairs of one document compared in full; past that (a document rewritten
# throughout) each old sentence is compared with the new ones near its place only.
FUZZY_PAIRS_LIMIT = 1_000_000

# The fields whose difference makes a pair "changed", in the order they are reported.
COMPARED = ("value", "value_high", "unit", "per", "kind", "approx", "change")


class Record(NamedTuple):
    """The fields of one record that a diff reads, its line as written (for output) and its place
    among its document's records in its run (``order``, from 0).

    Values are kept as orjson parsed them; :meth:`exact` gives a value as a Decimal read from the
    line's own literal, so 0.1 and 0.10000000000000001 are told apart and nothing carries float noise.
    """

    id: str
    doc: str
    text: str
    kind: str
    unit: str
    sentence: str
    value: int | float
    start: int
    sentence_start: int
    line: int
    value_high: int | float | None
    approx: str | None
    change: str | None
    per: str | None
    path: str
    raw: bytes
    order: int

    @property
    def key(self) -> str:
        """The document key: the relative path when there is one, else the doc."""
        return self.path or self.doc

    def literal(self, name: str) -> bytes | None:
        """The JSON text of ``value`` or ``value_high`` on the line (None for a null)."""
        if (self.value if name == "value" else self.value_high) is None:
            return None
        return number_literal(self.raw, name)

    def exact(self, name: str) -> Decimal | None:
        """``value`` or ``value_high`` exactly as written on the line (None for a null)."""
        return exact_number(self.raw, name, self.value if name == "value" else self.value_high)


# The fields a diff reads, in the order of Record: the first ten required, the rest null when absent
# ("" for path).
RECORD_SCHEMA = Schema(
    {
        **dict.fromkeys(("id", "doc", "text", "kind", "unit", "sentence"), STRING),
        "value": NUMBER,
        **dict.fromkeys(("start", "sentence_start", "line"), WHOLE_NUMBER),
    },
    {
        "value_high": (NUMBER_OR_NULL, None),
        **dict.fromkeys(("approx", "change", "per"), (STRING_OR_NULL, None)),
        "path": (STRING, ""),
    },
)
assert RECORD_SCHEMA.names == Record._fields[: len(RECORD_SCHEMA.names)]
_PATH, _DOC = RECORD_SCHEMA.index("path"), RECORD_SCHEMA.index("doc")
_new_tuple = tuple.__new__  # Record._make without its Python-level call: a million times, it counts


def parse_record(raw: bytes, source: str, line: int, order: int = 0) -> Record:
    """One JSONL line as a :class:`Record`, its fields checked (:func:`factx.runs.parse_values`); a bad
    line raises :class:`RunError` naming ``source`` and ``line``. ``order`` is the record's place among
    its document's records."""
    return _new_tuple(Record, (*parse_values(raw, RECORD_SCHEMA, source, line), raw.strip(), order))


@dataclass(frozen=True, slots=True)
class Difference:
    """One figure of either run and what became of it.

    ``status`` is its class (changed, added, removed, moved, same); ``doc`` the document key;
    ``old`` and ``new`` the records (None where absent); ``fields`` the compared fields that differ.
    """

    status: Status
    doc: str
    old: Record | None
    new: Record | None
    fields: tuple[str, ...] = ()

    @property
    def id(self) -> str:
        """The new record's id, or the old one's for a removed figure."""
        rec = self.new or self.old
        assert rec is not None
        return rec.id

    @property
    def relative_change(self) -> Decimal | None:
        """(new − old) / |old| of the value, in Decimal arithmetic (28 significant digits) from the
        literals as written; None when the value did not change or was 0."""
        if "value" not in self.fields or self.old is None or self.new is None:
            return None
        old, new = self.old.exact("value"), self.new.exact("value")
        if old is None or new is None or old == 0:
            return None
        return (new - old) / abs(old)


@dataclass
class DiffSummary:
    """How many figures of each class, over how many documents (complete once the diff is iterated)."""

    counts: Counter[str] = field(default_factory=Counter)
    documents: int = 0

    def differs(self, statuses: Iterable[str]) -> bool:
        """Whether any figure is of one of ``statuses`` (``same`` is never a difference)."""
        return any(self.counts[s] for s in statuses if s != "same")

    def __str__(self) -> str:
        counts = ", ".join(f"{self.counts[s]} {s}" for s in STATUSES)
        plural = "" if self.documents == 1 else "s"
        return f"{counts} in {self.documents} document{plural}"


# --- pairing and classifying one document ---------------------------------------------------------


def _differing_fields(old: Record, new: Record) -> tuple[str, ...]:
    """The compared fields that differ; values exactly, by the literals as written."""
    if (
        old.kind == new.kind
        and old.unit == new.unit
        and old.per == new.per
        and old.approx == new.approx
        and old.change == new.change
        and type(old.value) is int
        and old.value == new.value
        and type(new.value) is int
        and old.value_high is None
        and new.value_high is None
    ):
        return ()  # the common case, decided without reading any literal
    out = []
    for name in COMPARED:
        if name in ("value", "value_high"):
            a, b = getattr(old, name), getattr(new, name)
            if type(a) is int and type(b) is int:
                differs = a != b
            else:
                # The same literal is the same number; else compare the numbers the literals write.
                literal = old.literal(name)
                differs = literal != new.literal(name) and old.exact(name) != new.exact(name)
        else:
            differs = getattr(old, name) != getattr(new, name)
        if differs:
            out.append(name)
    return tuple(out)


Pair = tuple[Record, Record]
Candidate = tuple[tuple[float, ...], Record, Record]  # a sort key (best first), then the pair


def _pair_by_id(
    old: Sequence[Record], new: Sequence[Record]
) -> tuple[list[Pair], list[Record], list[Record]]:
    """Pairs of records with the same id (the n-th old with the n-th new when an id repeats), and the
    records left over on each side, in order."""
    by_id = {rec.id: rec for rec in old}
    pairs: list[Pair] = []
    added: list[Record] = []
    if len(by_id) == len(old):
        pop = by_id.pop
        for rec in new:
            match = pop(rec.id, None)
            if match is None:
                added.append(rec)
            else:
                pairs.append((match, rec))
        removed = list(by_id.values())
    else:
        queues: dict[str, deque[Record]] = defaultdict(deque)
        for rec in old:
            queues[rec.id].append(rec)
        for rec in new:
            queue = queues.get(rec.id)
            if queue:
                pairs.append((queue.popleft(), rec))
            else:
                added.append(rec)
        removed = [rec for queue in queues.values() for rec in queue]
    removed.sort(key=lambda r: r.order)
    return pairs, removed, added


def _candidate(o: Record, n: Record, similarity: float) -> Candidate:
    """A candidate pair and its sort key: closest sentence, same text, nearest in sentence, nearest in doc."""
    key = (
        -similarity,
        o.text != n.text,
        abs((o.start - o.sentence_start) - (n.start - n.sentence_start)),
        abs(o.start - n.start),
        o.order,
        n.order,
    )
    return key, o, n


def _greedy(candidates: list[Candidate]) -> list[Pair]:
    """The best candidates first, each record paired at most once."""
    candidates.sort(key=lambda c: c[0])
    used_old: set[int] = set()
    used_new: set[int] = set()
    pairs = []
    for _, o, n in candidates:
        if o.order in used_old or n.order in used_new:
            continue
        used_old.add(o.order)
        used_new.add(n.order)
        pairs.append((o, n))
    return pairs


def _by_sentence(records: Iterable[Record]) -> dict[str, list[Record]]:
    out: dict[str, list[Record]] = defaultdict(list)
    for rec in records:
        out[rec.sentence].append(rec)
    return out


def _similar_sentences(old: list[str], new: list[str]) -> Iterator[tuple[str, str, float]]:
    """Pairs of sentences at least SIMILARITY_THRESHOLD alike; near places only when there are many."""
    if not old or not new:
        return
    window = len(new)
    if len(old) * len(new) > FUZZY_PAIRS_LIMIT:
        window = max(50, FUZZY_PAIRS_LIMIT // len(old) // 2)
    for i, a in enumerate(old):
        centre = i * len(new) // len(old)
        for b in new[max(0, centre - window) : centre + window + 1]:
            score = fuzz.ratio(a, b, score_cutoff=SIMILARITY_THRESHOLD)
            if score:
                yield a, b, score


def _pair_in_place(old: list[Record], new: list[Record]) -> list[Pair]:
    """Pair figures read anew at the same place: an identical sentence, spans that overlap in it
    (5万 and 5万标准箱 once a pack knows 标准箱), whatever their kind and unit; the widest overlap first."""
    new_by_sentence = _by_sentence(new)
    candidates: list[Candidate] = []
    for o in old:
        o_start = o.start - o.sentence_start
        for n in new_by_sentence.get(o.sentence, ()):
            n_start = n.start - n.sentence_start
            overlap = min(o_start + len(o.text), n_start + len(n.text)) - max(o_start, n_start)
            if overlap > 0:
                candidates.append(((-overlap, abs(o.start - n.start), o.order, n.order), o, n))
    return _greedy(candidates)


def _pair_leftovers(old: list[Record], new: list[Record]) -> list[Pair]:
    """Pair figures whose id changed: first those at the same place of an identical sentence; then by
    kind and unit, the closest sentence (identical ones first), the nearest place."""
    pairs = _pair_in_place(old, new)
    if pairs:
        paired_old = {o.order for o, _ in pairs}
        paired_new = {n.order for _, n in pairs}
        old = [r for r in old if r.order not in paired_old]
        new = [r for r in new if r.order not in paired_new]
    groups: dict[tuple[str, str], tuple[list[Record], list[Record]]] = defaultdict(lambda: ([], []))
    for rec in old:
        groups[(rec.kind, rec.unit)][0].append(rec)
    for rec in new:
        groups[(rec.kind, rec.unit)][1].append(rec)
    for group_old, group_new in groups.values():
        if not group_old or not group_new:
            continue
        # Identical sentences first, by a dictionary: cheap however many there are.
        old_sentences, new_sentences = _by_sentence(group_old), _by_sentence(group_new)
        exact = [
            _candidate(o, n, 100.0)
            for sentence, olds in old_sentences.items()
            for o in olds
            for n in new_sentences.get(sentence, ())
        ]
        found = _greedy(exact)
        paired_old = {o.order for o, _ in found}
        paired_new = {n.order for _, n in found}
        rest_old = _by_sentence(r for r in group_old if r.order not in paired_old)
        rest_new = _by_sentence(r for r in group_new if r.order not in paired_new)
        fuzzy = [
            _candidate(o, n, score)
            for a, b, score in _similar_sentences(list(rest_old), list(rest_new))
            for o in rest_old[a]
            for n in rest_new[b]
        ]
        pairs.extend(found)
        pairs.extend(_greedy(fuzzy))
    return pairs


def _out_of_order(pairs: list[Pair]) -> set[int]:
    """Old orders of the pairs outside a longest sequence that kept its order: the moved ones."""
    ordered = sorted(pairs, key=lambda p: p[0].order)
    targets = [n.order for _, n in ordered]
    if all(a < b for a, b in pairwise(targets)):
        return set()  # the common case: nothing moved
    tails: list[int] = []  # tails[k]: the smallest new order ending an increasing run of length k+1
    tail_at: list[int] = []  # where in ordered that tail is
    before = [-1] * len(ordered)
    for pos, target in enumerate(targets):
        k = bisect_left(tails, target)
        before[pos] = tail_at[k - 1] if k else -1
        if k == len(tails):
            tails.append(target)
            tail_at.append(pos)
        else:
            tails[k] = target
            tail_at[k] = pos
    kept: set[int] = set()
    pos = tail_at[-1] if tail_at else -1
    while pos >= 0:
        kept.add(pos)
        pos = before[pos]
    return {o.order for pos, (o, _) in enumerate(ordered) if pos not in kept}


def _in_place(records: Sequence[Record]) -> Sequence[Record]:
    """The records with ``order`` their place in the sequence (as the diff relies on)."""
    if all(rec.order == i for i, rec in enumerate(records)):
        return records
    return [rec._replace(order=i) for i, rec in enumerate(records)]


def diff_document(
    doc: str,
    old: Sequence[Record],
    new: Sequence[Record],
    show: Collection[str] = STATUSES,
    counts: Counter[str] | None = None,
) -> list[Difference]:
    """The figures of one document in either run, paired and classified: those of a class in
    ``show``, in the new run's order (a removed figure after the new place of the one before it).
    Every class is counted into ``counts`` when given."""
    old, new = _in_place(old), _in_place(new)
    pairs, removed, added = _pair_by_id(old, new)
    if removed and added:
        more = _pair_leftovers(removed, added)
        if more:
            pairs.extend(more)
            paired_old = {o.order for o, _ in more}
            paired_new = {n.order for _, n in more}
            removed = [r for r in removed if r.order not in paired_old]
            added = [r for r in added if r.order not in paired_new]
    moved = _out_of_order(pairs)
    tally: Counter[str] = Counter(added=len(added), removed=len(removed))
    placed: list[tuple[float, int, Difference]] = []
    for o, n in pairs:
        fields = _differing_fields(o, n)
        status: Status = "changed" if fields else ("moved" if o.order in moved else "same")
        if status != "same":
            tally[status] += 1
        if status in show:
            placed.append((n.order, 0, Difference(status, doc, o, n, fields)))
    tally["same"] = len(pairs) - tally["changed"] - tally["moved"]
    if counts is not None:
        counts.update(+tally)  # (+ drops the zeros)
    if "added" in show:
        placed.extend((n.order, 0, Difference("added", doc, None, n)) for n in added)
    if "removed" in show and removed:
        # A removed figure goes just after the new place of the paired old figure before it.
        new_of_old = {o.order: n.order for o, n in pairs}
        removed_at = {r.order for r in removed}
        anchor = -1.0
        for o in old:
            if o.order in removed_at:
                placed.append((anchor + 0.5, o.order, Difference("removed", doc, o, None)))
            elif o.order in new_of_old:
                anchor = max(anchor, new_of_old[o.order])
    placed.sort(key=lambda p: (p[0], p[1]))
    return [d for _, _, d in placed]


# --- reading runs ---------------------------------------------------------------------------------


def _line_key(line: bytes) -> bytes | None:
    """The document key of a line written by factx, read from its bytes; None when that needs a parse."""
    for marker in (b'"path":"', b'"doc":"'):
        i = line.find(marker)
        if i < 0:
            continue
        i += len(marker)
        j = line.find(b'"', i)
        if j < 0 or line.find(b"\\", i, j) >= 0:
            return None  # an escape inside: let the JSON parser read it
        if j > i or marker == b'"doc":"':
            return line[i:j]
    return None


def _parsed_key(line: bytes, source: str, lineno: int) -> bytes:
    """The document key of a line whose key needs a parse: the line is read, and checked, whole."""
    values = parse_values(line, RECORD_SCHEMA, source, lineno)
    return str(values[_PATH] or values[_DOC]).encode("utf-8")


@dataclass
class _Span:
    offset: int
    size: int
    line: int  # the line number of its first line


class RunFile:
    """A run opened for diffing (``-``: standard input): its byte ranges per document, read in a
    first pass.

    A pipe (``<(factx extract …)``, standard input) is copied to a temporary file as it is read, so it
    can be sought.
    """

    def __init__(self, path: Path | str) -> None:
        self.spans: dict[bytes, list[_Span]] = {}
        source, self.name, owned = open_run(path)
        copy = None if source.seekable() else tempfile.TemporaryFile()  # noqa: SIM115 - closed by close()
        # Kept open for the second pass, and closed by close() unless it is standard input.
        self._fh: IO[bytes] = source if copy is None else copy
        self._owned = owned or copy is not None
        try:
            self._index(source, copy)
        except (OSError, RunError) as exc:
            if copy is not None:
                copy.close()
            if owned:
                source.close()
            if isinstance(exc, RunError):
                raise
            raise cannot_read(self.name, exc) from None
        if copy is not None and owned:
            source.close()  # all of it is in the copy

    def _index(self, fh: IO[bytes], copy: IO[bytes] | None) -> None:
        spans = self.spans
        key: bytes | None = None
        marker: bytes | None = None  # a line holding it belongs to the same document as the one before
        start = start_line = lineno = 0
        offset = 0 if copy is not None else fh.tell()  # standard input may be a file read from its middle
        for line in fh:
            lineno += 1
            if copy is not None:
                copy.write(line)
            if marker is not None and marker in line or line.isspace():
                offset += len(line)  # a blank line is skipped when its span is read
                continue
            if lineno == 1 and line.startswith(BOM):
                # The byte order mark is left out of the first document's span.
                offset, line = offset + len(BOM), line[len(BOM) :]
                if line.isspace() or not line:
                    offset += len(line)
                    continue
            this = _line_key(line)
            if this is None:
                this = _parsed_key(line, self.name, lineno)
            if this != key:
                if key is not None:
                    spans.setdefault(key, []).append(_Span(start, offset - start, start_line))
                key, start, start_line = this, offset, lineno
            path_marker = b'"path":"' + this + b'"'
            marker = path_marker if path_marker in line else None
            offset += len(line)
        if key is not None:
            spans.setdefault(key, []).append(_Span(start, offset - start, start_line))

    @property
    def keys(self) -> list[bytes]:
        """The document keys, as UTF-8 bytes."""
        return list(self.spans)

    def lines(self, key: bytes) -> list[tuple[int, bytes]]:
        """The lines of one document, not blank, in the order of the file, with their line numbers."""
        out: list[tuple[int, bytes]] = []
        for span in self.spans.get(key, ()):
            self._fh.seek(span.offset)
            data = self._fh.read(span.size)
            for k, raw in enumerate(data.split(b"\n")):
                if raw and not raw.isspace():
                    out.append((span.line + k, raw.strip()))
        return out

    def records(self, key: bytes) -> list[Record]:
        """The records of one document, in the order of the file, each line parsed and checked."""
        return [parse_record(raw, self.name, line, i) for i, (line, raw) in enumerate(self.lines(key))]

    def close(self) -> None:
        """Close the file (and drop a pipe's temporary copy); standard input is left open."""
        if self._owned:
            self._fh.close()


def _head(raw: bytes) -> tuple[bytes, bytes, bytes] | None:
    """The id, the doc and the rest of a line as factx writes it (``{"id":"…","doc":"…",…``), or None."""
    if not raw.startswith(b'{"id":"'):
        return None
    i = raw.find(b'"', 7)
    if i < 0 or raw[i : i + 9] != b'","doc":"':
        return None
    j = raw.find(b'"', i + 9)
    if j < 0 or raw.find(b"\\", 7, j) >= 0:
        return None
    return raw[7:i], raw[i + 9 : j], raw[j:]


def _plain_string(text: bytes) -> str | None:
    """The text of a JSON string's bytes that hold no escape (checked by the caller), or None when
    they are not valid in a JSON string (a control character, bytes that are not UTF-8)."""
    if text and min(text) < 0x20:
        return None
    try:
        return text.decode("utf-8")
    except UnicodeDecodeError:
        return None


def _parse_both(
    old_name: str, old_lines: list[tuple[int, bytes]], new_name: str, new_lines: list[tuple[int, bytes]]
) -> tuple[list[Record], list[Record]]:
    """The records of one document in both runs, every line checked, each parsed once at most.

    A new line whose id, and every byte after its doc, are those of an old line is parsed alone:
    the old line is the same JSON but for its doc (two runs over copies of a corpus, or a rerun),
    so its record is the new one with the old doc. A rerun parses half the lines.
    """
    heads: dict[bytes, tuple[int, bytes, bytes]] = {}
    for i, (_, raw) in enumerate(old_lines):
        head = _head(raw)
        if head is None or head[0] in heads:
            heads = {}  # a line factx did not write, or an id twice: parse every line
            break
        heads[head[0]] = (i, head[1], head[2])
    old: list[Record | None] = [None] * len(old_lines)
    new: list[Record] = []
    for order, (line, raw) in enumerate(new_lines):
        rec = parse_record(raw, new_name, line, order)
        new.append(rec)
        head = _head(raw) if heads else None
        twin = heads.pop(head[0], None) if head is not None else None
        if head is None or twin is None:
            continue
        i, doc, tail = twin
        if tail == head[2] and (old_doc := _plain_string(doc)) is not None:
            # Its fields but doc (1), raw and order; a record's fields are Record's in this order.
            old[i] = _new_tuple(Record, (rec[0], old_doc, *rec[2:15], old_lines[i][1], i))
    return [
        rec if rec is not None else parse_record(old_lines[i][1], old_name, old_lines[i][0], i)
        for i, rec in enumerate(old)
    ], new


def _decoded(key: bytes) -> str:
    return key.decode("utf-8", "replace")


class _Diff:
    """What both kinds of diff share: the summary, the classes to yield."""

    def __init__(self, show: Iterable[str]) -> None:
        self.show = frozenset(show)
        self.summary = DiffSummary()

    def _emit(self, doc: str, old: Sequence[Record], new: Sequence[Record]) -> Iterator[Difference]:
        self.summary.documents += 1
        yield from diff_document(doc, old, new, self.show, self.summary.counts)


class RunDiff(_Diff):
    """The diff of two JSONL runs, iterated lazily: documents in sorted key order, each document's
    figures in the new run's order. ``summary`` is complete once the iteration is over. Reading
    either file may raise :class:`RunError` (an unreadable file before anything is yielded; a bad
    line when its document is reached)."""

    def __init__(
        self, old_path: Path | str, new_path: Path | str, show: Iterable[str] = DEFAULT_SHOWN
    ) -> None:
        super().__init__(show)
        self.old_path, self.new_path = old_path, new_path

    def __iter__(self) -> Iterator[Difference]:
        old = RunFile(self.old_path)
        try:
            new = RunFile(self.new_path)
        except RunError:
            old.close()
            raise
        try:
            for key in sorted(set(old.spans) | set(new.spans)):
                old_records, new_records = _parse_both(old.name, old.lines(key), new.name, new.lines(key))
                yield from self._emit(_decoded(key), old_records, new_records)
        finally:
            old.close()
            new.close()


def diff_runs(old_path: Path | str, new_path: Path | str, show: Iterable[str] = DEFAULT_SHOWN) -> RunDiff:
    """The differences between two runs (JSONL files of records) of the classes in ``show``; every
    class is counted in the returned object's ``summary``.

    >>> d = diff_runs("old.jsonl", "new.jsonl")              # doctest: +SKIP
    >>> [(x.status, x.id) for x in d], str(d.summary)         # doctest: +SKIP
    """
    return RunDiff(old_path, new_path, show)


def _records_of(figures: Iterable[Figure], source: str) -> list[Record]:
    from factx.output import figure_line

    return [parse_record(figure_line(f), source, i + 1, i) for i, f in enumerate(figures)]


class RulesDiff(_Diff):
    """The diff of one corpus extracted with two rule sets, each document read once and extracted
    twice; documents paired by their doc. Unreadable documents and stopped rules collect in
    ``problems`` as they happen, with the warnings of documents that were read (bytes replaced); a
    document that could not be read is not diffed."""

    def __init__(
        self,
        paths: Sequence[Path | str],
        old_rules: RuleSet,
        new_rules: RuleSet,
        show: Iterable[str] = DEFAULT_SHOWN,
        globs: tuple[str, ...] | None = None,
    ) -> None:
        super().__init__(show)
        self.paths, self.old_rules, self.new_rules, self.globs = paths, old_rules, new_rules, globs
        self.problems: list[Problem] = []

    def __iter__(self) -> Iterator[Difference]:
        from factx.extract import DocumentScan
        from factx.sources import Problem, ReadError, find_inputs, open_source

        inputs, found = find_inputs(self.paths, self.globs)
        self.problems.extend(found)
        for inp in inputs:
            source = open_source(inp)
            if isinstance(source, Problem):
                self.problems.append(source)
                continue
            # Read once, scanned by both rule sets as the text comes.
            old = DocumentScan.of_source(source, self.old_rules)
            new = DocumentScan.of_source(source, self.new_rules)
            old_figures, new_figures = [], []
            try:
                for chunk in source.chunks():
                    old_figures.extend(old.feed(chunk))
                    new_figures.extend(new.feed(chunk))
            except ReadError as exc:
                self.problems.append(exc.problem)
                continue
            old_figures.extend(old.finish())
            new_figures.extend(new.finish())
            self.problems.extend(source.problems)
            self.problems.extend(old.problems)
            self.problems.extend(p for p in new.problems if p not in old.problems)
            yield from self._emit(
                source.name,
                _records_of(old_figures, "--rules-old"),
                _records_of(new_figures, "--rules-new"),
            )


def diff_rulesets(
    paths: Sequence[Path | str],
    old_rules: RuleSet,
    new_rules: RuleSet,
    show: Iterable[str] = DEFAULT_SHOWN,
    globs: tuple[str, ...] | None = None,
) -> RulesDiff:
    """The differences a rule-set change makes on a corpus: files and folders (recursively, by
    ``globs``) extracted with ``old_rules`` and with ``new_rules``, each document read once."""
    return RulesDiff(paths, old_rules, new_rules, show, globs)


__all__ = [
    "COMPARED",
    "DEFAULT_SHOWN",
    "RECORD_SCHEMA",
    "SIMILARITY_THRESHOLD",
    "STATUSES",
    "Difference",
    "DiffSummary",
    "Record",
    "RulesDiff",
    "RunDiff",
    "RunError",
    "Status",
    "diff_document",
    "diff_rulesets",
    "diff_runs",
    "parse_record",
]
