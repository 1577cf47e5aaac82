"""Start-up: the cache of compiled packs (factx.packs.cache) and the commands' lazy imports.

The cache may make a run start sooner, never change what it finds: a rule set read back gives the
same figures as one compiled afresh, a changed pack is compiled again, a damaged cache file is
compiled over, and a cache folder that cannot be written leaves a run as it was. The help and the
extraction do not import the modules of the commands they are not.
"""

from __future__ import annotations

import hashlib
import inspect
import json
import os
import pickle
import re
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest
import regex
import typer
from typer.testing import CliRunner

import factx.extract
import factx.packs.loader
import factx.run
from factx.cli import LAZY_COMMANDS, CommandsOnDemand, app
from factx.context.cues import lexicon
from factx.extract import extract_text
from factx.packs import cache, cue_lexicon, load_ruleset
from factx.packs.loader import builtin_pack_paths
from factx.packs.ruleset import RuleSet

ROOT = Path(__file__).resolve().parent.parent
SEED = ROOT / "seeds" / "000_8a70859ab80dc299.txt"
runner = CliRunner()

# A user's pack: 标准箱 is a measure word of its own (the built-in packs read it as no unit).
BOX_PACK = """\
pack: boxes
units:
  - forms: [标准箱]
    kind: count
    unit: {unit}
    classifier: true
"""
BOX_TEXT = "全港集装箱吞吐量完成3930万标准箱，同比增长11.3%。"


@pytest.fixture
def cache_folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """An empty cache folder of this test's own, the cache on, and no packs from the environment."""
    folder = tmp_path / "cache"
    monkeypatch.setenv(cache.CACHE_DIR_ENV, str(folder))
    monkeypatch.delenv(cache.NO_CACHE_ENV, raising=False)
    monkeypatch.delenv("FACTX_RULES", raising=False)
    monkeypatch.setattr(cache, "counts", cache.CacheCounts())
    return folder


def cache_files(folder: Path) -> list[Path]:
    return sorted(folder.glob(f"{cache.FILE_PREFIX}*{cache.FILE_SUFFIX}")) if folder.is_dir() else []


def figures(text: str, rs: RuleSet) -> list[str]:
    """Every record of ``text`` as its JSON: what a run would write, byte for byte."""
    return [f.model_dump_json() for f in extract_text(text, "doc.txt", rs)]


def no_compiling(monkeypatch: pytest.MonkeyPatch) -> None:
    """From here on, compiling packs fails the test: a rule set must come from the cache."""

    def refuse(*args: object, **kwargs: object) -> RuleSet:
        raise AssertionError("the packs were compiled, not read from the cache")

    monkeypatch.setattr(factx.packs.loader, "compile_ruleset", refuse)


@pytest.fixture(scope="module")
def fresh() -> RuleSet:
    """The built-in packs compiled without any cache: what every cached rule set must equal."""
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv(cache.NO_CACHE_ENV, "1")
        mp.delenv("FACTX_RULES", raising=False)
        return load_ruleset()


@pytest.fixture(scope="module")
def seed_text() -> str:
    return SEED.read_text(encoding="utf-8")


# --- cold and warm --------------------------------------------------------------------------------


def test_a_cold_cache_compiles_and_writes_one_file(cache_folder: Path) -> None:
    load_ruleset()
    assert (cache.counts.hits, cache.counts.misses, cache.counts.writes) == (0, 1, 1)
    assert len(cache_files(cache_folder)) == 1
    assert not list(cache_folder.glob("*.tmp")), "a temporary file was left behind"


def test_a_warm_cache_is_read_without_compiling_and_finds_the_same_figures(
    cache_folder: Path, monkeypatch: pytest.MonkeyPatch, fresh: RuleSet, seed_text: str
) -> None:
    cold = load_ruleset()
    no_compiling(monkeypatch)
    warm = load_ruleset()
    assert cache.counts.hits == 1
    assert warm is not cold
    want = figures(seed_text, fresh)
    assert len(want) > 20
    assert figures(seed_text, cold) == want
    assert figures(seed_text, warm) == want


