"""Rule packs users write, check and test: `factx rules check|list|test`, overrides, timeouts, schema.

Each broken pack below has one fault; the expected file:line:column is found in the pack's own text
(the ``at`` needle), so a case states where the fault is, not a number copied from the output.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import jsonschema
import pytest
import yaml
from typer.testing import CliRunner

from factx.cli import app
from factx.extract import extract_document
from factx.packs.loader import builtin_pack_paths, load_ruleset

REPO = Path(__file__).resolve().parent.parent
FIGURES_PACK = REPO / "rules" / "30-figures.yaml"
FINANCE = REPO / "examples" / "packs" / "finance.yaml"

runner = CliRunner()


@pytest.fixture(autouse=True)
def _no_env_packs(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("FACTX_RULES", raising=False)


def position(text: str, needle: str, nth: int = 0) -> tuple[int, int]:
    """1-based line and column of the ``nth`` occurrence of ``needle`` in ``text``."""
    index = -1
    for _ in range(nth + 1):
        index = text.index(needle, index + 1)
    line = text.count("\n", 0, index) + 1
    return line, index - (text.rfind("\n", 0, index) + 1) + 1


# (intent, pack text, needle where the error must point, its occurrence, words the cause must say)
BROKEN = [
    (
        "unknown key, nearest known key suggested",
        "pack: t\nunits:\n  - {forms: [标准箱], kind: count, unit: count, factr: 1}\n",
        "factr",
        0,
        "unknown key 'factr' (did you mean 'factor'?)",
    ),
    (
        "unknown key inside a rule",
        "pack: t\nrules:\n  - id: t.a\n    patern: x\n",
        "patern",
        0,
        "unknown key 'patern' (did you mean 'pattern'?)",
    ),
    (
        "wrong type",
        "pack: t\nrules:\n  - id: t.a\n    pattern: '(?P<num>{quantity})箱'\n    kind: count\n"
        "    unit: count\n    priority: high\n",
        "high",
        0,
        "rules[0].priority: expected an integer, got 'high'",
    ),
    (
        "wrong type: a mapping where a list belongs",
        "pack: t\nunits: {forms: [箱]}\n",
        "{forms",
        0,
        "units: expected a list",
    ),
    (
        "missing key",
        "pack: t\nrules:\n  - id: t.nopattern\n    kind: count\n    unit: count\n",
        "id: t.nopattern",
        0,
        "rules[0]: missing key 'pattern'",
    ),
    (
        "pattern does not compile: the engine's message, at the character",
        "pack: t\nrules:\n  - id: t.a\n    pattern: '(?P<num>{quantity})吨+*'\n"
        "    kind: count\n    unit: count\n",
        "*",
        0,
        "rule 't.a': pattern does not compile: multiple repeat at character 22",
    ),
    (
        "pattern does not compile in a double-quoted scalar with escapes",
        'pack: t\nrules:\n  - id: t.a\n    pattern: "\\\\d+(?P<num>{quantity})(吨"\n    kind: count\n'
        "    unit: count\n",
        '"\n    kind',
        0,
        "missing )",
    ),
    (
        "not_before does not compile",
        'pack: t\nunits:\n  - {forms: [箱], kind: count, unit: count, not_before: "[子"}\n',
        '"}',
        0,
        "not_before of unit '箱' does not compile: unterminated character set",
    ),
    (
        "a piece does not compile",
        "pack: t\npieces:\n  mine: 'a(b'\n",
        "'\n",
        0,
        "piece 'mine' does not compile: missing )",
    ),
    (
        "set operation that the regex module takes literally",
        'pack: t\nrules:\n  - id: t.a\n    pattern: "(?P<num>{quantity})[\\\\p{Han}&&[^的]]"\n'
        "    kind: count\n    unit: count\n",
        "&&",
        0,
        "'&&' in a character class is literal here",
    ),
    (
        "unknown piece, nearest one suggested",
        "pack: t\nrules:\n  - id: t.a\n    pattern: '(?P<num>{quantiy})TEU'\n"
        "    kind: count\n    unit: count\n",
        "{quantiy}",
        0,
        "rule 't.a': unknown piece '{quantiy}' (did you mean 'quantity'?)",
    ),
    (
        "unknown validator",
        "pack: t\nunits:\n  - {forms: [箱], kind: count, unit: count,\n"
        "     validators: [not_indefinite_articles]}\n",
        "not_indefinite_articles",
        0,
        "unknown validator 'not_indefinite_articles' (did you mean 'not_indefinite_article'?)",
    ),
    (
        "disable names no rule",
        "pack: t\ndisable: [not.years]\n",
        "not.years",
        0,
        "disable: no rule 'not.years' is defined in this pack or an earlier one (did you mean 'not.year'?)",
    ),
    (
        "distributive qualifier that is no after-qualifier",
        "pack: t\nqualifiers:\n  distributive: [以上下]\n",
        "以上下",
        0,
        "distributive: '以上下' is not a qualifiers.after word",
    ),
    (
        "duplicate rule id",
        "pack: t\nrules:\n  - id: t.dup\n    pattern: 'a'\n    exclude: true\n"
        "  - id: t.dup\n    pattern: 'b'\n    exclude: true\n",
        "t.dup",
        1,
        "duplicate rule id 't.dup' (first at line 3)",
    ),
    (
        "duplicate key, which YAML would silently drop",
        "pack: t\nunits: []\nrules: []\nunits: []\n",
        "units",
        1,
        "duplicate key 'units' (first at line 2)",
    ),
    (
        "a rule whose keys read a group its pattern lacks",
        "pack: t\nrules:\n  - id: t.a\n    pattern: '[0-9]+箱'\n    kind: count\n    unit: count\n",
        "'[0-9]",
        0,
        "rule 't.a': pattern has no group num",
    ),
    (
        "a numeral entry the grammar would silently ignore",
        "pack: t\nnumerals:\n  digits: {两个: 2}\n",
        "{两个",
        0,
        "numerals.digits: entries are single characters",
    ),
    (
        "keys that only mean something together",
        "pack: t\nrules:\n  - id: t.a\n    pattern: '(?P<num>{quantity})箱'\n    kind: count\n",
        "id: t.a",
        0,
        "kind and unit go together",
    ),
    (
        "an offset with no fixed unit to add it to",
        "pack: t\nrules:\n  - id: t.a\n    pattern: '(?P<num>{quantity})(?P<unit>度)'\n    offset: 273.15\n",
        "id: t.a",
        0,
        "offset applies to a fixed kind and unit",
    ),
]


@pytest.fixture(params=BROKEN, ids=[case[0] for case in BROKEN])
def broken(request: pytest.FixtureRequest, tmp_path: Path) -> tuple[Path, str, str]:
    """A pack with one fault, written to a file: its path, where the fault is (path:line:column: ),
    and what the message must say."""
    _intent, pack, needle, nth, cause = request.param
    path = tmp_path / "pack.yaml"
    path.write_text(pack, encoding="utf-8")
    line, column = position(pack, needle, nth)
    return path, f"{path}:{line}:{column}: ", cause


def test_rules_check_names_file_line_column_and_cause_in_one_line(broken: tuple[Path, str, str]) -> None:
    path, where, cause = broken
    result = runner.invoke(app, ["rules", "check", str(path)])
    assert result.exit_code == 2, result.output
    lines = result.stdout.splitlines()
    assert len(lines) == 1, lines
    assert lines[0].startswith(where), (lines[0], where)
    assert cause in lines[0]


def test_extract_refuses_a_bad_pack_the_same_way_before_reading_documents(
    broken: tuple[Path, str, str], tmp_path: Path
) -> None:
    path, where, cause = broken
    missing_doc = tmp_path / "no-such-document.txt"
    result = runner.invoke(app, ["extract", "--rules", str(path), str(missing_doc)])
    assert result.exit_code == 2
    assert result.stdout == ""
    assert where in result.stderr and cause in result.stderr
    assert "no-such-document" not in result.stderr  # refused before any document was looked at


def test_rules_check_reports_every_fault_of_every_pack_in_file_order(tmp_path: Path) -> None:
    first = tmp_path / "a.yaml"
    first.write_text(
        "pack: a\nunits:\n  - {forms: [箱], kind: count, unit: count, factr: 1}\n", encoding="utf-8"
    )
    second = tmp_path / "b.yaml"
    second.write_text(
        "pack: b\nrules:\n  - id: b.a\n    pattern: '(?P<num>{quantiy})箱'\n"
        "    kind: count\n    unit: count\n"
        "  - id: b.b\n    pattern: '(?P<num>{quantity})(箱'\n    kind: count\n    unit: count\n",
        encoding="utf-8",
    )
    result = runner.invoke(app, ["rules", "check", str(first), str(second)])
    assert result.exit_code == 2
    lines = result.stdout.splitlines()
    # The first stage (keys and types) stops before compiling, so b's compile errors wait for a fix.
    assert [line.split(":")[0] for line in lines] == [str(first)]
    first.write_text("pack: a\nunits:\n  - {forms: [箱], kind: count, unit: count}\n", encoding="utf-8")
    result = runner.invoke(app, ["rules", "check", str(first), str(second)])
    assert result.exit_code == 2
    lines = result.stdout.splitlines()
    assert len(lines) == 2
    assert lines[0].startswith(f"{second}:4:") and "unknown piece" in lines[0]
    assert lines[1].startswith(f"{second}:8:") and "does not compile" in lines[1]
    assert "2 errors" in result.stderr


def test_rules_check_accepts_a_good_pack(tmp_path: Path) -> None:
    result = runner.invoke(app, ["rules", "check", str(FINANCE)])
    assert result.exit_code == 0, result.output
    assert result.stdout.strip() == f"{FINANCE}: ok"


def test_rules_check_of_a_missing_file_is_exit_2(tmp_path: Path) -> None:
    result = runner.invoke(app, ["rules", "check", str(tmp_path / "nope.yaml")])
    assert result.exit_code == 2
    assert "no such rule pack" in result.output


# --- a user pack changes extract's output: an added unit, an override, a disable ---

TEXT = "2024年港口吞吐量达到3500万TEU，同比增长5%。列车时速350公里。"


def figures(tmp_path: Path, pack: str | None, text: str = TEXT) -> list[dict]:
    doc = tmp_path / "doc.txt"
    doc.write_text(text, encoding="utf-8")
    args = ["extract", str(doc)]
    if pack is not None:
        path = tmp_path / "pack.yaml"
        path.write_text(pack, encoding="utf-8")
        args += ["--rules", str(path)]
    result = runner.invoke(app, args)
    assert result.exit_code == 0, result.output
    return [json.loads(line) for line in result.stdout.splitlines()]


def test_added_unit_makes_a_new_figure(tmp_path: Path) -> None:
    before = {f["text"] for f in figures(tmp_path, None)}
    assert "3500万TEU" not in before
    after = figures(tmp_path, "pack: logistics\nunits:\n  - {forms: [TEU], kind: count, unit: TEU}\n")
    teu = next(f for f in after if f["text"] == "3500万TEU")
    assert (teu["kind"], teu["value"], teu["unit"]) == ("count", 35000000, "TEU")


def test_overriding_a_built_in_rule_by_id_changes_its_figures(tmp_path: Path) -> None:
    speed = next(f for f in figures(tmp_path, None) if f["rule"] == "rate.speed_shisu")
    assert speed["unit"] == "m/s"
    pack = (
        "pack: kmh\nrules:\n  - id: rate.speed_shisu\n"
        "    pattern: '时速(?P<num>{quantity2})公里'\n    kind: measure\n    unit: km/h\n"
    )
    after = next(f for f in figures(tmp_path, pack) if f["rule"] == "rate.speed_shisu")
    assert (after["text"], after["value"], after["unit"], after["pack"]) == (
        "时速350公里",
        350,
        "km/h",
        "kmh",
    )


def test_disabling_a_built_in_rule_removes_its_effect(tmp_path: Path) -> None:
    assert "2024年" not in {f["text"] for f in figures(tmp_path, None)}  # not.year clears it
    after = figures(tmp_path, "pack: years\ndisable: [not.year]\n")
    assert "2024年" in {f["text"] for f in after}


def test_no_builtin_starts_from_nothing_but_the_given_packs(tmp_path: Path) -> None:
    pack = tmp_path / "pack.yaml"
    pack.write_text(
        "pack: tiny\nrules:\n  - id: tiny.teu\n    pattern: '(?P<num>[0-9]+)TEU'\n"
        "    kind: count\n    unit: TEU\n",
        encoding="utf-8",
    )
    doc = tmp_path / "doc.txt"
    doc.write_text("去年吞吐量3500TEU，增长5%。", encoding="utf-8")
    result = runner.invoke(app, ["extract", "--no-builtin", "--rules", str(pack), str(doc)])
    assert result.exit_code == 0, result.output
    assert [json.loads(line)["text"] for line in result.stdout.splitlines()] == ["3500TEU"]


# --- rules list ---


def line_of(path: Path, needle: str) -> int:
    return position(path.read_text(encoding="utf-8"), needle)[0]


def list_rows(*args: str) -> dict[str, list[str]]:
    """`rules list --plain` as rows of fields, keyed by rule id."""
    result = runner.invoke(app, ["rules", "list", "--plain", *args])
    assert result.exit_code == 0, result.output
    return {row.split("\t")[0]: row.split("\t") for row in result.stdout.splitlines()}


def test_rules_list_shows_every_rule_with_kind_and_file_line() -> None:
    rows = list_rows()
    assert set(rows) == {r.id for r in load_ruleset(use_env=False).all_rules}
    rid, kind, pack, origin, status = rows["rate.speed_shisu"]
    assert (kind, pack, status) == ("measure", "core.figures", "active")
    assert origin.endswith(f"30-figures.yaml:{line_of(FIGURES_PACK, '- id: rate.speed_shisu')}")
    assert rows["not.year"][1] == "not a figure"
    assert rows["figure.unit"][1] == "by unit"


def test_rules_list_shows_overrides_and_disables_with_their_file_line(tmp_path: Path) -> None:
    pack = tmp_path / "mine.yaml"
    pack.write_text(
        "pack: mine\nrules:\n  - id: rate.speed_shisu\n    pattern: '时速(?P<num>{quantity2})公里'\n"
        "    kind: measure\n    unit: km/h\n    examples: []\ndisable:\n  - not.year\n",
        encoding="utf-8",
    )
    rows = list_rows("--rules", str(pack))
    assert rows["rate.speed_shisu"][2:4] == ["mine", f"{pack}:3"]
    assert (
        rows["rate.speed_shisu"][4].startswith("overrides ")
        and "30-figures.yaml" in rows["rate.speed_shisu"][4]
    )
    assert rows["not.year"][4] == f"disabled by {pack}:9"


def test_rules_list_table_names_the_packs() -> None:
    result = runner.invoke(app, ["rules", "list", "--table"])
    assert result.exit_code == 0
    for path in builtin_pack_paths():
        assert path.name in result.stdout
    assert "figure.unit" in result.stdout


# --- rules test ---


def test_rules_test_passes_on_the_built_in_packs() -> None:
    result = runner.invoke(app, ["rules", "test"])
    assert result.exit_code == 0, result.output
    summary = result.stdout.strip().splitlines()[-1]
    match = re.fullmatch(
        r"(\d+) examples of (\d+) rules(?: and \d+ units)?, (\d+) context examples: (\d+) passed, 0 failed",
        summary,
    )
    assert match, summary
    rs = load_ruleset(use_env=False)
    assert int(match.group(2)) == len(rs.all_rules)
    assert int(match.group(3)) == len(rs.patterns.context_cues.examples) > 0
    assert int(match.group(1)) + int(match.group(3)) == int(match.group(4))


FAILING = """pack: demo
units:
  - forms: [标准箱]
    kind: count
    unit: TEU
    examples:
      - text: 吞吐量3500万标准箱。
        figures: [{text: 3500万标准箱, value: 35000000, unit: TEU}]
      - {text: 标准箱规格另定。, figures: []}
