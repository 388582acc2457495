"""explain_enterprise: plain sentences that name the reasons a user needs."""

from __future__ import annotations

import pytest
from eval_helpers import YEAR, below, frame, tax_only_scheme, uscc

from zonehero.core.evaluation import evaluate
from zonehero.core.evaluation.explain import explain_enterprise
from zonehero.errors import NotFound


@pytest.fixture(scope="module")
def result():
    rows = [below(float(10 - i)) for i in range(10)]
    rows += [
        below(50.0, major_env_violation=True),
        below(5.0, production_start_year=YEAR - 1),
        below(5.0, industry_code="D4420"),
        below(5.0, land=3.0),
        below(5.0, land=None, zjtx_level="national", high_tech=True, listed=True),
    ]
    rows[0].update(high_tech=True, tax=100.0)  # ratio far above the cap of 2
    return evaluate(frame(rows), tax_only_scheme(), year=YEAR)


def test_evaluated_enterprise_gets_value_benchmark_rank_and_quota(result) -> None:
    text = "\n".join(explain_enterprise(result, uscc(1)))
    assert "亩均税收" in text and "基准值" in text and "封顶 2 倍" in text
    assert "高新技术企业 +3" in text
    assert "10 家参评企业中排名第 1" in text
    assert "第 2 名及以前为 A 类" in text and "该企业为 A 类" in text
    assert "优先发展类" in text


def test_vetoed_exempt_and_out_of_scope_reasons(result) -> None:
    vetoed = "\n".join(explain_enterprise(result, uscc(11)))
    assert "一票否决" in vetoed and "重大环境违法行为" in vetoed and "D 类" in vetoed and "不加分" in vetoed
    young = "\n".join(explain_enterprise(result, uscc(12)))
    assert "不参评" in young and f"{YEAR - 1} 年投产" in young
    utility = "\n".join(explain_enterprise(result, uscc(13)))
    assert "D4420" in utility and "D44" in utility
    outside = "\n".join(explain_enterprise(result, uscc(14)))
    assert "不纳入评价" in outside and "3 亩" in outside


def test_unknown_enterprise_is_not_found(result) -> None:
    with pytest.raises(NotFound):
        explain_enterprise(result, "91350100MA99999999")
