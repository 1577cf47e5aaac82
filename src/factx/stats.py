"""Stats: what a run holds, counted: figures per kind, per (kind, unit), per metric and per document.

In: one or more runs (JSONL as ``factx extract`` writes it; ``-`` is standard input), read line by line
with :mod:`factx.runs`, the reader every command shares: each line must be a figure record as
``factx audit`` reads it (:data:`factx.audit.RECORD_SCHEMA`) with a kind and a unit, and a bad line is a
:class:`~factx.runs.RunError` naming ``RUN:LINE: cause`` in the same words as every other command. Out:
a :class:`RunStats` of counters, and from it ordered :class:`StatsTable` rows and one JSON-ready dict
(:meth:`RunStats.as_json`).

Memory holds counters, never records: it grows with the number of distinct kinds, units, metrics and
documents, not with the number of figures, so a run of millions of records is counted in a few
megabytes. Every ordering is total and exact (figures, descending; then the name, by code point), so
the same runs always give the same tables.

Records written before the context stage (no ``metric``, ``subject``, ``period`` or ``basis`` keys) and
records whose context fields are null or empty count as figures without them.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Generator, Iterable, Sequence
from dataclasses import dataclass, field
from decimal import ROUND_HALF_EVEN, Decimal
from operator import itemgetter
from pathlib import Path
from typing import Any, Literal

from factx.audit import CONTEXT_FIELDS, RECORD_SCHEMA
from factx.runs import STRING, STRING_OR_NULL, RunError, parse_values, read_records, run_name

TableName = Literal["kind", "unit", "metric", "doc"]
TABLES: tuple[TableName, ...] = ("kind", "unit", "metric", "doc")
DEFAULT_TOP = 20
SHARE_PLACES = Decimal("0.0001")  # shares in JSON: a fraction of all figures, to 4 decimal places

# The key columns of each table, in the order they are shown and written.
TABLE_KEYS: dict[TableName, tuple[str, ...]] = {
    "kind": ("kind",),
    "unit": ("kind", "unit"),
    "metric": ("metric",),
    "doc": ("doc",),
}

# What a record must hold to be counted: a figure record as an audit reads it, with a kind and a unit;
# its context fields, when present, are strings or null.
STATS_SCHEMA = RECORD_SCHEMA.extended(
    required={"kind": STRING, "unit": STRING},
    optional=dict.fromkeys(CONTEXT_FIELDS, (STRING_OR_NULL, None)),
)
# The values counted, from a record's: doc, kind, unit, then the context fields in CONTEXT_FIELDS order.
_COUNTED = itemgetter(*(STATS_SCHEMA.index(name) for name in ("doc", "kind", "unit", *CONTEXT_FIELDS)))


def _counted(raw: bytes, source: str, line: int) -> tuple[Any, ...]:
    """One line of a run → the values counted, or :class:`RunError` naming ``source:line``."""
    return _COUNTED(parse_values(raw, STATS_SCHEMA, source, line))


def share(part: int, whole: int, places: Decimal = SHARE_PLACES) -> Decimal:
    """``part / whole`` exactly, rounded half-even to ``places`` (0 when ``whole`` is 0)."""
    if not whole:
        return Decimal(0).quantize(places)
    return (Decimal(part) / Decimal(whole)).quantize(places, rounding=ROUND_HALF_EVEN)


@dataclass(frozen=True, slots=True)
class StatsRow:
    """One row of a table: its key (``("money",)``, ``("money", "CNY")``…) and its figures."""

    key: tuple[str, ...]
    figures: int


@dataclass(frozen=True, slots=True)
class StatsTable:
    """The top rows of one table, most figures first, and what was left off below them.

    ``distinct`` counts every row the table has; ``rows_left_off`` and ``figures_left_off`` say how many
    of them, holding how many figures, are not in ``rows``. ``figures_without`` counts the figures that
    have no key for this table (no metric, for the metric table; 0 for the others).
    """

    name: TableName
    columns: tuple[str, ...]
    rows: list[StatsRow]
    distinct: int
    rows_left_off: int
    figures_left_off: int
    figures_without: int = 0


@dataclass
class RunStats:
    """Counters of a run's figures. Build with :func:`run_stats`, or :meth:`add` figures one by one."""

    runs: list[str] = field(default_factory=list)
    figures: int = 0
    kinds: Counter[str] = field(default_factory=Counter)
    units: Counter[tuple[str, str]] = field(default_factory=Counter)
    metrics: Counter[str] = field(default_factory=Counter)
    docs: Counter[str] = field(default_factory=Counter)
    context: Counter[str] = field(default_factory=Counter)  # figures with each context field set

    @property
    def documents(self) -> int:
        """Documents with at least one figure (a run does not list the others)."""
        return len(self.docs)

    @property
    def distinct_metrics(self) -> int:
        """Different metric strings, compared exactly."""
        return len(self.metrics)

    @property
    def without_metric(self) -> int:
        """Figures whose metric is null, empty or absent."""
        return self.figures - self.context["metric"]

    def add(self, doc: str, kind: str, unit: str, context: Sequence[str | None]) -> None:
        """Count one figure: its document, kind and unit, and its context fields in the order of
        CONTEXT_FIELDS (None or empty when it has none)."""
        self.figures += 1
        self.kinds[kind] += 1
        self.units[kind, unit] += 1
        self.docs[doc] += 1
        for name, value in zip(CONTEXT_FIELDS, context, strict=True):
            if value:
                self.context[name] += 1
                if name == "metric":
                    self.metrics[value] += 1

    def context_share(self, name: str) -> Decimal:
        """The share of figures whose context field ``name`` is set (0 to 1, 4 decimal places)."""
        return share(self.context[name], self.figures)

    def table(self, name: TableName, top: int = DEFAULT_TOP) -> StatsTable:
        """The table ``name`` (kind, unit, metric or doc): its ``top`` rows (every row when ``top`` is
        0), most figures first, ties by name."""
        counters: dict[TableName, Counter[Any]] = {
            "kind": self.kinds,
            "unit": self.units,
            "metric": self.metrics,
            "doc": self.docs,
        }
        ordered = sorted(counters[name].items(), key=_row_order)
        shown = ordered[:top] if top else ordered
        rows = [StatsRow(key if isinstance(key, tuple) else (key,), count) for key, count in shown]
        return StatsTable(
            name=name,
            columns=TABLE_KEYS[name],
            rows=rows,
            distinct=len(ordered),
            rows_left_off=len(ordered) - len(rows),
            figures_left_off=sum(count for _, count in ordered[len(rows) :]),
            figures_without=self.without_metric if name == "metric" else 0,
        )

    def as_json(self, top: int = DEFAULT_TOP, tables: Iterable[TableName] = TABLES) -> dict[str, Any]:
        """One JSON-ready object, keys in a fixed order: ``runs``, ``figures``, ``documents``, ``metrics``
        (distinct), ``context`` (per field: ``figures`` with it set and their ``share``), then
        ``tables``, the tables asked for in the order of :data:`TABLES`. Shares are numbers with at
        most 4 decimal places (a Decimal rounded, written as its shortest float)."""
        wanted = set(tables)
        return {
            "runs": list(self.runs),
            "figures": self.figures,
            "documents": self.documents,
            "metrics": self.distinct_metrics,
            "context": {
                name: {"figures": self.context[name], "share": float(self.context_share(name))}
                for name in CONTEXT_FIELDS
            },
            "tables": {name: self._table_json(self.table(name, top)) for name in TABLES if name in wanted},
        }

    def _table_json(self, table: StatsTable) -> dict[str, Any]:
        out: dict[str, Any] = {
            "distinct": table.distinct,
            "rows": [
                {
                    **dict(zip(table.columns, row.key, strict=True)),
                    "figures": row.figures,
                    "share": float(share(row.figures, self.figures)),
                }
                for row in table.rows
            ],
            "rows_left_off": table.rows_left_off,
            "figures_left_off": table.figures_left_off,
        }
        if table.name == "metric":
            out["figures_without"] = table.figures_without
        return out


