"""A cache of compiled rule sets: a run starts without compiling the packs again.

In: the pack files a run loads (in load order, each built-in or not) and a function that builds their
:class:`RuleSet`. Out: that RuleSet, read back from the user's cache folder when the very same pack
files were compiled before by the same factx, regex, pydantic, PyYAML and Python; otherwise built,
then stored for the next run.

Compiling the built-in packs takes about a second, nearly all of it in the regex module's parser,
which is pure Python: a one-line document would wait a second for its answer. A compiled pattern of
the regex module pickles as the code its compiler produced (``Pattern._pickled_data`` handed back to
``_regex.compile``, the module's own pickle support), so an unpickled RuleSet runs without parsing a
pattern again; the regex version is part of the key because that code is the module's internal form.
The rule set's provenance (the validated packs, the rules' definitions and examples) is stored as a
pickle of its own inside the file and unpickled only when asked for (``rules list``, ``rules test``):
reading a rule set back imports no pack model, no YAML and no loader. The pattern of a rule with
``needs`` is a pickle of its own too, read when a document first holds one of the rule's words.

The cache is a convenience and is never trusted: a file is used only when its header names the
same key and the digest of its content matches; anything that fails while reading it is a miss, and
the rule set is compiled as if there were no cache. A folder that cannot be written means no cache,
silently. A file is written to a temporary name and renamed into place, so that two runs racing
cannot leave a torn file, and only the newest :data:`KEEP_FILES` files are kept.

Where: ``$FACTX_CACHE_DIR``, else ``$XDG_CACHE_HOME/factx``, else ``~/.cache/factx``.
``FACTX_NO_CACHE=1`` turns the cache off.
"""

from __future__ import annotations

import contextlib
import copyreg
import hashlib
import importlib.util
import io
import os
import pickle
import re
import sys
import tempfile
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

import regex

from factx.packs.deferred import Deferred
from factx.packs.ruleset import CompiledRule, RuleSet

CACHE_DIR_ENV = "FACTX_CACHE_DIR"
NO_CACHE_ENV = "FACTX_NO_CACHE"
KEEP_FILES = 8  # a few pack sets (the built-in one, with or without a user's packs) stay warm
FILE_PREFIX = "ruleset-"
FILE_SUFFIX = ".pickle"
# The layout of a cache file; bumped when it changes, so that old files are misses.
_MAGIC = b"factx-ruleset-cache-3\n"
_DIGEST = 32  # bytes of a SHA-256 digest


@dataclass
class CacheCounts:
    """What the cache did in this process: rule sets read back, compiled afresh, and stored."""

    hits: int = 0
    misses: int = 0
    writes: int = 0


counts = CacheCounts()


def cache_enabled() -> bool:
    """False when ``FACTX_NO_CACHE`` is set to anything but an empty value, 0, false, no or off."""
    value = os.environ.get(NO_CACHE_ENV, "").strip().lower()
    return value in ("", "0", "false", "no", "off")


def cache_dir() -> Path | None:
    """The folder of the cache files (which may not exist yet), or None when the cache is off."""
    if not cache_enabled():
        return None
    explicit = os.environ.get(CACHE_DIR_ENV, "").strip()
    if explicit:
        return Path(explicit)
    xdg = os.environ.get("XDG_CACHE_HOME", "").strip()
    if xdg and os.path.isabs(xdg):  # the XDG spec: a relative path is invalid and ignored
        return Path(xdg) / "factx"
    try:
        return Path.home() / ".cache" / "factx"
    except (RuntimeError, KeyError):  # no home folder to be found
        return None


@cache
def _code_digest() -> bytes:
    """A fingerprint of factx's own source files (name, size, modification time): a RuleSet's layout
    and how it is compiled are code, and an edit or a checkout between two runs changes them without
    changing the version number. Their times, not their bytes: reading them all would cost more
    than the rest of the key."""
    package = Path(__file__).resolve().parent.parent
    digest = hashlib.sha256()
    folders = [str(package)]
    while folders:
        with os.scandir(folders.pop()) as entries:
            for entry in sorted(entries, key=lambda e: e.name):
                if entry.is_dir() and entry.name != "__pycache__":
                    folders.append(entry.path)
                elif entry.name.endswith(".py"):
                    info = entry.stat()
                    digest.update(b"%s\0%d\0%d\0" % (os.fsencode(entry.path), info.st_size, info.st_mtime_ns))
    return digest.digest()