def test_a_warm_load_parses_no_pattern(
    cache_folder: Path, monkeypatch: pytest.MonkeyPatch, fresh: RuleSet, seed_text: str
) -> None:
    """The point of the cache: patterns come back as compiled code, neither the regex module's
    parser nor the standard library's runs (a library upgrade that changed this would fail here)."""
    load_ruleset()
    regex.purge()  # the engines' own caches of compiled patterns must not hide a parse
    re.purge()
    no_compiling(monkeypatch)

    def no_parsing(*args: object, **kwargs: object) -> None:
        raise AssertionError("a pattern was parsed while the cache was read")

    with monkeypatch.context() as parsers:
        parsers.setattr(regex._main, "_parse_pattern", no_parsing)  # type: ignore[attr-defined]
        parsers.setattr(re._parser, "parse", no_parsing)  # type: ignore[attr-defined]
        warm = load_ruleset()
    assert cache.counts.hits == 1
    assert figures(seed_text, warm) == figures(seed_text, fresh)


def test_a_warm_run_compiles_no_cue_pattern(
    cache_folder: Path, monkeypatch: pytest.MonkeyPatch, fresh: RuleSet, seed_text: str
) -> None:
    """The context stage's cue lexicon (its word tables, and the patterns it derives from the cues:
    listed names, triggers, sentence ends) comes back with the rule set: reading a document's context
    with a warm rule set parses no pattern either, and finds what the fresh lexicon finds."""
    load_ruleset()
    regex.purge()
    re.purge()
    no_compiling(monkeypatch)

    def no_parsing(*args: object, **kwargs: object) -> None:
        raise AssertionError("a pattern was parsed by a run from the cache")

    def no_building(*args: object, **kwargs: object) -> None:
        raise AssertionError("the cue lexicon was built again")

    with monkeypatch.context() as parsers:
        parsers.setattr(regex._main, "_parse_pattern", no_parsing)  # type: ignore[attr-defined]
        parsers.setattr(re._parser, "parse", no_parsing)  # type: ignore[attr-defined]
        parsers.setattr(cue_lexicon.CueLexicon, "__init__", no_building)
        warm = load_ruleset()
        assert isinstance(lexicon(warm), cue_lexicon.CueLexicon)
        got = figures(seed_text, warm)
    assert cache.counts.hits == 1
    assert got == figures(seed_text, fresh)
    assert [r for r in map(json.loads, got) if r["metric"] and r["subject"] and r["period"]]
    # The same tables and patterns as the lexicon built afresh.
    warm_lex, fresh_lex = lexicon(warm), lexicon(fresh)
    assert warm_lex.entries == fresh_lex.entries
    assert warm_lex.suffixes == fresh_lex.suffixes
    for name, value in vars(fresh_lex).items():
        if isinstance(value, re.Pattern | regex.Pattern):
            got_pattern = getattr(warm_lex, name)
            assert (type(got_pattern), got_pattern.pattern, got_pattern.flags) == (
                type(value),
                value.pattern,
                value.flags,
            ), name


def test_a_warm_rule_set_has_the_fresh_one_s_rules_patterns_and_origins(
    cache_folder: Path, monkeypatch: pytest.MonkeyPatch, fresh: RuleSet
) -> None:
    load_ruleset()
    no_compiling(monkeypatch)
    warm = load_ruleset()
    assert [r.id for r in warm.all_rules] == [r.id for r in fresh.all_rules]
    for got, want in zip(warm.all_rules, fresh.all_rules, strict=True):
        assert got.pattern.pattern == want.pattern.pattern
        assert got.pattern.flags == want.pattern.flags
        assert got.pattern.groupindex == want.pattern.groupindex
        # `rules test` names each example's file:line: the pack's YAML tree is read again for it.
        assert [got.example_origin(i) for i in range(len(got.examples))] == [
            want.example_origin(i) for i in range(len(want.examples))
        ]
    assert warm.provenance.packs == fresh.provenance.packs
    assert warm.lexicon.units_after == fresh.lexicon.units_after
    assert warm.pieces == fresh.pieces
    cues, fresh_cues = warm.patterns.context_cues, fresh.patterns.context_cues
    assert cues.periods.pattern == fresh_cues.periods.pattern
    assert type(cues.periods) is type(fresh_cues.periods)