def _row_order(item: tuple[str | tuple[str, ...], int]) -> tuple[int, tuple[str, ...]]:
    key, count = item
    return -count, key if isinstance(key, tuple) else (key,)


def run_stats(paths: Sequence[Path | str], stats: RunStats | None = None) -> RunStats:
    """Count the figures of the runs ``paths`` (``-``: standard input), streamed one line at a time.

    Records of several runs add up (a document in two runs counts the figures of both). ``stats``, when
    given, is added to and returned. Raises :class:`RunError` for a run that cannot be read or a line
    that is not a figure record (``RUN:LINE: cause``), as ``factx audit`` does.
    """
    stats = stats if stats is not None else RunStats()
    for path in paths:
        if str(path) != "-":
            # Open each named run (and read its first line) before counting any: a missing third run
            # is reported at once, not after the first two, which may hold millions of records.
            first = read_records(path, _counted)
            try:
                next(first, None)
            finally:
                if isinstance(first, Generator):  # closes the file now, not when collected
                    first.close()
    for path in paths:
        source = run_name(path)
        stats.runs.append(source)
        for doc, kind, unit, *context in read_records(path, _counted):
            stats.add(doc, kind, unit, context)
    return stats


__all__ = [
    "DEFAULT_TOP",
    "TABLES",
    "TABLE_KEYS",
    "STATS_SCHEMA",
    "RunError",
    "RunStats",
    "StatsRow",
    "StatsTable",
    "TableName",
    "run_name",
    "run_stats",
    "share",
]