def _module_file(name: str) -> str:
    """Where module ``name`` is installed, with its file's size and time: a new version is another."""
    try:
        spec = importlib.util.find_spec(name)
        origin = spec.origin if spec is not None else None
        if origin is None:
            return ""
        info = os.stat(origin)
        return f"{origin}:{info.st_size}:{info.st_mtime_ns}"
    except (ImportError, ValueError, OSError):
        return ""


def _environment() -> bytes:
    """What else the compiled and pickled result depends on: the versions of factx, Python and the
    libraries whose objects it holds, and the validators a pack may name."""
    import pydantic

    from factx import __version__
    from factx.validators import VALIDATORS

    parts = [
        _MAGIC.decode(),
        __version__,
        sys.version,
        sys.implementation.cache_tag or "",
        regex.__version__,
        pydantic.VERSION,
        _module_file("yaml"),  # PyYAML by its file: importing it would cost a run that reads no YAML
        ",".join(sorted(VALIDATORS)),
    ]
    return "\n".join(parts).encode() + _code_digest()


def ruleset_key(paths: Sequence[Path], trusted: set[Path]) -> bytes | None:
    """The key of the rule set compiled from ``paths`` (in load order, those in ``trusted`` built-in):
    each file's name as given and its bytes, and the environment; None if a file cannot be read
    (then loading reports it, and there is nothing to cache)."""
    digest = hashlib.sha256(_environment())
    for path in paths:
        try:
            data = path.read_bytes()
        except OSError:
            return None
        name = os.fsencode(str(path))
        digest.update(b"%d:%s:%d:%d\0" % (len(name), name, path in trusted, len(data)))
        digest.update(hashlib.sha256(data).digest())
    return digest.digest()


# The standard library's patterns (the context cues use its engine where it can) pickle as their source
# and are compiled again on load, which would cost a third of reading the cache. Their compiled code is
# stored instead, as ``re`` itself hands it to ``_sre.compile``: private to CPython, hence checked when
# written (the pattern rebuilt from it must equal the original) and on load (any failure compiles the
# source). The key holds the Python version, so the code is read by the interpreter that produced it.
def _stdlib_code(pattern: re.Pattern[str]) -> tuple[Any, ...] | None:
    """The arguments ``_sre.compile`` rebuilds ``pattern`` from, or None if they cannot be had."""
    try:
        import _sre
        from re import _compiler, _parser  # type: ignore[attr-defined]

        parsed = _parser.parse(pattern.pattern, pattern.flags)
        code = [int(op) for op in _compiler._code(parsed, pattern.flags)]  # plain ints pickle
        groups = parsed.state.groupdict
        names: list[str | None] = [None] * parsed.state.groups
        for name, index in groups.items():
            names[index] = name
        args = (pattern.flags | parsed.state.flags, code, parsed.state.groups - 1, groups, tuple(names))
        if _sre.compile(pattern.pattern, *args) != pattern:
            return None
        return args
    except Exception:  # another interpreter's internals: the pattern is stored as its source
        return None


def _stdlib_pattern(source: str, flags: int, code: tuple[Any, ...] | None) -> re.Pattern[str]:
    """A standard-library pattern from its stored code, or compiled from its source."""
    if code is not None:
        try:
            import _sre

            rebuilt: re.Pattern[str] = _sre.compile(source, *code)
            return rebuilt
        except Exception:
            pass
    return re.compile(source, flags)


def _reduce_stdlib_pattern(pattern: re.Pattern[str]) -> tuple[Any, ...]:
    return _stdlib_pattern, (pattern.pattern, pattern.flags, _stdlib_code(pattern))


def _reduce_deferred(deferred: Deferred[Any]) -> tuple[Any, ...]:
    """Pickle a deferred value (a rule set's provenance, its context examples) as a pickle of its own,
    read back only when asked for; one read from the cache and never asked for is stored as it came."""
    return Deferred.from_blob, (deferred.blob(_dumps),)


def _blank_rule() -> CompiledRule:
    """An empty :class:`CompiledRule`, filled by unpickling (as a frozen dataclass is: its ``__dict__``)."""
    return object.__new__(CompiledRule)


def _reduce_rule(rule: CompiledRule) -> tuple[Any, ...]:
    """Pickle a rule; one with ``needs`` keeps its pattern as a pickle of its own, read when the rule
    first runs (most documents hold none of its words: reading them all back would cost a third of
    reading the cache)."""
    state = dict(rule.__dict__)
    if rule.needs is not None and "pattern" in state:
        state["deferred_pattern"] = Deferred(state.pop("pattern"))
    return _blank_rule, (), state