rules:
  - id: demo.teu
    pattern: "(?P<num>{quantity2})TEU"
    kind: count
    unit: TEU
    examples:
      - text: 港口吞吐量达到3500万TEU。
        figures: [{text: 3500万TEU, value: 35000000, unit: teu}]
      - text: 吞吐量3500万标准箱。
        figures: [{value: 35000000, unit: TEU}]
"""


def test_rules_test_reports_each_failure_with_its_place_and_diff(tmp_path: Path) -> None:
    pack = tmp_path / "demo.yaml"
    pack.write_text(FAILING, encoding="utf-8")
    result = runner.invoke(app, ["rules", "test", str(pack)])
    assert result.exit_code == 1
    out = result.stdout
    # A wrong field: the example's file:line, then what was expected and what was found.
    assert f"FAIL demo.teu (example) at {pack}:{line_of(pack, '- text: 港口')}" in out
    assert "- expected {text: 3500万TEU, value: 35000000, unit: teu}" in out
    assert "+ found    {text: 3500万TEU, value: 35000000, unit: TEU}" in out
    # Another rule (the pack's unit, through figure.unit) yields the figure: not an example of demo.teu.
    assert "rule demo.teu yields none of the figures found: this example does not test it" in out
    assert "lacks a counter-example" in out
    # The unit's own examples pass, and only the given pack's rules and units were tested.
    assert out.strip().splitlines()[-1].startswith("4 examples of 1 rule and 1 unit: 2 passed, 2 failed")


def test_a_unit_redefined_by_a_later_pack_takes_its_examples_along(tmp_path: Path) -> None:
    first = tmp_path / "a.yaml"
    first.write_text(FAILING.split("rules:")[0], encoding="utf-8")
    second = tmp_path / "b.yaml"
    second.write_text("pack: b\nunits:\n  - {forms: [标准箱], kind: count, unit: box}\n", encoding="utf-8")
    alone = runner.invoke(app, ["rules", "test", str(first)])
    assert alone.exit_code == 0 and "2 examples of 1 unit" in alone.stdout
    # The second pack's 标准箱 (unit box) replaces the first's: its TEU examples no longer apply.
    both = runner.invoke(app, ["rules", "test", str(first), str(second)])
    assert both.exit_code == 0, both.output
    assert "0 examples" in both.stdout


def test_rules_test_quiet_shows_only_failures(tmp_path: Path) -> None:
    pack = tmp_path / "demo.yaml"
    pack.write_text(FAILING, encoding="utf-8")
    result = runner.invoke(app, ["rules", "test", "-q", str(pack)])
    assert result.exit_code == 1
    assert "pass " not in result.stdout and "FAIL" in result.stdout


def test_rules_test_of_the_finance_pack_passes() -> None:
    result = runner.invoke(app, ["rules", "test", str(FINANCE)])
    assert result.exit_code == 0, result.output
    assert "0 failed" in result.stdout


# --- a pattern cannot hang a run ---

BACKTRACK = "pack: slow\nrules:\n  - id: slow.backtrack\n    pattern: '(a+)+$'\n    exclude: true\n"


def test_catastrophic_pattern_ends_in_a_reported_timeout_and_the_run_goes_on(tmp_path: Path) -> None:
    pack = tmp_path / "slow.yaml"
    pack.write_text(BACKTRACK, encoding="utf-8")
    slow = tmp_path / "a-slow.txt"
    slow.write_text("出口增长5%。" + "a" * 20000 + "!\n进口增长3%。\n", encoding="utf-8")
    fine = tmp_path / "b-fine.txt"
    fine.write_text("出口2.35万亿元。\n", encoding="utf-8")
    result = runner.invoke(app, ["extract", "--timeout", "0.2", "--rules", str(pack), str(slow), str(fine)])
    assert result.exit_code == 1
    texts = [(json.loads(line)["doc"], json.loads(line)["text"]) for line in result.stdout.splitlines()]
    # What the document yields apart from the stopped rule is kept, and the next document is read.
    assert texts == [(str(slow), "5%"), (str(slow), "3%"), (str(fine), "2.35万亿元")]
    assert f"{slow}: rule slow.backtrack ({pack}:3) ran past the 0.2s limit" in result.stderr


def test_the_timeout_is_also_reported_by_the_library(tmp_path: Path) -> None:
    pack = tmp_path / "slow.yaml"
    pack.write_text(BACKTRACK, encoding="utf-8")
    rs = load_ruleset([pack], use_env=False)
    result = extract_document("增长5%。" + "a" * 20000 + "!", "doc.txt", rs, timeout=0.2)
    assert [f.text for f in result.figures] == ["5%"]
    assert len(result.problems) == 1 and "slow.backtrack" in result.problems[0].message


def test_a_user_piece_takes_built_in_rules_under_the_timeout(tmp_path: Path) -> None:
    pack = tmp_path / "piece.yaml"
    pack.write_text("pack: p\npieces:\n  mine: 'x'\n", encoding="utf-8")
    assert all(r.builtin for r in load_ruleset(use_env=False).all_rules)
    assert not any(r.builtin for r in load_ruleset([pack], use_env=False).all_rules)


# --- the pack format's JSON Schema ---


@pytest.fixture(scope="module")
def pack_schema() -> dict:
    result = runner.invoke(app, ["schema", "--rules"])
    assert result.exit_code == 0
    schema: dict = json.loads(result.stdout)
    return schema


@pytest.mark.parametrize("path", [*builtin_pack_paths(), FINANCE], ids=lambda p: p.name)
def test_real_packs_validate_against_the_pack_schema(pack_schema: dict, path: Path) -> None:
    jsonschema.validate(yaml.safe_load(path.read_text(encoding="utf-8")), pack_schema)


def test_the_pack_schema_rejects_an_unknown_key(pack_schema: dict) -> None:
    with pytest.raises(jsonschema.ValidationError, match="factr"):
        jsonschema.validate(
            {"pack": "t", "units": [{"forms": ["箱"], "kind": "count", "unit": "count", "factr": 1}]},
            pack_schema,
        )


def test_the_pack_schema_differs_from_the_record_schema(pack_schema: dict) -> None:
    record = json.loads(runner.invoke(app, ["schema"]).stdout)
    assert "rules" in pack_schema["properties"] and "rules" not in record["properties"]


FISCAL_CONTEXT = """pack: my.fiscal
context_fields:
  periods: ["(?:{year_num}|本|上)财年"]
  examples:
    - text: 2024财年，公司营业收入达到812亿元。
      figure: 812亿元
      period: 2024财年
      metric: 营业收入
      why: a fiscal year is the period
