"""The ``context_fields`` section of a rule pack: the cue words and patterns that find each figure's
metric, subject, period and basis, validated on load and compiled once per rule set.

In: the ``context_fields`` section of every pack, in pack order. Out: :class:`CompiledCues`, which
``factx.context.fields`` reads. (Skeleton: the cues are filled in by the context stage's work.)
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from pydantic import BaseModel, ConfigDict

if TYPE_CHECKING:
    from factx.packs.errors import PackError
    from factx.packs.source import LoadedPack


class ContextCues(BaseModel):
    """Cue words and patterns for the context of figures (metric, subject, period, basis)."""

    # As every pack model (models.Strict, not imported here: models imports this module).
    model_config = ConfigDict(extra="forbid", frozen=True)


@dataclass
class CompiledCues:
    """The cues of all packs merged and compiled."""


def compile_context_cues(packs: list[LoadedPack], errors: list[PackError]) -> CompiledCues:
    """Merge the ``context_fields`` sections of ``packs`` in order; faults go to ``errors``."""
    return CompiledCues()
