"""JSON Lines output: a Figure record in, one UTF-8 JSON line (bytes) out (writer.py puts them somewhere)."""

from __future__ import annotations

from factx.records import Figure

_SERIALIZER = Figure.__pydantic_serializer__


def figure_line(figure: Figure) -> bytes:
    """One record as a UTF-8 JSON line (Chinese kept as is, values as plain numbers).

    The same bytes as ``figure.model_dump_json()``, from the schema's serializer directly.
    """
    return _SERIALIZER.to_json(figure) + b"\n"