"""
WRONG_BASIS = """    - text: 2024财年，公司净利润达到80亿元。
      figure: 80亿元
      basis: 同比
      why: a wrong expectation, to see the failure
"""


def test_rules_test_runs_a_packs_context_examples_with_their_place(tmp_path: Path) -> None:
    pack = tmp_path / "fiscal.yaml"
    pack.write_text(FISCAL_CONTEXT + WRONG_BASIS, encoding="utf-8")
    result = runner.invoke(app, ["rules", "test", str(pack)])
    assert result.exit_code == 1, result.output
    out = result.stdout
    assert f"FAIL context_fields (context) at {pack}:{line_of(pack, '- text: 2024财年，公司净利润')}" in out
    assert "'80亿元': basis is None, expected '同比'" in out
    assert out.strip().splitlines()[-1] == "0 examples of 0 rules, 2 context examples: 1 passed, 1 failed"
    # The good example alone passes, and only this pack's context examples were run.
    pack.write_text(FISCAL_CONTEXT, encoding="utf-8")
    good = runner.invoke(app, ["rules", "test", str(pack)])
    assert good.exit_code == 0, good.output
    assert (
        good.stdout.strip().splitlines()[-1] == "0 examples of 0 rules, 1 context example: 1 passed, 0 failed"
    )


def test_a_gated_rule_shares_one_timeout_across_its_sentences(tmp_path: Path) -> None:
    # Each sentence alone backtracks for well under the limit; a fresh limit per sentence would let
    # hundreds of them run on for seconds, unreported. The limit is the rule's on the whole text.
    pack = tmp_path / "slow.yaml"
    pack.write_text(
        BACKTRACK.replace("    exclude: true\n", "    needs: [a]\n    exclude: true\n"), encoding="utf-8"
    )
    rs = load_ruleset([pack], use_env=False)
    text = "增长5%。" + ("a" * 200 + "。") * 100  # ~0.02 s a sentence, ~2 s in all
    result = extract_document(text, "doc.txt", rs, timeout=0.2)
    assert [f.text for f in result.figures] == ["5%"]
    assert len(result.problems) == 1 and "slow.backtrack" in result.problems[0].message
