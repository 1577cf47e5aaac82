"""A rule's `needs` words: its pattern is tried only in the sentences that hold one of them.

The built-in rules for rare forms (3元5角, 1分50秒, 华氏98.6度 …) declare such words, which keeps their
number grammar from running at every number of every document. What must hold: a gated rule finds
exactly the matches its pattern finds over the whole text (on the seeds, on every rule's examples, and
on texts built to probe the windows' edges), and a user pack's `needs` works with no code change.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from factx.extract import default_ruleset, extract_text
from factx.matching.scanner import _windows
from factx.packs.errors import PackError
from factx.packs.loader import load_ruleset
from factx.packs.ruleset import CompiledRule

ROOT = Path(__file__).resolve().parent.parent
SEEDS = sorted((ROOT / "seeds").glob("*.txt"))

# Window edges: the word in the sentence before or after the figure, no full stop at all, a line
# break inside the sentence, the figure at the very start and end of the text, and several words.
EDGES = [
    "这件衬衫标价67元6角7分。另一件衬衫标价50元。",
    "另一件标价50元。这件衬衫标价67元6角7分",
    "第一件标价50元，第二件67元6角7分，\n第三件3元5角，没有句号",
    "3元5角",
    "他跑完全程用了1分50秒！她用了1分44秒65？\n记录是59秒。",
    "比赛中詹姆斯全场砍下30分、8个篮板。全年用电量128.6度，充电5度。",
    "当天华氏98.6度。1天8小时30分后，时速达到120公里，每小时100公里。",
    "援助总额5亿多米尼加比索，另有3万多布拉。贷款1,250几内亚法郎和三千百慕大元。",
    "打八折后只要50元，八成新的车，五成六的股份，十成把握，半成。",
    "约占全国的三分之一，百分之十点八，1/3的人，一半以上。",
]


def _texts() -> list[str]:
    rs = default_ruleset()
    texts = [p.read_text(encoding="utf-8") for p in SEEDS]
    texts += [ex.text for rule in rs.all_rules for ex in rule.examples]
    return texts + EDGES


GATED = [rule for rule in default_ruleset().all_rules if rule.needs is not None]


def test_the_rare_forms_rules_are_gated() -> None:
    ids = {rule.id for rule in GATED}
    assert {"compound.yuan_jiao", "compound.minutes_seconds", "currency.numeral_name", "unit.points"} <= ids
    assert "figure.unit" not in ids  # every number is its business


@pytest.mark.parametrize("rule", GATED, ids=[rule.id for rule in GATED])
def test_a_gated_rule_finds_what_its_pattern_finds_in_the_whole_text(rule: CompiledRule) -> None:
    for text in _texts():
        for pos in (0, min(len(text), 5)):
            whole = [m.span() for m in rule.pattern.finditer(text, pos) if m.end() > m.start()]
            gated = [
                m.span()
                for start, end in _windows(rule, text, pos)
                for m in rule.pattern.finditer(text, start, end)
                if m.end() > m.start()
            ]
            assert gated == whole, (rule.id, pos, text[:80])


def test_windows_are_the_sentences_holding_a_word_in_order_and_apart() -> None:
    rule = next(r for r in GATED if r.id == "compound.yuan_jiao")
    text = "前言。标价3元5角，折后2角！无关的一句\n另起一行3元。末尾5角"
    windows = _windows(rule, text, 0)
    assert [text[a:b] for a, b in windows] == ["标价3元5角，折后2角！", "末尾5角"]
    assert _windows(rule, "没有这个字。", 0) == []


PACK = """\
pack: test.needs
rules:
  - id: test.parcels
    needs: [包裹]
    pattern: "(?P<num>[0-9]+)件"
    kind: count
    unit: count
    priority: 10
    examples:
      - text: 寄出3件包裹。
        figures: [{text: 3件, value: 3}]
      - {text: 买了3件衣服。, figures: [{text: 3件, value: 3}], fires: false}
"""


def test_a_user_pack_gates_its_rule_without_code(tmp_path: Path) -> None:
    pack = tmp_path / "needs.yaml"
    pack.write_text(PACK, encoding="utf-8")
    rs = load_ruleset([pack])
    # The rule's pattern matches every 件; it is tried only in the sentence that holds 包裹, so the
    # 4件 of the other sentence is the built-in figure.unit's.
    rules = {f.text: f.rule for f in extract_text("寄出3件包裹，又寄5件。买了4件衣服。", ruleset=rs)}
    assert rules == {"3件": "test.parcels", "5件": "test.parcels", "4件": "figure.unit"}


def test_an_empty_needs_word_is_a_pack_error(tmp_path: Path) -> None:
    pack = tmp_path / "bad.yaml"
    pack.write_text(PACK.replace("needs: [包裹]", 'needs: [""]'), encoding="utf-8")
    with pytest.raises(PackError) as info:
        load_ruleset([pack])
    assert "needs" in str(info.value) and "bad.yaml:4" in str(info.value)
