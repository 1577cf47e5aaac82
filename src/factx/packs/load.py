"""Which pack files a run loads, and their rule set: from the cache when it holds it, else compiled.

Runtime: this module and what it imports at module level read no YAML and import no pack model, so
a run whose packs are in the cache (:mod:`factx.packs.cache`) starts without them. Only when the
packs must be compiled is :mod:`factx.packs.loader` (YAML, validation, compiling) imported.

In: the built-in packs, ``FACTX_RULES`` and the packs a caller names. Out: one compiled
:class:`~factx.packs.ruleset.RuleSet`, or a :class:`~factx.packs.errors.PackError` naming
``file:line:column`` and its cause, raised before any document is read.
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from pathlib import Path

from factx.packs.cache import cached_ruleset
from factx.packs.errors import PackError
from factx.packs.ruleset import RuleSet

PACK_SUFFIXES = (".yaml", ".yml")
RULES_ENV = "FACTX_RULES"


def builtin_rules_dir() -> Path:
    """The folder of the built-in packs: inside the installed package, or the repository's ``rules/``."""
    here = Path(__file__).resolve().parent.parent
    installed = here / "rules"
    if installed.is_dir():
        return installed
    # An editable install or a source checkout imports from src/factx: the packs are at the top level.
    return here.parent.parent / "rules"


def builtin_pack_paths() -> list[Path]:
    """The built-in pack files, in load order."""
    return expand_pack_paths([builtin_rules_dir()])


def expand_pack_paths(paths: Iterable[Path | str]) -> list[Path]:
    """Files stay as given; a folder gives its ``*.yaml``/``*.yml`` files in name order."""
    out: list[Path] = []
    for raw in paths:
        path = Path(raw)
        if path.is_dir():
            out.extend(sorted(p for p in path.iterdir() if p.suffix in PACK_SUFFIXES and p.is_file()))
        elif path.exists():
            out.append(path)
        else:
            raise PackError(path, None, None, "no such rule pack file or folder")
    return out


def env_pack_paths() -> list[Path]:
    """Packs named by the ``FACTX_RULES`` environment variable (``os.pathsep``-separated)."""
    value = os.environ.get(RULES_ENV, "")
    return [Path(p) for p in value.split(os.pathsep) if p.strip()]


def _env_packs() -> list[Path]:
    try:
        return expand_pack_paths(env_pack_paths())
    except PackError as exc:
        raise PackError(exc.path, None, None, f"{exc.cause} (named by {RULES_ENV})") from None


def compile_packs(paths: list[Path], trusted: set[Path]) -> RuleSet:
    """Read, validate and compile the pack files ``paths`` (those in ``trusted`` are built-in)."""
    from factx.packs import loader  # compile time: YAML, the pack models, the compiler

    return loader.compile_ruleset(loader.read_packs(paths, trusted=trusted))


def load_ruleset(
    extra: Iterable[Path | str] = (),
    *,
    builtin: bool = True,
    use_env: bool = True,
) -> RuleSet:
    """Load built-in packs (unless ``builtin=False``), then ``FACTX_RULES``, then ``extra``; compile once.

    The compiled rule set is kept in the user's cache folder (see :mod:`factx.packs.cache`): the same
    pack files load from there on the next run, without being parsed or compiled again.
    """
    paths: list[Path] = builtin_pack_paths() if builtin else []
    trusted = set(paths)
    if use_env:
        paths.extend(_env_packs())
    paths.extend(expand_pack_paths(extra))
    return cached_ruleset(paths, trusted, lambda: compile_packs(paths, trusted))
