"""A character trie of words, from which the packs build their alternations (a unit lexicon, a list of
cue words): a regex tests one branch per first character instead of every word.

In: words. Out: nested dicts, each mapping a character to the next node; the key "" marks that a word
ends at a node and holds that word.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any


def char_trie(words: Iterable[str]) -> dict[str, Any]:
    """The words as a character trie (see the module docstring)."""
    trie: dict[str, Any] = {}
    for word in words:
        node = trie
        for ch in word:
            node = node.setdefault(ch, {})
        node[""] = word
    return trie
