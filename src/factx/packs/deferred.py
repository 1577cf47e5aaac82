"""A value that may still be pickled bytes, unpickled the first time it is asked for.

A rule set read from the cache holds its provenance (the validated packs, each rule's definition and
examples, the context examples) this way: only ``factx rules list``/``rules test`` and error messages
read it, and unpickling it would import the pack models (pydantic) and cost a run that only scans.
A rule with ``needs`` holds its pattern so too: most documents hold none of its words.

In: a value, or the bytes the cache stored for it. Out: the value, from :meth:`Deferred.get`.
"""

from __future__ import annotations

import pickle
from collections.abc import Callable
from typing import Generic, TypeVar

T = TypeVar("T")


class Deferred(Generic[T]):
    """Holds a value, or the pickle of one until :meth:`get` is first called."""

    __slots__ = ("_value", "_blob")

    def __init__(self, value: T) -> None:
        self._value = value
        self._blob: bytes | None = None

    @classmethod
    def from_blob(cls, blob: bytes) -> Deferred[T]:
        """A value that stays ``blob`` (a pickle) until it is asked for."""
        deferred: Deferred[T] = cls.__new__(cls)
        deferred._blob = blob
        return deferred

    @property
    def loaded(self) -> bool:
        """Whether the value is at hand (not a pickle still)."""
        return self._blob is None

    def get(self) -> T:
        """The value, unpickled on first use."""
        if self._blob is not None:
            self._value = pickle.loads(self._blob)
            self._blob = None
        return self._value

    def blob(self, dumps: Callable[[T], bytes]) -> bytes:
        """The value's pickle: the bytes it is still held as, or ``dumps`` of the value."""
        return self._blob if self._blob is not None else dumps(self._value)

    def __getstate__(self) -> tuple[T | None, bytes | None]:
        # Sent as it is (a worker process gets the pickle, unread, when it was never read here).
        return (self._value if self._blob is None else None, self._blob)

    def __setstate__(self, state: tuple[T | None, bytes | None]) -> None:
        value, self._blob = state
        if self._blob is None:
            self._value = value  # type: ignore[assignment]
