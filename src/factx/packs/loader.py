"""Loading packs: YAML files → validated :class:`RulePack` models → one compiled :class:`RuleSet`.

Built-in packs load first, in file-name order, then the user's packs in the order given. Every
error names ``file:line:column`` and its cause, and is raised before any document is read.
"""

from __future__ import annotations

import difflib
import os
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

import yaml
from pydantic import BaseModel, ValidationError

from factx.packs.errors import PackError
from factx.packs.models import RulePack
from factx.packs.ruleset import RuleSet, SourcedRule, compile_ruleset

PACK_SUFFIXES = (".yaml", ".yml")
# libyaml's loader when PyYAML was built with it (it usually is): packs load several times faster.
_Loader: Any = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
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


def _mark(node: yaml.Node | None) -> tuple[int | None, int | None]:
    if node is None:
        return None, None
    return node.start_mark.line + 1, node.start_mark.column + 1


def locate(root: yaml.Node | None, loc: Sequence[str | int]) -> yaml.Node | None:
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


def _key_node(root: yaml.Node | None, loc: Sequence[str | int]) -> yaml.Node | None:
    """For an unknown key: the key node itself, so the column points at the key."""
    parent = locate(root, loc[:-1])
    if isinstance(parent, yaml.MappingNode):
        for key, _value in parent.value:
            if key.value == loc[-1]:
                key_node: yaml.Node = key
                return key_node
    return locate(root, loc)


def _known_keys(loc: Sequence[str | int]) -> list[str]:
    """The keys the pack model accepts at the parent of ``loc`` (for 'did you mean')."""
    model: type[BaseModel] | None = RulePack
    for part in loc[:-1]:
        if isinstance(part, int) or model is None:
            continue
        field = model.model_fields.get(part)
        if field is None:
            return []
        annotation = field.annotation
        candidates = [annotation, *getattr(annotation, "__args__", ())]
        model = next((c for c in candidates if isinstance(c, type) and issubclass(c, BaseModel)), None)
    return list(model.model_fields) if model is not None else []


def _describe(error: Any) -> str:
    loc = [str(p) for p in error["loc"]]
    where = ".".join(loc) or "pack"
    if error["type"] == "extra_forbidden":
        key = loc[-1]
        known = _known_keys(error["loc"])
        hint = difflib.get_close_matches(key, known, n=1)
        suggestion = f" (did you mean '{hint[0]}'?)" if hint else ""
        return f"unknown key '{key}'{suggestion}"
    return f"{where}: {error['msg']}"


def load_pack_file(path: Path | str) -> tuple[RulePack, yaml.Node | None]:
    """Read and validate one pack; raise :class:`PackError` naming file:line:column on any fault."""
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise PackError(path, None, None, f"cannot read rule pack: {exc}") from None
    try:
        # One parse: compose keeps the nodes (their line and column locate errors), then construct.
        loader = _Loader(text)
        try:
            root = loader.get_single_node()
            data = loader.construct_document(root) if root is not None else None
        finally:
            loader.dispose()
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark
        line = mark.line + 1 if mark else None
        column = mark.column + 1 if mark else None
        raise PackError(path, line, column, f"not valid YAML: {exc.problem}") from None
    if not isinstance(data, dict):
        raise PackError(path, 1, 1, "a rule pack is a YAML mapping with at least a 'pack' name")
    try:
        pack = RulePack.model_validate(data)
    except ValidationError as exc:
        first = exc.errors()[0]
        if first["type"] == "extra_forbidden":
            node = _key_node(root, first["loc"])
        else:
            node = locate(root, first["loc"])
        line, column = _mark(node)
        more = len(exc.errors()) - 1
        cause = _describe(first) + (f" (and {more} more error{'s' if more > 1 else ''})" if more else "")
        raise PackError(path, line, column, cause) from None
    return pack, root


def load_ruleset(
    extra: Iterable[Path | str] = (),
    *,
    builtin: bool = True,
    use_env: bool = True,
) -> RuleSet:
    """Load built-in packs (unless ``builtin=False``), then ``FACTX_RULES``, then ``extra``; compile once."""
    paths: list[Path] = []
    if builtin:
        paths.extend(builtin_pack_paths())
    if use_env:
        paths.extend(expand_pack_paths(env_pack_paths()))
    paths.extend(expand_pack_paths(extra))
    return compile_ruleset(read_packs(paths, trusted=set(builtin_pack_paths()) if builtin else set()))


def read_packs(
    paths: Iterable[Path], trusted: set[Path] | None = None
) -> list[tuple[Path, RulePack, list[SourcedRule]]]:
    """Validate each file and note where each rule was defined (for errors and ``rules list``).

    Rules of ``trusted`` files (the built-in packs) run without the regex timeout.
    """
    out = []
    for path in paths:
        pack, root = load_pack_file(path)
        sourced = []
        for index, rule in enumerate(pack.rules):
            line, column = _mark(locate(root, ("rules", index)))
            pattern_line, pattern_column = _mark(locate(root, ("rules", index, "pattern")))
            sourced.append(
                SourcedRule(
                    rule=rule,
                    pack=pack.pack,
                    path=path,
                    line=line,
                    column=column,
                    pattern_line=pattern_line,
                    pattern_column=pattern_column,
                    builtin=path in (trusted or set()),
                )
            )
        out.append((path, pack, sourced))
    return out
