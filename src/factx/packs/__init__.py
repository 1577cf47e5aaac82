"""Rule packs: the YAML files that hold factx's lexicons and patterns.

In: YAML files (built-in ones under ``rules/``, users' ones from ``--rules`` or ``FACTX_RULES``).
Out: a validated, merged and compiled :class:`~factx.packs.ruleset.RuleSet` that the matcher runs.
"""

from factx.packs.errors import PackError
from factx.packs.loader import builtin_pack_paths, load_pack_file, load_ruleset, pack_schema
from factx.packs.ruleset import CompiledRule, RuleSet, UnitInfo

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
