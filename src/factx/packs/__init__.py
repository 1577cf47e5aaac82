"""Rule packs: the YAML files that hold factx's lexicons and patterns.

In: YAML files (built-in ones under ``rules/``, users' ones from ``--rules`` or ``FACTX_RULES``).
Out: a validated, merged and compiled :class:`~factx.packs.ruleset.RuleSet` that the matcher runs.

Runtime (what a run needs when its rule set comes from the cache): ``ruleset``, ``context_cues``,
``deferred``, ``cache``, ``load``, ``errors``, ``trie``. Compile time (imported only when packs are
compiled or their provenance is read): ``loader``, ``models``, ``context_models``, ``compiler``,
``source``, ``pieces``, ``examples``, ``inventory``. The compile-time names below are imported when
first used.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from factx.packs.errors import PackError
from factx.packs.load import builtin_pack_paths, load_ruleset
from factx.packs.ruleset import CompiledRule, RuleSet, UnitInfo

if TYPE_CHECKING:
    from factx.packs.loader import load_pack_file, pack_schema

__all__ = [
    "CompiledRule",
    "PackError",
    "RuleSet",
    "UnitInfo",
    "builtin_pack_paths",
    "load_pack_file",
    "load_ruleset",
    "pack_schema",
]

_COMPILE_TIME = {"load_pack_file", "pack_schema"}


def __getattr__(name: str) -> Any:
    if name in _COMPILE_TIME:
        from factx.packs import loader

        return getattr(loader, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
