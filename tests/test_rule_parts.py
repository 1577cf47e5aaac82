"""A rule's `parts` may name units of the lexicon instead of repeating their factors.

`parts: [米, {尺: "1/3"}]` reads a compound quantity (3公里200米) with the lexicon's factor for 米 and
the rule's own for 尺, so that a unit's factor is written once, in the units pack. A form the lexicon
does not have is a pack error at its file:line, with what to write instead.
"""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest

from factx.extract import default_ruleset, extract_text
from factx.packs.errors import PackError
from factx.packs.loader import load_ruleset

PACK = """\
pack: test.parts
rules:
  - id: test.km_and_metres
    pattern: "(?P<num>[0-9]+)(?P<unit>公里)(?:(?P<n>[0-9]+)(?P<u>米|尺))+"
    parts: [米, {尺: "1/3"}]
    examples:
      - text: 全程3公里200米。
        figures: [{text: 3公里200米, value: 3200, unit: m}]
      - {text: 全程3公里。, figures: [{text: 3公里, value: 3000}], fires: false}
"""


def test_a_listed_form_takes_the_lexicons_factor_and_a_mapping_its_own(tmp_path: Path) -> None:
    pack = tmp_path / "parts.yaml"
    pack.write_text(PACK, encoding="utf-8")
    rs = load_ruleset([pack])
    rule = next(r for r in rs.rules if r.id == "test.km_and_metres")
    assert rule.parts == {"米": rs.lexicon.units_after["米"].factor, "尺": Decimal(1) / Decimal(3)}
    (fig,) = [f for f in extract_text("全程3公里200米，另有1公里3尺。", ruleset=rs) if f.text == "3公里200米"]
    assert fig.value == Decimal(3200) and fig.unit == "m"


def test_builtin_clock_parts_come_from_the_lexicon() -> None:
    rs = default_ruleset()
    rule = next(r for r in rs.rules if r.id == "figure.unit")
    assert rule.parts["分钟"] == rs.lexicon.units_after["分钟"].factor == Decimal(60)
    assert rule.parts["分"] == Decimal(60)  # 分 alone is a measure word in the lexicon: given in the rule
    (fig,) = extract_text("马拉松成绩为2小时06分38秒。")
    assert fig.value == Decimal(2 * 3600 + 6 * 60 + 38)


def test_a_form_the_lexicon_lacks_is_a_pack_error_at_its_line(tmp_path: Path) -> None:
    pack = tmp_path / "bad.yaml"
    pack.write_text(PACK.replace("parts: [米,", "parts: [步,"), encoding="utf-8")
    with pytest.raises(PackError) as info:
        load_ruleset([pack])
    message = str(info.value)
    assert "bad.yaml:5" in message and "'步' is no unit of the lexicon" in message and "{步: …}" in message
