"""Loading packs: YAML files → validated :class:`RulePack` models → one compiled :class:`RuleSet`.

Compile time: imported only when packs must be compiled (a cold cache, ``rules check``/``rules
test``, a user pack not cached yet), by :func:`factx.packs.load.compile_packs`. Which files a run
loads, and :func:`load_ruleset` (cache first), are in :mod:`factx.packs.load`, re-exported here.

Built-in packs load first, in file-name order, then the user's packs in the order given. Every
error names ``file:line:column`` and its cause, and is raised before any document is read.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from pydantic import BaseModel, ValidationError

from factx.packs.compiler import compile_ruleset
from factx.packs.errors import PackError, PackErrors, all_errors
from factx.packs.load import (
    PACK_SUFFIXES,
    RULES_ENV,
    builtin_pack_paths,
    builtin_rules_dir,
    env_pack_paths,
    expand_pack_paths,
    load_ruleset,
)
from factx.packs.models import RulePack
from factx.packs.source import LoadedPack, SourcedRule, duplicate_keys, locate, locate_key

if TYPE_CHECKING:
    import yaml


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
        for candidate in list(candidates):
            candidates.extend(getattr(candidate, "__args__", ()))  # list[Rule] → Rule
        model = next((c for c in candidates if isinstance(c, type) and issubclass(c, BaseModel)), None)
    return list(model.model_fields) if model is not None else []


def dotted(loc: Sequence[str | int]) -> str:
    """A model location as a pack author reads it: rules[2].pattern."""
    out = ""
    for part in loc:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out or "pack"


_TYPE_WORDS = {
    "string_type": "a string",
    "int_type": "an integer",
    "int_parsing": "an integer",
    "bool_type": "true or false",
    "bool_parsing": "true or false",
    "list_type": "a list",
    "dict_type": "a mapping",
    "model_type": "a mapping",
    "model_attributes_type": "a mapping",
}


def _describe(error: Any) -> str:
    loc = error["loc"]
    if error["type"] == "extra_forbidden":
        key = str(loc[-1])
        hint = difflib.get_close_matches(key, _known_keys(loc), n=1)
        suggestion = f" (did you mean '{hint[0]}'?)" if hint else ""
        return f"unknown key '{key}'{suggestion}"
    where = dotted(loc)
    if error["type"] == "missing":
        return f"{dotted(loc[:-1])}: missing key '{loc[-1]}'"
    if error["type"] in _TYPE_WORDS:
        got = error.get("input")
        shown = f"{got!r}" if not isinstance(got, dict | list) else type(got).__name__
        return f"{where}: expected {_TYPE_WORDS[error['type']]}, got {shown}"
    message = error["msg"].removeprefix("Value error, ")
    return f"{where}: {message}"


def _typos_once(errors: list[Any]) -> list[Any]:
    """A misspelt key is both unknown and, under its right name, missing: report it once, as the
    unknown key with its suggestion."""
    unknown = {(tuple(e["loc"][:-1]), str(e["loc"][-1])) for e in errors if e["type"] == "extra_forbidden"}

    def misspelt(error: Any) -> bool:
        parent, name = tuple(error["loc"][:-1]), str(error["loc"][-1])
        return any(p == parent and difflib.get_close_matches(name, [k], n=1) for p, k in unknown)

    return [e for e in errors if not (e["type"] == "missing" and misspelt(e))]


def _parse(path: Path) -> tuple[str, yaml.Node | None, Any]:
    """The file's text, its YAML node tree and the data, or a :class:`PackError`."""
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise PackError(path, None, None, f"cannot read rule pack: {exc}") from None
    root, data = compose_pack_text(path, text)
    return text, root, data


def compose_pack_text(path: Path, text: str) -> tuple[yaml.Node | None, Any]:
    """The YAML node tree of a pack's ``text`` and its data, or a :class:`PackError` at ``path``."""
    # Imported here: a run whose packs come from the cache reads no YAML.
    import yaml

    # libyaml's loader when PyYAML was built with it (it usually is): packs load several times faster.
    loader_class: Any = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    try:
        # One parse: compose keeps the nodes (their line and column locate errors), then construct.
        loader = loader_class(text)
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
    return root, data


def load_pack_file(path: Path | str, builtin: bool = False) -> LoadedPack:
    """Read and validate one pack; raise :class:`PackErrors` naming file:line:column of every fault."""
    path = Path(path)
    text, root, data = _parse(path)
    if not isinstance(data, dict):
        raise PackError(path, 1, 1, "a rule pack is a YAML mapping with at least a 'pack' name")
    errors: list[PackError] = []
    for repeat, first in duplicate_keys(root):
        errors.append(
            PackError(
                path,
                repeat.start_mark.line + 1,
                repeat.start_mark.column + 1,
                f"duplicate key '{repeat.value}' (first at line {first.start_mark.line + 1}); YAML keeps "
                "only the last",
            )
        )
    try:
        pack = RulePack.model_validate(data)
    except ValidationError as exc:
        for error in _typos_once(exc.errors()):
            node = locate_key(root, error["loc"]) if error["type"] == "extra_forbidden" else None
            node = node or locate(root, error["loc"])
            line, column = (node.start_mark.line + 1, node.start_mark.column + 1) if node else (None, None)
            errors.append(PackError(path, line, column, _describe(error)))
    if errors:
        errors.sort(key=lambda e: (e.line or 0, e.column or 0))
        raise PackErrors(errors)
    loaded = LoadedPack(path=path, pack=pack, root=root, text=text, builtin=builtin)
    for index, rule in enumerate(pack.rules):
        line, column = loaded.where(("rules", index))
        loaded.rules.append(
            SourcedRule(
                rule=rule,
                pack=pack.pack,
                path=path,
                line=line,
                column=column,
                index=index,
                source=loaded,
                builtin=builtin,
            )
        )
    return loaded


def read_packs(paths: Iterable[Path], trusted: set[Path] | None = None) -> list[LoadedPack]:
    """Validate every file, reporting the faults of all of them at once.

    Rules of ``trusted`` files (the built-in packs) run without the regex timeout.
    """
    out: list[LoadedPack] = []
    errors: list[PackError] = []
    for path in paths:
        try:
            out.append(load_pack_file(path, builtin=path in (trusted or set())))
        except PackError as exc:
            errors.extend(all_errors(exc))
    if errors:
        raise PackErrors(errors)
    return out


def pack_schema() -> dict[str, Any]:
    """The JSON Schema of a rule pack, for editors that validate YAML against one."""
    schema = RulePack.model_json_schema()
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["title"] = "factx rule pack"
    return schema


__all__ = [
    "PACK_SUFFIXES",
    "RULES_ENV",
    "builtin_pack_paths",
    "builtin_rules_dir",
    "compile_ruleset",
    "compose_pack_text",
    "dotted",
    "env_pack_paths",
    "expand_pack_paths",
    "load_pack_file",
    "load_ruleset",
    "pack_schema",
    "read_packs",
]
