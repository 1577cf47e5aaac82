"""docs/rule-packs.md, the reference of the rule-pack format, says what factx does.

Every key of the pack models, every validator and every piece is documented. The doc's worked
example pack checks and passes its own tests, and the commands shown in the doc produce the output
shown: the extracted figures, the `rules check` errors of the broken packs, and the timeout warning.

Doc blocks are found by an HTML comment right before a fenced block: ``<!-- TAG: ARGS -->``.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any, get_args

import jsonschema
import pytest
import yaml
from pydantic import BaseModel
from typer.testing import CliRunner

from factx.cli import app
from factx.packs.loader import builtin_pack_paths, load_pack_file, pack_schema
from factx.packs.models import RulePack
from factx.packs.ruleset import RuleSet, _lexicon_pieces
from factx.validators import VALIDATORS

REPO = Path(__file__).resolve().parent.parent
DOC_PATH = REPO / "docs" / "rule-packs.md"
DOC = DOC_PATH.read_text(encoding="utf-8")

BLOCK = re.compile(r"<!-- (?P<tag>[a-z-]+): (?P<args>[^>]*?) -->\n```[a-z]*\n(?P<body>.*?)\n```", re.S)

runner = CliRunner()


@pytest.fixture(autouse=True)
def _no_env_packs(monkeypatch: pytest.MonkeyPatch) -> None:
    """Packs named by FACTX_RULES in the caller's environment must not change what is tested."""
    monkeypatch.delenv("FACTX_RULES", raising=False)


def blocks(tag: str) -> dict[str, str]:
    """The doc's fenced blocks marked ``<!-- tag: args -->``, by their args."""
    found = {m["args"]: m["body"] for m in BLOCK.finditer(DOC) if m["tag"] == tag}
    assert found, f"no block marked <!-- {tag}: … --> in {DOC_PATH}"
    return found


def block(tag: str, args: str) -> str:
    found = blocks(tag)
    assert args in found, f"no block <!-- {tag}: {args} --> (found: {sorted(found)})"
    return found[args]


def models_in(annotation: Any) -> Iterator[type[BaseModel]]:
    """The pydantic models inside a field's annotation: list[Rule] → Rule, Fallback | None → Fallback."""
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        yield annotation
    for arg in get_args(annotation):
        yield from models_in(arg)


def pack_fields() -> list[tuple[str, str]]:
    """(model, field) for every field of RulePack and of every model nested in it."""
    out: list[tuple[str, str]] = []
    seen: set[type[BaseModel]] = set()
    todo: list[type[BaseModel]] = [RulePack]
    while todo:
        model = todo.pop()
        if model in seen:
            continue
        seen.add(model)
        for name, field in model.model_fields.items():
            out.append((model.__name__, name))
            todo.extend(models_in(field.annotation))
    return out


FIELDS = pack_fields()


def test_the_walk_reaches_every_nested_model() -> None:
    models = {model for model, _ in FIELDS}
    assert {"RulePack", "Numerals", "Unit", "Rule", "Fallback", "Example", "ExpectedFigure"} <= models
    assert {"Qualifiers", "Changes", "Segmentation"} <= models


@pytest.mark.parametrize(("model", "name"), FIELDS, ids=[f"{m}.{n}" for m, n in FIELDS])
def test_every_pack_key_is_documented(model: str, name: str) -> None:
    assert f"`{name}`" in DOC, f"{model}.{name} is not documented in {DOC_PATH}"


def reference_rows() -> list[str]:
    """The keys the reference section's tables document: the first cell of each row."""
    section = DOC.split("## 3. Reference", 1)[1].split("\n## 4.", 1)[0]
    return re.findall(r"^\| `([a-z_]+)` \|", section, re.M)


def test_the_reference_documents_no_key_that_does_not_exist() -> None:
    rows = reference_rows()
    assert len(rows) > 50
    known = {name for _, name in FIELDS} | set(VALIDATORS)
    assert sorted(set(rows) - known) == []


@pytest.mark.parametrize("name", sorted(VALIDATORS))
def test_every_validator_is_documented(name: str) -> None:
    assert f"`{name}`" in DOC, f"validator {name} is not documented in {DOC_PATH}"


def builtin_pieces() -> list[str]:
    generated = _lexicon_pieces(RuleSet(), {})
    own = [name for path in builtin_pack_paths() for name in load_pack_file(path).pack.pieces]
    return sorted({*generated, *own})


@pytest.mark.parametrize("name", builtin_pieces())
def test_every_builtin_and_generated_piece_is_documented(name: str) -> None:
    assert f"`{{{name}}}`" in DOC, f"piece {{{name}}} is not documented in {DOC_PATH}"


def test_every_reserved_piece_name_is_listed_as_reserved() -> None:
    reserved = DOC.split("a pack can't define\nthem:", 1)[1].split("Any other piece", 1)[0]
    listed = set(re.findall(r"`([a-z_]+)`", reserved))
    assert listed == set(_lexicon_pieces(RuleSet(), {}))


