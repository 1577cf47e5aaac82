"""A qualifier before a figure's number says how the figure relates to the truth (约 about, 近 nearly,
超过 over, 不足 under), wherever it stands: before the figure, or inside it between a rate's
denominator and the number (每小时约100公里, 每股派息近1元). A modal negation turns a comparative
around (不得超过80公里 is at most 80: under; 不得低于60万元 is at least: over).
"""

from __future__ import annotations

import pytest

from factx import extract_text


@pytest.mark.parametrize(
    ("sentence", "figure", "approx"),
    [
        # before the number, inside a rate's span
        ("限速规定每小时约100公里。", "每小时约100公里", "about"),
        ("公司拟每股派息近1元。", "每股派息近1元", "nearly"),
        ("無人機每天飛行近80萬架次。", "每天飛行近80萬架次", "nearly"),
        ("該區住宅每m2約8萬元。", "每m2約8萬元", "about"),
        ("補貼每人最多3,000元。", "每人最多3,000元", "under"),
        ("货车每小时不得超过80公里。", "每小时不得超过80公里", "under"),
        # before the figure, as before
        ("参展企业约4000家。", "4000家", "about"),
        ("约人民币300万元用于研发。", "人民币300万元", "about"),
        ("收入超过10亿元。", "10亿元", "over"),
        # modal negations
        ("限速不得超过80公里。", "80公里", "under"),
        ("年收入不得低于60万元。", "60万元", "over"),
        ("面积不能少于50平方米。", "50平方米", "over"),
        ("單次不應超過3小時。", "3小時", "under"),
        # words that only end like a qualifier say nothing
        ("双方签约59项。", "59项", None),
        ("最近3年营收稳定。", "3年", None),
        ("每股派息1元。", "每股派息1元", None),
    ],
)
def test_the_qualifier_before_the_number_sets_approx(sentence: str, figure: str, approx: str | None) -> None:
    found = {f.text: f.approx for f in extract_text(sentence)}
    assert figure in found, (sentence, found)
    assert found[figure] == approx
