"""Where things are in a pack file: YAML nodes by model location, and positions inside a scalar.

Compile time (with the pack models and YAML): a run whose rule set comes from the cache imports this
module only if it asks for the rule set's provenance (``rules list``, ``rules test``).

Every check of a pack ends in a ``file:line:column`` that an editor can jump to: the key at fault,
the value at fault, or the very character of a pattern where the regex engine gave up.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from factx.packs.errors import PackError
from factx.packs.models import Rule, RulePack

Loc = Sequence[str | int]


def locate(root: yaml.Node | None, loc: Loc) -> yaml.Node | None:
    """The YAML node at a pydantic error location (the deepest one that exists)."""
    node = root
    for part in loc:
        if isinstance(node, yaml.MappingNode):
            for key, value in node.value:
                if key.value == part:
                    node = value
                    break
            else:
                return node
        elif isinstance(node, yaml.SequenceNode) and isinstance(part, int) and part < len(node.value):
            node = node.value[part]
        else:
            return node
    return node


def locate_key(root: yaml.Node | None, loc: Loc) -> yaml.Node | None:
    """The key node of the last step of ``loc`` (an unknown key, a regex used as a key)."""
    parent = locate(root, loc[:-1])
    if isinstance(parent, yaml.MappingNode):
        for key, _value in parent.value:
            if key.value == loc[-1]:
                key_node: yaml.Node = key
                return key_node
    return locate(root, loc)


def duplicate_keys(root: yaml.Node | None) -> list[tuple[yaml.Node, yaml.Node]]:
    """Keys given twice in one mapping (YAML keeps the last silently): (the repeat, the first)."""
    out: list[tuple[yaml.Node, yaml.Node]] = []
    stack = [root] if root is not None else []
    while stack:
        node = stack.pop()
        if isinstance(node, yaml.MappingNode):
            first: dict[object, yaml.Node] = {}
            for key, value in node.value:
                name = key.value if isinstance(key, yaml.ScalarNode) else None
                if name is not None and name in first:
                    out.append((key, first[name]))
                elif name is not None:
                    first[name] = key
                stack.append(value)
        elif isinstance(node, yaml.SequenceNode):
            stack.extend(node.value)
    return sorted(out, key=lambda pair: pair[0].start_mark.index)


def scalar_offset(text: str, node: yaml.Node, offset: int) -> int:
    """The index in the file ``text`` of character ``offset`` of a scalar's value.

    The value and its source differ by quotes, escapes (``\\\\``, ``''``) and, in block scalars,
    line breaks and indentation. Walking both, each value character is matched to the next equal
    source character; what the value lacks is skipped. Exact for plain and quoted one-line scalars,
    close enough elsewhere to land on the right line.
    """
    value = node.value if isinstance(node, yaml.ScalarNode) else ""
    start, end = node.start_mark.index, node.end_mark.index
    j = start
    for ch in value[: max(0, min(offset, len(value)))]:
        k = text.find(ch, j, end)
        if k < 0:
            break
        j = k + 1
    if offset < len(value):
        k = text.find(value[offset], j, end)
        if k >= 0:
            j = k
    return min(j, max(start, end - 1)) if end > start else start


def line_column(text: str, index: int) -> tuple[int, int]:
    """1-based line and column (in characters) of an index into ``text``."""
    line = text.count("\n", 0, index) + 1
    column = index - (text.rfind("\n", 0, index) + 1) + 1
    return line, column


@dataclass(frozen=True)
class SourcedRule:
    """A rule with the pack and file:line it was defined at."""

    rule: Rule
    pack: str
    path: Path
    line: int | None
    column: int | None
    index: int = 0
    source: LoadedPack | None = field(default=None, repr=False, compare=False)
    builtin: bool = False

    @property
    def origin(self) -> str:
        return f"{self.path}:{self.line}" if self.line else str(self.path)


@dataclass(frozen=True, eq=False)
class LoadedPack:
    """A validated pack with what locates its parts: the file's text and its YAML node tree."""

    path: Path
    pack: RulePack
    root: yaml.Node | None
    text: str
    builtin: bool = False
    rules: list[SourcedRule] = field(default_factory=list)

    def where(self, loc: Loc, offset: int | None = None, key: bool = False) -> tuple[int | None, int | None]:
        """Line and column of the value (or ``key``) at ``loc``, or of character ``offset`` inside it."""
        node = locate_key(self.root, loc) if key else locate(self.root, loc)
        if node is None:
            return None, None
        if offset is not None and isinstance(node, yaml.ScalarNode):
            return line_column(self.text, scalar_offset(self.text, node, offset))
        return node.start_mark.line + 1, node.start_mark.column + 1

    def error(self, loc: Loc, cause: str, offset: int | None = None, key: bool = False) -> PackError:
        line, column = self.where(loc, offset, key)
        return PackError(self.path, line, column, cause)


class PackFromCache(LoadedPack):
    """A pack as the cache gives it back: the same fields, but its YAML node tree (which only locates
    a pack's parts, for an error or ``rules test``'s file:line) is read again from the pack's text the
    first time it is asked for. Unpickling the node trees would cost more than the rest of the cache."""

    @property
    def root(self) -> yaml.Node | None:
        state = self.__dict__
        if "_root" not in state:
            from factx.packs.loader import compose_pack_text  # the loader imports this module

            state["_root"] = compose_pack_text(self.path, self.text)[0]
        root: yaml.Node | None = state["_root"]
        return root


def _blank_pack() -> PackFromCache:
    """An empty :class:`PackFromCache`, filled by unpickling (as a frozen dataclass is: its ``__dict__``)."""
    return object.__new__(PackFromCache)


def reduce_pack(pack: LoadedPack) -> tuple[Any, ...]:
    """Pickle a pack without its node tree; it comes back as a :class:`PackFromCache` (the cache's
    pickler uses this for :class:`LoadedPack` and :class:`PackFromCache`)."""
    state = {k: v for k, v in pack.__dict__.items() if k not in ("root", "_root")}
    return _blank_pack, (), state