# --- the worked example ---------------------------------------------------------------------------


@pytest.fixture
def workdir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A folder holding the doc's worked example files, made the working folder (messages name
    files as given on the command line, as in the doc)."""
    (tmp_path / "logistics.yaml").write_text(block("pack", "logistics.yaml") + "\n", encoding="utf-8")
    (tmp_path / "port.txt").write_text(block("sample", "port.txt") + "\n", encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    return tmp_path


def test_the_worked_example_pack_is_valid(workdir: Path) -> None:
    result = runner.invoke(app, ["rules", "check", "logistics.yaml"])
    assert result.exit_code == 0, result.output
    assert result.stdout == "logistics.yaml: ok\n"


def test_the_worked_example_pack_passes_its_own_tests(workdir: Path) -> None:
    result = runner.invoke(app, ["rules", "test", "logistics.yaml"])
    assert result.exit_code == 0, result.output
    out = [line.rstrip() for line in result.stdout.splitlines()]
    summary = re.search(r"^\d+ examples of .*: \d+ passed, 0 failed$", DOC, re.M)
    assert summary is not None
    assert summary.group(0) in out
    shown = [line for line in DOC.splitlines() if line.startswith(" pass │ ")]
    assert len(shown) == 7
    for line in shown:
        assert line in out


def test_the_worked_example_shows_unit_examples_and_a_disable(workdir: Path) -> None:
    """The example keeps showing what a pack most often does: units with examples, a disable."""
    pack = yaml.safe_load((workdir / "logistics.yaml").read_text(encoding="utf-8"))
    assert [bool(u.get("examples")) for u in pack["units"]] == [True, True]
    assert pack["disable"] == ["not.short_quote"]


def test_the_worked_example_pack_matches_the_schema(workdir: Path) -> None:
    pack = yaml.safe_load((workdir / "logistics.yaml").read_text(encoding="utf-8"))
    jsonschema.validate(pack, pack_schema())


@pytest.mark.parametrize("args", ["logistics.yaml port.txt", "port.txt"])
def test_the_extract_output_shown_is_what_extract_prints(workdir: Path, args: str) -> None:
    *packs, document = args.split()
    rules = [arg for pack in packs for arg in ("--rules", pack)]
    result = runner.invoke(app, ["extract", *rules, document])
    assert result.exit_code == 0, result.output
    records = [json.loads(line) for line in result.stdout.splitlines()]
    shown = [json.loads(line) for line in block("output", args).splitlines()]
    assert [{key: rec[key] for key in want} for rec, want in zip(records, shown, strict=False)] == shown
    assert len(records) == len(shown), [r["text"] for r in records]


def test_the_rules_list_lines_shown_are_what_rules_list_prints(workdir: Path) -> None:
    result = runner.invoke(app, ["rules", "list", "--rules", "logistics.yaml", "--plain"])
    assert result.exit_code == 0, result.output
    out = result.stdout.splitlines()
    shown = [line for line in DOC.splitlines() if line.count("\t") == 4]
    assert len(shown) == 2
    for line in shown:
        # The doc writes the built-in packs' folder as <factx>: it depends on the installation.
        pattern = re.escape(line).replace(re.escape("<factx>/"), ".*")
        assert any(re.fullmatch(pattern, got) for got in out), (line, out)


# --- errors and timeouts --------------------------------------------------------------------------

BROKEN = sorted(blocks("broken"))


def test_the_doc_shows_broken_packs() -> None:
    assert BROKEN == ["lexicons.yaml", "patterns.yaml", "typos.yaml"]


@pytest.mark.parametrize("name", BROKEN)
def test_rules_check_reports_the_errors_shown(
    name: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / name).write_text(block("broken", name) + "\n", encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    shown = block("check", name).splitlines()
    assert shown[0] == f"$ factx rules check {name}"
    *errors, count = shown[1:]
    result = runner.invoke(app, ["rules", "check", name])
    assert result.exit_code == 2, result.output
    assert result.stdout.splitlines() == errors
    assert count == f"{len(errors)} errors"
    assert count in result.stderr


def test_a_runaway_pattern_is_stopped_as_shown(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    ((pack, text, timeout),) = [args.split() for args in blocks("timeout-run")]
    (tmp_path / pack).write_text(block("timeout-pack", pack) + "\n", encoding="utf-8")
    (tmp_path / text).write_text(block("timeout-text", text) + "\n", encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    shown = block("timeout-run", f"{pack} {text} {timeout}").splitlines()
    figure = json.loads(shown[1])
    warning = shown[2]
    result = runner.invoke(app, ["extract", "--rules", pack, "--timeout", timeout, text])
    assert result.exit_code == int(shown[-1])
    records = [json.loads(line) for line in result.stdout.splitlines()]
    assert [{key: rec[key] for key in figure} for rec in records] == [figure]
    assert warning in result.stderr.splitlines()