def test_a_rule_that_needs_words_reads_its_pattern_back_when_it_first_runs(
    cache_folder: Path, monkeypatch: pytest.MonkeyPatch, fresh: RuleSet
) -> None:
    """A rule with `needs` comes back from the cache with its pattern still pickled (most documents
    never run it); run on its own examples, here and in a worker sent the rule set unread, it finds
    what the fresh rule set finds."""
    load_ruleset()
    no_compiling(monkeypatch)
    warm = load_ruleset()
    needing = [rule for rule in warm.all_rules if rule.needs is not None]
    assert len(needing) > 5
    assert all("pattern" not in vars(rule) for rule in needing)  # not read back yet
    travelled = pickle.loads(pickle.dumps(warm))  # as a spawned worker gets it
    texts = [example.text for rule in needing for example in rule.examples]
    want = [figures(text, fresh) for text in texts]
    assert sum(map(len, want)) > 10
    for rs in (warm, travelled):
        assert [figures(text, rs) for text in texts] == want
    fresh_needing = [rule for rule in fresh.all_rules if rule.needs is not None]
    for got, rule in zip(needing, fresh_needing, strict=True):
        assert (got.id, got.pattern.pattern, got.pattern.groupindex) == (
            rule.id,
            rule.pattern.pattern,
            rule.pattern.groupindex,
        )


def test_rules_test_passes_with_a_cold_and_with_a_warm_cache(cache_folder: Path) -> None:
    for run in ("cold", "warm"):
        result = runner.invoke(app, ["rules", "test", "-q"])
        assert result.exit_code == 0, (run, result.output)
        assert " 0 failed" in result.output
    assert (cache.counts.misses, cache.counts.hits) == (1, 1)


# --- what makes a miss ----------------------------------------------------------------------------


def test_an_edited_user_pack_is_compiled_again(cache_folder: Path, tmp_path: Path) -> None:
    pack = tmp_path / "boxes.yaml"
    pack.write_text(BOX_PACK.format(unit="TEU"), encoding="utf-8")
    first = load_ruleset([pack])
    assert [(f.text, f.unit) for f in extract_text(BOX_TEXT, ruleset=first)][0] == ("3930万标准箱", "TEU")
    assert (cache.counts.misses, cache.counts.writes) == (1, 1)
    load_ruleset([pack])
    assert cache.counts.hits == 1
    pack.write_text(BOX_PACK.format(unit="BOX"), encoding="utf-8")
    edited = load_ruleset([pack])
    assert (cache.counts.misses, cache.counts.writes) == (2, 2)
    assert [(f.text, f.unit) for f in extract_text(BOX_TEXT, ruleset=edited)][0] == ("3930万标准箱", "BOX")
    assert len(cache_files(cache_folder)) == 2  # the built-in packs with each version of the user's


def test_the_same_pack_at_another_path_is_another_rule_set(cache_folder: Path, tmp_path: Path) -> None:
    """A rule's origin is its file:line: the same bytes under another name must not reuse it."""
    text = BOX_PACK.format(unit="TEU")
    (tmp_path / "a.yaml").write_text(text, encoding="utf-8")
    (tmp_path / "b.yaml").write_text(text, encoding="utf-8")
    a = load_ruleset([tmp_path / "a.yaml"])
    b = load_ruleset([tmp_path / "b.yaml"])
    assert cache.counts.misses == 2
    assert a.provenance.packs[-1][1] == tmp_path / "a.yaml"
    assert b.provenance.packs[-1][1] == tmp_path / "b.yaml"


