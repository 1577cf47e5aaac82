"""Loading packs: YAML files → validated :class:`RulePack` models → one compiled :class:`RuleSet`.

Built-in packs load first, in file-name order, then the user's packs in the order given. Every
error names ``file:line:column`` and its cause, and is raised before any document is read.
"""

from __future__ import annotations

import difflib
import os
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from pydantic import BaseModel, ValidationError

from factx.packs.cache import cached_ruleset
from factx.packs.errors import PackError, PackErrors, all_errors
from factx.packs.models import RulePack
from factx.packs.ruleset import RuleSet, compile_ruleset
from factx.packs.source import LoadedPack, SourcedRule, duplicate_keys, locate, locate_key

if TYPE_CHECKING:
    import yaml

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
    return cached_ruleset(paths, trusted, lambda: compile_ruleset(read_packs(paths, trusted=trusted)))


def pack_schema() -> dict[str, Any]:
    """The JSON Schema of a rule pack, for editors that validate YAML against one."""
    schema = RulePack.model_json_schema()
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["title"] = "factx rule pack"
    return schema
