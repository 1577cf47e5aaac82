"""Runs: reading the JSONL ``factx extract`` writes, for every command that reads one (diff, audit,
report, stats).

In: a run's path (``-`` or None: standard input), or one of its lines as bytes, and a :class:`Schema`:
the fields a command reads, each with its JSON type, required or with a default. Out: the run's lines,
numbered from 1 (blank lines skipped, a UTF-8 byte order mark dropped, CRLF read as LF), each parsed
once with orjson into the schema's values, in the schema's order (:func:`parse_values`), or into the
whole object, checked (:func:`parse_object`).

Anything wrong is a :class:`RunError`, ``RUN:LINE: cause``, worded the same whichever command reads:

- ``cannot read the run: no such file or directory`` (or ``is a directory``, …): the file, no line;
- ``not JSON (unexpected character)``: the line is not JSON;
- ``a record is a JSON object, not an array``;
- ``not a figure record: no 'value' field``;
- ``'value' is a string, not a number`` (``a whole number``, ``a string or null`` …);
- ``'id' is empty``.

Numbers stay as orjson parsed them (int or float); :func:`exact_number` gives one exactly as written on
its line, as a Decimal, for callers that compare or compute with values (diff), so 0.1 and
0.10000000000000001 are told apart and nothing carries float noise.
"""

from __future__ import annotations

import re
import sys
from collections.abc import Callable, Iterator, Mapping
from decimal import Decimal
from functools import cache
from itertools import product
from math import prod
from operator import itemgetter
from pathlib import Path
from types import NoneType
from typing import IO, Any, NamedTuple, TypeVar

import orjson

STDIN = "-"
STDIN_NAME = "<stdin>"  # how standard input is named in messages
BOM = b"\xef\xbb\xbf"

T = TypeVar("T")


class RunError(Exception):
    """A run that cannot be read: the file (``line`` None), or one line of it that is not a record.

    ``str()`` is ``RUN:LINE: cause`` (``RUN: cause`` for the file), the one line every command prints.
    """

    def __init__(self, source: str, line: int | None, cause: str) -> None:
        super().__init__(source, line, cause)  # all three in args: the error pickles and copies whole
        self.source, self.line, self.cause = source, line, cause

    def __str__(self) -> str:
        where = f"{self.source}:{self.line}" if self.line is not None else self.source
        return f"{where}: {self.cause}"


# --- what a record holds -------------------------------------------------------------------------

_TYPE_NAMES: dict[type, str] = {
    NoneType: "null",
    bool: "a boolean",
    int: "a number",
    float: "a number",
    str: "a string",
    list: "an array",
    dict: "an object",
}


def type_name(value: object) -> str:
    """A JSON value's type in words, as messages name it: null, a number, a string, an array …"""
    return _TYPE_NAMES.get(type(value), type(value).__name__)


class FieldType(NamedTuple):
    """The Python types (as orjson parses JSON) a field may have, and how a message names them."""

    types: tuple[type, ...]
    words: str


STRING = FieldType((str,), "a string")
STRING_OR_NULL = FieldType((str, NoneType), "a string or null")
NUMBER = FieldType((int, float), "a number")
NUMBER_OR_NULL = FieldType((int, float, NoneType), "a number or null")
WHOLE_NUMBER = FieldType((int,), "a whole number")  # bool is not int here: types are compared exactly

_TYPE_COMBINATIONS_LIMIT = 4096  # past this, a record's types are checked one field at a time