def _dumps(obj: object) -> bytes:
    """The cache's pickle of ``obj``: packs without their YAML trees, standard-library patterns as
    compiled code, deferred values as pickles of their own."""
    # The compile-time modules are imported by now (a rule set was compiled) or are only needed for
    # a provenance that was read (a rule set from the cache whose provenance was asked for).
    from factx.packs.source import LoadedPack, PackFromCache, reduce_pack

    buffer = io.BytesIO()
    pickler = pickle.Pickler(buffer, protocol=pickle.HIGHEST_PROTOCOL)
    pickler.dispatch_table = {
        **copyreg.dispatch_table,
        LoadedPack: reduce_pack,
        PackFromCache: reduce_pack,  # a rule set read from the cache, stored again
        re.Pattern: _reduce_stdlib_pattern,
        Deferred: _reduce_deferred,
        CompiledRule: _reduce_rule,
    }
    pickler.dump(obj)
    return buffer.getvalue()


def _file_for(folder: Path, key: bytes) -> Path:
    return folder / f"{FILE_PREFIX}{key.hex()[:40]}{FILE_SUFFIX}"


def _read(path: Path, key: bytes) -> RuleSet | None:
    """The rule set stored at ``path`` under ``key``; None for no file, another key, or any fault."""
    try:
        data = path.read_bytes()
        header = len(_MAGIC) + 2 * _DIGEST
        if len(data) < header or not data.startswith(_MAGIC):
            return None
        stored_key = data[len(_MAGIC) : len(_MAGIC) + _DIGEST]
        stored_digest = data[len(_MAGIC) + _DIGEST : header]
        payload = memoryview(data)[header:]
        if stored_key != key or hashlib.sha256(payload).digest() != stored_digest:
            return None
        rs = pickle.loads(payload)
        if not _looks_whole(rs):
            return None
        return rs
    except Exception:  # a truncated, garbled or foreign file: compile afresh
        return None


def _looks_whole(rs: object) -> bool:
    """The unpickled object is a RuleSet whose rules hold compiled patterns (or deferred ones)."""
    if not isinstance(rs, RuleSet):
        return False
    return all(
        isinstance(rule, CompiledRule)
        and (
            isinstance(rule.__dict__.get("pattern"), regex.Pattern)
            or isinstance(rule.__dict__.get("deferred_pattern"), Deferred)
        )
        for rule in rs.all_rules
    )


def _write(folder: Path, key: bytes, rs: RuleSet) -> bool:
    """Store ``rs`` under ``key``: into a temporary file, then renamed into place. False, silently,
    when the folder cannot be written or the rule set cannot be pickled."""
    try:
        payload = _dumps(rs)
    except Exception:  # something a pack compiled to does not pickle: run without a cache
        return False
    tmp: str | None = None
    try:
        folder.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix="." + FILE_PREFIX, suffix=".tmp", dir=folder)
        with os.fdopen(fd, "wb") as out:
            out.write(_MAGIC + key + hashlib.sha256(payload).digest())
            out.write(payload)
        os.replace(tmp, _file_for(folder, key))
        tmp = None
    except OSError:
        return False
    finally:
        if tmp is not None:
            with contextlib.suppress(OSError):
                os.unlink(tmp)
    _prune(folder)
    return True


def _prune(folder: Path) -> None:
    """Keep the newest :data:`KEEP_FILES` cache files (used ones are touched, so the newest are the
    ones in use)."""
    try:
        files = []
        for entry in os.scandir(folder):
            if entry.name.startswith(FILE_PREFIX) and entry.name.endswith(FILE_SUFFIX):
                files.append((entry.stat().st_mtime_ns, entry.path))
        files.sort(reverse=True)
        for _mtime, path in files[KEEP_FILES:]:
            os.unlink(path)
    except OSError:  # another run pruned first, or the folder went away: nothing to do
        pass


def cached_ruleset(paths: Sequence[Path], trusted: set[Path], build: Callable[[], RuleSet]) -> RuleSet:
    """The rule set of ``paths`` from the cache, or ``build()``'s, stored for the next run.

    ``build`` raises what loading the packs raises (a :class:`PackError`); nothing is stored then.
    """
    folder = cache_dir()
    key = ruleset_key(paths, trusted) if folder is not None else None
    if folder is None or key is None:
        return build()
    file = _file_for(folder, key)
    rs = _read(file, key)
    if rs is not None:
        counts.hits += 1
        with contextlib.suppress(OSError):
            os.utime(file)  # recently used: kept by the pruning
        return rs
    counts.misses += 1
    rs = build()
    # A pack edited while it was compiled: what was built may match neither version; store nothing.
    if ruleset_key(paths, trusted) == key and _write(folder, key, rs):
        counts.writes += 1
    return rs
