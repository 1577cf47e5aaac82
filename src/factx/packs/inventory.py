"""What a loaded ruleset is made of, for ``factx rules list``: each rule, its kind, where it was
defined, and what overrides or disables it."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from factx.packs.ruleset import CompiledRule, RuleSet
from factx.packs.source import SourcedRule


@dataclass(frozen=True)
class RuleRow:
    """One rule as ``rules list`` shows it."""

    id: str
    kind: str  # the fixed kind, "by unit", or "not a figure" for an exclusion
    pack: str
    origin: str  # file:line
    status: str  # "active", "overrides FILE:LINE", "disabled by FILE:LINE"


def shown(origin: str) -> str:
    """A file:line as a person reads it: relative to the working folder when inside it."""
    try:
        return str(Path(origin).relative_to(Path.cwd()))
    except ValueError:
        return origin


def _kind(rule: CompiledRule | SourcedRule) -> str:
    model = rule.rule if isinstance(rule, SourcedRule) else rule
    if model.exclude:
        return "not a figure"
    return model.kind or "by unit"


def rule_rows(rs: RuleSet) -> list[RuleRow]:
    """Active rules in the order they run (figure rules, then exclusions), then the disabled ones."""
    rows = []
    for rule in rs.all_rules:
        old = rs.provenance.overridden.get(rule.id)
        status = f"overrides {shown(old.origin)}" if old is not None else "active"
        rows.append(RuleRow(rule.id, _kind(rule), rule.pack, shown(rule.origin), status))
    for rid, (sourced, path, line) in rs.provenance.disabled.items():
        where = shown(f"{path}:{line}" if line else str(path))
        rows.append(RuleRow(rid, _kind(sourced), sourced.pack, shown(sourced.origin), f"disabled by {where}"))
    return rows
