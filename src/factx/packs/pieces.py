"""``{piece}`` references in pack patterns: finding, expanding and blanking them (compile time).

In: a pattern as a pack writes it (``{cn_number}{unit}``) and the named pieces. Out: the pattern with
every reference replaced by its (recursively expanded) piece, or by a placeholder class of the same
length so that a pattern's own faults can be reported at their character.
"""

from __future__ import annotations

import regex

PIECE_REF = regex.compile(r"(?<!\\[pPN])\{([A-Za-z_][A-Za-z0-9_]*)\}")  # not \p{Han}


def expand_piece(name: str, pieces: dict[str, str], seen: tuple[str, ...], cache: dict[str, str]) -> str:
    """Piece ``name`` expanded; a KeyError names a cycle, a LookupError an unknown piece."""
    if name in cache:
        return cache[name]
    if name in seen:
        raise KeyError(" → ".join((*seen, name)))
    body = pieces[name]
    expanded = expand_pattern(body, pieces, (*seen, name), cache)
    cache[name] = expanded
    return expanded


def expand_pattern(
    pattern: str, pieces: dict[str, str], seen: tuple[str, ...] = (), cache: dict[str, str] | None = None
) -> str:
    """Replace ``{name}`` references by their (recursively expanded) pieces, each in a non-capturing group."""
    cache = {} if cache is None else cache

    def replace(match: regex.Match[str]) -> str:
        name = match.group(1)
        if name not in pieces:
            raise LookupError(name)
        return "(?:" + expand_piece(name, pieces, seen, cache) + ")"

    return PIECE_REF.sub(replace, pattern)


def blank_refs(pattern: str) -> str:
    """``pattern`` with each {piece} replaced by a class of the same length: its own faults, same places."""
    return PIECE_REF.sub(lambda m: "[" + "a" * (len(m.group(0)) - 2) + "]", pattern)