class Schema:
    """The fields of a record a command reads, checked as each line is parsed.

    ``required`` fields must be present; ``optional`` ones take their default when absent (a present
    null is checked against the field's type like any value). A record's values come in the order of
    :attr:`names`: the required fields, then the optional ones. An ``id``, when read, must not be
    empty: it names the figure.
    """

    def __init__(
        self,
        required: Mapping[str, FieldType],
        optional: Mapping[str, tuple[FieldType, Any]] | None = None,
    ) -> None:
        optional = dict(optional or {})
        self.required = dict(required)
        self.optional = optional
        self.names: tuple[str, ...] = (*required, *optional)
        if len(set(self.names)) != len(self.names) or len(self.required) < 1:
            raise ValueError("a schema names each field once and requires at least one")
        self.types = {**self.required, **{name: ftype for name, (ftype, _) in optional.items()}}
        self._defaults = tuple(default for _, default in optional.values())
        self._optional_names = tuple(optional)
        self._all = _getter(self.names)
        self._required = _getter(tuple(self.required))
        self._id = self.names.index("id") if "id" in self.types else None
        allowed = [ftype.types for ftype in self.types.values()]
        # Every allowed combination of types, so that a record is checked by one set look-up.
        self._valid = (
            frozenset(product(*allowed)) if prod(map(len, allowed)) <= _TYPE_COMBINATIONS_LIMIT else None
        )

    def index(self, name: str) -> int:
        """Where field ``name`` stands among a record's values."""
        return self.names.index(name)

    def extended(
        self,
        required: Mapping[str, FieldType] | None = None,
        optional: Mapping[str, tuple[FieldType, Any]] | None = None,
    ) -> Schema:
        """This schema with more fields, or fields made required or optional (named again)."""
        required, optional = dict(required or {}), dict(optional or {})
        mine_required = {name: t for name, t in self.required.items() if name not in optional}
        mine_optional = {name: d for name, d in self.optional.items() if name not in required}
        return Schema({**mine_required, **required}, {**mine_optional, **optional})

    def values(self, data: Any, source: str, line: int) -> tuple[Any, ...]:
        """The schema's fields of a parsed line, in order, checked; :class:`RunError` when it is not a
        record (``source:line: cause``)."""
        try:
            values = self._all(data)  # a record factx wrote has every field: one look-up
        except KeyError:
            try:
                values = self._required(data) + tuple(map(data.get, self._optional_names, self._defaults))
            except KeyError:
                raise RunError(source, line, self.problem(data)) from None
        except TypeError:  # not an object: a list, a string, a number
            raise RunError(source, line, self.problem(data)) from None
        if self._valid is not None:
            ok = tuple(map(type, values)) in self._valid
        else:
            ok = all(type(v) in t.types for v, t in zip(values, self.types.values(), strict=True))
        if not ok or (self._id is not None and not values[self._id]):
            raise RunError(source, line, self.problem(data))
        return values

    def problem(self, data: object) -> str:
        """Why a parsed line is not a record of this schema, in words (the first fault, in field order)."""
        if type(data) is not dict:
            return f"a record is a JSON object, not {type_name(data)}"
        for name, ftype in self.types.items():
            if name not in data:
                if name in self.required:
                    return f"not a figure record: no {name!r} field"
                continue
            value = data[name]
            if type(value) not in ftype.types:
                return f"{name!r} is {type_name(value)}, not {ftype.words}"
        if self._id is not None and not data.get("id"):
            return "'id' is empty"
        return "not a figure record"  # not reached: values() asks only about a line it refused


def _getter(names: tuple[str, ...]) -> Callable[[Any], tuple[Any, ...]]:
    """The values of ``names`` in an object, always as a tuple (itemgetter of one name gives the value)."""
    if len(names) == 1:
        name = names[0]
        return lambda data: (data[name],)
    return itemgetter(*names)


# --- one line --------------------------------------------------------------------------------------


def load_line(raw: bytes, source: str, line: int) -> Any:
    """One line parsed as JSON, or :class:`RunError` ``source:line: not JSON (why)``."""
    try:
        return orjson.loads(raw)
    except orjson.JSONDecodeError as exc:
        raise RunError(source, line, f"not JSON ({exc.msg})") from None


def parse_values(raw: bytes, schema: Schema, source: str, line: int) -> tuple[Any, ...]:
    """One JSONL line → the values of ``schema``'s fields, in its order: the fast path, for readers that
    keep only those fields (diff, stats). :class:`RunError` naming ``source:line`` when it is not a record."""
    try:
        data = orjson.loads(raw)
    except orjson.JSONDecodeError as exc:
        raise RunError(source, line, f"not JSON ({exc.msg})") from None
    return schema.values(data, source, line)