def test_a_pack_with_errors_is_never_cached(cache_folder: Path, tmp_path: Path) -> None:
    pack = tmp_path / "broken.yaml"
    pack.write_text("pack: broken\nrules:\n  - id: x\n    pattern: '(unclosed'\n", encoding="utf-8")
    for _ in range(2):
        result = runner.invoke(app, ["rules", "check", str(pack)])
        assert result.exit_code == 2
        assert f"{pack}:4:" in result.output
    assert (cache.counts.misses, cache.counts.writes) == (2, 0)
    assert cache_files(cache_folder) == []


# --- a damaged cache is compiled over ---------------------------------------------------------------


def _truncated(data: bytes) -> bytes:
    return data[: len(data) // 2]


def _garbage(data: bytes) -> bytes:
    return bytes((i * 7919) % 251 for i in range(len(data)))


def _flipped_payload_byte(data: bytes) -> bytes:
    middle = len(data) // 2
    return data[:middle] + bytes([data[middle] ^ 0xFF]) + data[middle + 1 :]


def _header_only(data: bytes) -> bytes:
    return data[: len(cache._MAGIC) + 2 * cache._DIGEST]


def _another_object(data: bytes) -> bytes:
    """A well-formed file (magic, key, digest) whose pickle is not a rule set."""
    header = data[: len(cache._MAGIC) + cache._DIGEST]
    payload = pickle.dumps({"rules": ["figure.unit"]})
    return header + hashlib.sha256(payload).digest() + payload


def _empty(data: bytes) -> bytes:
    return b""


@pytest.mark.parametrize(
    "damage", [_truncated, _garbage, _flipped_payload_byte, _header_only, _another_object, _empty]
)
def test_a_damaged_cache_file_is_compiled_over_and_the_run_is_right(
    cache_folder: Path, damage: Callable[[bytes], bytes], fresh: RuleSet, seed_text: str
) -> None:
    load_ruleset()
    (file,) = cache_files(cache_folder)
    file.write_bytes(damage(file.read_bytes()))
    rebuilt = load_ruleset()
    assert (cache.counts.misses, cache.counts.writes, cache.counts.hits) == (2, 2, 0)
    assert figures(seed_text, rebuilt) == figures(seed_text, fresh)
    again = load_ruleset()  # the damaged file was replaced by a whole one
    assert cache.counts.hits == 1
    assert figures(seed_text, again) == figures(seed_text, fresh)


# --- no cache -------------------------------------------------------------------------------------


def test_an_unwritable_cache_folder_means_no_cache_and_a_normal_run(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, seed_text: str, fresh: RuleSet
) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder", encoding="utf-8")
    monkeypatch.setenv(cache.CACHE_DIR_ENV, str(blocker / "cache"))  # cannot be created, even by root
    monkeypatch.delenv(cache.NO_CACHE_ENV, raising=False)
    monkeypatch.delenv("FACTX_RULES", raising=False)
    monkeypatch.setattr(cache, "counts", cache.CacheCounts())
    result = runner.invoke(app, ["extract", "-q", str(SEED)])
    assert result.exit_code == 0, result.output
    assert result.stderr == ""
    assert len(result.stdout.splitlines()) == len(figures(seed_text, fresh))
    assert (cache.counts.misses, cache.counts.writes) == (1, 0)
    assert blocker.read_text(encoding="utf-8") == "not a folder"


@pytest.mark.parametrize("value", ["1", "yes", "true"])
def test_factx_no_cache_turns_it_off(
    cache_folder: Path, monkeypatch: pytest.MonkeyPatch, value: str, fresh: RuleSet, seed_text: str
) -> None:
    monkeypatch.setenv(cache.NO_CACHE_ENV, value)
    compiled: list[int] = []
    compile_ruleset = factx.packs.loader.compile_ruleset

    def counting(*args: object, **kwargs: object) -> RuleSet:
        compiled.append(1)
        return compile_ruleset(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(factx.packs.loader, "compile_ruleset", counting)
    rs = load_ruleset()
    load_ruleset()
    assert len(compiled) == 2
    assert not cache_folder.exists()
    assert cache.counts == cache.CacheCounts()
    assert figures(seed_text, rs) == figures(seed_text, fresh)


@pytest.mark.parametrize("value", ["", "0", "no"])
def test_factx_no_cache_set_to_a_no_leaves_it_on(
    cache_folder: Path, monkeypatch: pytest.MonkeyPatch, value: str
) -> None:
    monkeypatch.setenv(cache.NO_CACHE_ENV, value)
    load_ruleset()
    assert len(cache_files(cache_folder)) == 1


def test_the_cache_folder_follows_factx_cache_dir_then_xdg_then_home(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv(cache.NO_CACHE_ENV, raising=False)
    monkeypatch.setenv(cache.CACHE_DIR_ENV, str(tmp_path / "own"))
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    assert cache.cache_dir() == tmp_path / "own"
    monkeypatch.delenv(cache.CACHE_DIR_ENV)
    assert cache.cache_dir() == tmp_path / "xdg" / "factx"
    monkeypatch.setenv("XDG_CACHE_HOME", "relative/path")  # not absolute: ignored, as the XDG spec says
    assert cache.cache_dir() == tmp_path / "home" / ".cache" / "factx"


# --- bounded, atomic ------------------------------------------------------------------------------


def test_only_the_newest_files_are_kept(cache_folder: Path, tmp_path: Path) -> None:
    packs: list[Path] = []
    seen: set[Path] = set()
    for i in range(cache.KEEP_FILES + 3):
        pack = tmp_path / f"unit{i}.yaml"
        pack.write_text(BOX_PACK.format(unit=f"U{i}"), encoding="utf-8")
        packs.append(pack)
        load_ruleset([pack], builtin=False)
        files = set(cache_files(cache_folder))
        assert len(files) == min(i + 1, cache.KEEP_FILES)
        (new,) = files - seen
        seen = files
        # Dated in order, so that which is newest does not rest on the file system's clock resolution.
        os.utime(new, (1_000_000 + i, 1_000_000 + i))
    assert cache.counts.writes == cache.KEEP_FILES + 3
    load_ruleset([packs[-1]], builtin=False)  # among the newest: still there
    assert cache.counts.hits == 1
    load_ruleset([packs[0]], builtin=False)  # the oldest: dropped
    assert cache.counts.misses == cache.KEEP_FILES + 4


def test_a_writer_leaves_no_temporary_file_and_a_whole_file_in_place(
    cache_folder: Path, fresh: RuleSet, seed_text: str
) -> None:
    load_ruleset()
    (file,) = cache_files(cache_folder)
    key = cache.ruleset_key(builtin_pack_paths(), set(builtin_pack_paths()))
    assert key is not None
    rs = cache._read(file, key)
    assert rs is not None
    # Another run storing the same rule set replaces the file whole, by a rename.
    assert cache._write(cache_folder, key, rs)
    assert [p.name for p in cache_folder.iterdir()] == [file.name]
    again = cache._read(file, key)
    assert again is not None
    assert figures(seed_text, again) == figures(seed_text, fresh)


# --- workers --------------------------------------------------------------------------------------


def test_a_cached_rule_set_travels_to_a_spawned_worker(
    cache_folder: Path, monkeypatch: pytest.MonkeyPatch, fresh: RuleSet, seed_text: str
) -> None:
    """Where workers are spawned (no fork), the parent's rule set is pickled to them as it is."""
    load_ruleset()
    no_compiling(monkeypatch)
    warm = load_ruleset()
    travelled = pickle.loads(pickle.dumps(warm))
    assert figures(seed_text, travelled) == figures(seed_text, fresh)
    rule = travelled.rules[0]
    assert rule.example_origin(0) == fresh.rules[0].example_origin(0)


def test_spawned_workers_run_the_cached_rule_set_and_write_the_records_of_one_process(
    cache_folder: Path, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    """Where fork is not to be had (macOS, Windows), workers are spawned and sent the parent's rule
    set pickled: one read from the cache must arrive whole and give the same records."""
    load_ruleset()
    no_compiling(monkeypatch)
    warm = load_ruleset()
    seeds = [str(p) for p in sorted((ROOT / "seeds").glob("*.txt"))[:3]]
    monkeypatch.setattr(factx.run, "_start_methods", lambda: ["spawn"])
    one, two = tmp_path / "one.jsonl", tmp_path / "two.jsonl"
    assert not factx.run.run_extract(seeds, one, warm, jobs=1).problems
    assert not factx.run.run_extract(seeds, two, warm, jobs=2).problems
    assert two.read_bytes() == one.read_bytes()
    assert len(one.read_bytes().splitlines()) > 20


def test_extract_with_two_jobs_gives_the_records_of_one(cache_folder: Path, tmp_path: Path) -> None:
    seeds = sorted((ROOT / "seeds").glob("*.txt"))[:4]
    one = runner.invoke(app, ["extract", "-q", "-j", "1", *map(str, seeds)])
    two = runner.invoke(app, ["extract", "-q", "-j", "2", *map(str, seeds)])
    assert one.exit_code == two.exit_code == 0
    assert one.stdout == two.stdout
    assert len(one.stdout.splitlines()) > 20
    assert cache.counts.hits >= 1


# --- what each command imports --------------------------------------------------------------------


def imported_by(*args: str) -> set[str]:
    """The factx modules loaded by ``factx ARGS`` in a fresh interpreter."""
    script = (
        "import sys\n"
        "from factx.cli import main\n"
        f"sys.argv = ['factx', *{list(args)!r}]\n"
        "try:\n    main()\nexcept SystemExit:\n    pass\n"
        "print('\\n'.join(m for m in sys.modules if m.startswith('factx')), file=sys.stderr)\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, timeout=120, cwd=ROOT
    )
    return set(done.stderr.split())


HEAVY_FOR_HELP = {"factx.diff", "factx.audit", "factx.stats", "factx.extract", "factx.packs.loader"}
OTHER_COMMANDS = {"factx.diff", "factx.audit", "factx.stats", "factx.cli_diff", "factx.cli_audit"}


@pytest.mark.parametrize(
    ("args", "absent"),
    [
        (["--help"], HEAVY_FOR_HELP | OTHER_COMMANDS),
        (["extract", "--help"], HEAVY_FOR_HELP | OTHER_COMMANDS),
        (["extract", "-q", str(SEED)], OTHER_COMMANDS | {"factx.cli_stats", "factx.output.report_html"}),
    ],
)
def test_a_command_does_not_import_what_it_does_not_use(args: list[str], absent: set[str]) -> None:
    loaded = imported_by(*args)
    assert "factx.cli" in loaded
    assert loaded & absent == set()


# What only compiling packs needs: YAML, the pack models (pydantic), their validation, the compiler.
COMPILE_TIME = {
    "yaml",
    "factx.packs.loader",
    "factx.packs.models",
    "factx.packs.context_models",
    "factx.packs.source",
    "factx.packs.compiler",
    "factx.packs.pieces",
}


def modules_of_a_run(args: list[str], cache_dir: Path) -> tuple[set[str], str]:
    """The modules loaded by ``factx ARGS`` in a fresh interpreter with the cache at ``cache_dir``,
    and what it wrote to stdout."""
    script = (
        "import sys\n"
        "from factx.cli import main\n"
        f"sys.argv = ['factx', *{args!r}]\n"
        "try:\n    main()\nexcept SystemExit:\n    pass\n"
        "print('\\n'.join(sys.modules), file=sys.stderr)\n"
    )
    env = {**os.environ, cache.CACHE_DIR_ENV: str(cache_dir)}
    env.pop(cache.NO_CACHE_ENV, None)
    env.pop("FACTX_RULES", None)
    done = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, timeout=120, cwd=ROOT, env=env
    )
    return set(done.stderr.split()), done.stdout


# What only shows something on stderr needs: a quiet run that meets no problem shows nothing.
SHOWING = {"rich.console", "rich.progress"}


def test_a_warm_extract_imports_nothing_of_compiling_packs(tmp_path: Path) -> None:
    """With the rule set in the cache, a run reads it back without the modules that compile packs
    (their import cost more than the rest of a one-line document's run), and finds the same figures.
    Quiet and with no problem, it shows nothing: rich's console and progress bar are not imported."""
    doc = tmp_path / "tiny.txt"
    doc.write_text("营收834.9亿元，同比增长4.4%。\n", encoding="utf-8")
    args = ["extract", "-q", str(doc)]
    cold, cold_out = modules_of_a_run(args, tmp_path / "cache")
    warm, warm_out = modules_of_a_run(args, tmp_path / "cache")
    assert "factx.packs.cache" in warm
    assert warm & COMPILE_TIME == set()
    assert cold & COMPILE_TIME == COMPILE_TIME  # the names are right: compiling the packs loads them
    assert warm & SHOWING == set()
    assert "multiprocessing" not in warm  # one document: no worker is started
    assert warm_out == cold_out
    assert [(r["text"], r["unit"]) for r in map(json.loads, warm_out.splitlines())] == [
        ("834.9亿元", "CNY"),
        ("4.4%", "%"),
    ]


@pytest.mark.parametrize(
    ("quiet", "missing", "shown"),
    [
        (["-q"], [], set()),
        (["-q"], ["missing.txt"], {"rich.console"}),  # an error line is shown, through rich
        ([], [], {"rich.console"}),  # the summary line
    ],
)
def test_rich_is_imported_only_to_show_something(
    tmp_path: Path, quiet: list[str], missing: list[str], shown: set[str]
) -> None:
    """Not on a terminal, so never a progress bar; the console only for a line on stderr."""
    doc = tmp_path / "tiny.txt"
    doc.write_text("营收834.9亿元，同比增长4.4%。\n", encoding="utf-8")
    args = ["extract", *quiet, *[str(tmp_path / m) for m in missing], str(doc)]
    loaded, out = modules_of_a_run(args, tmp_path / "cache")
    assert loaded & SHOWING == shown
    assert len(out.splitlines()) == 2


def test_a_command_of_its_own_module_still_loads_it() -> None:
    loaded = imported_by("diff", "--help")
    assert {"factx.cli_diff", "factx.diff"} <= loaded


def test_the_overview_lines_are_the_commands_own() -> None:
    group = typer.main.get_command(app)
    assert isinstance(group, CommandsOnDemand)
    for name, (_module, line) in LAZY_COMMANDS.items():
        command = group.load(name)
        assert command.help is not None
        assert inspect.cleandoc(command.help).split("\n\n")[0] == line, name


def test_the_overview_is_the_same_with_every_command_loaded(monkeypatch: pytest.MonkeyPatch) -> None:
    lazy = runner.invoke(app, ["--help"], env={"COLUMNS": "100"})
    load_lazily = CommandsOnDemand.__init__

    def load_all(self: CommandsOnDemand, **kwargs: object) -> None:
        load_lazily(self, **kwargs)
        for name in LAZY_COMMANDS:
            self.load(name)

    monkeypatch.setattr(CommandsOnDemand, "__init__", load_all)
    eager = runner.invoke(app, ["--help"], env={"COLUMNS": "100"})
    assert lazy.exit_code == eager.exit_code == 0
    assert lazy.stdout == eager.stdout
    listed = [
        line.split()[1] for line in lazy.stdout.splitlines() if line.startswith("│ ") and line[2] != " "
    ]
    assert [name for name in listed if not name.startswith("-")] == [
        "extract",
        "schema",
        "diff",
        "audit",
        "report",
        "stats",
        "rules",
    ]