def parse_object(raw: bytes, schema: Schema, source: str, line: int) -> dict[str, Any]:
    """One JSONL line → its whole JSON object (extra keys included), ``schema``'s fields checked, for
    readers that show any field (audit, report). :class:`RunError` when it is not a record."""
    data = load_line(raw, source, line)
    schema.values(data, source, line)
    return data


@cache
def _number_after_key(name: str) -> re.Pattern[bytes]:
    return re.compile(rb'"' + re.escape(name.encode()) + rb'"\s*:\s*(-?[0-9][0-9.eE+-]*)')


def number_literal(raw: bytes, name: str) -> bytes | None:
    """The JSON text of the number in field ``name`` of a line, as written (``834.9``, ``1e-7``), or
    None when the line has none there."""
    # The key cannot occur inside a string (its quotes would be escaped), so a match is the field.
    i = raw.find(b'"' + name.encode() + b'":')
    if i >= 0:
        i += len(name) + 3
        j = min(k for k in (raw.find(b",", i), raw.find(b"}", i), len(raw)) if k >= 0)
        return raw[i:j].strip()
    m = _number_after_key(name).search(raw)  # a line written with spaces: "value": 834.9
    return m.group(1) if m else None


def exact_number(raw: bytes, name: str, parsed: int | float | None) -> Decimal | None:
    """Field ``name``'s number, as orjson ``parsed`` it, exactly as written on its line ``raw``:
    a Decimal from the literal (an int is exact already); None for a null."""
    if parsed is None:
        return None
    if type(parsed) is int:
        return Decimal(parsed)
    literal = number_literal(raw, name)
    return Decimal(literal.decode("ascii")) if literal else Decimal(repr(parsed))


# --- a whole run ---------------------------------------------------------------------------------


def run_name(path: Path | str | None) -> str:
    """How a run is named in messages: its path, or ``<stdin>`` for ``-`` (and None)."""
    return STDIN_NAME if path is None or str(path) == STDIN else str(path)


def cannot_read(name: str, exc: OSError) -> RunError:
    """The error for a run that cannot be opened or read: ``RUN: cannot read the run: why``."""
    return RunError(name, None, f"cannot read the run: {(exc.strerror or str(exc)).lower()}")


def open_run(path: Path | str | None) -> tuple[IO[bytes], str, bool]:
    """The run's byte stream (standard input for ``-`` or None), its name for messages, and whether
    the caller is to close it; :class:`RunError` when it cannot be opened (a missing file, a folder)."""
    name = run_name(path)
    if path is None or str(path) == STDIN:
        return sys.stdin.buffer, name, False
    try:
        return open(path, "rb"), name, True  # noqa: SIM115 - the caller closes it (third value)
    except OSError as exc:
        raise cannot_read(name, exc) from None


def read_lines(path: Path | str | None) -> Iterator[tuple[int, bytes]]:
    """The lines of a run that are not blank, with their numbers (from 1), as bytes; a byte order mark
    at the start is dropped. :class:`RunError` when the run cannot be opened or read."""
    stream, name, close = open_run(path)
    try:
        for lineno, raw in enumerate(stream, 1):
            if lineno == 1 and raw.startswith(BOM):
                raw = raw[len(BOM) :]
            if raw and not raw.isspace():
                yield lineno, raw
    except OSError as exc:
        raise cannot_read(name, exc) from None
    finally:
        if close:
            stream.close()


def read_records(path: Path | str | None, parse: Callable[[bytes, str, int], T]) -> Iterator[T]:
    """The records of a run in file order, each line made one by ``parse(raw, run name, line number)``
    (which raises :class:`RunError` for a line that is not a record); blank lines skipped."""
    name = run_name(path)
    for lineno, raw in read_lines(path):
        yield parse(raw, name, lineno)


__all__ = [
    "NUMBER",
    "NUMBER_OR_NULL",
    "STDIN",
    "STDIN_NAME",
    "STRING",
    "STRING_OR_NULL",
    "WHOLE_NUMBER",
    "FieldType",
    "RunError",
    "Schema",
    "cannot_read",
    "exact_number",
    "load_line",
    "number_literal",
    "open_run",
    "parse_object",
    "parse_values",
    "read_lines",
    "read_records",
    "run_name",
    "type_name",
]
