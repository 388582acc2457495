"""explain_result: the one explainer of an enterprise's result, read from the run's stored record (§8)."""

from __future__ import annotations

from typing import Any

import pytest
from eval_helpers import YEAR, below, frame, tax_only_scheme, uscc

from zonehero.core.evaluation import EvaluationResult, evaluate
from zonehero.core.evaluation.explain import ResultExplanation, explain_result


@pytest.fixture(scope="module")
def result() -> EvaluationResult:
    rows = [below(float(10 - i)) for i in range(10)]
    rows += [
        below(50.0, major_env_violation=True),
        below(5.0, production_start_year=YEAR - 1),
        below(5.0, land=3.0),
    ]
    rows[0].update(high_tech=True, tax=100.0)  # ratio far above the cap of 2
    return evaluate(frame(rows), tax_only_scheme(), year=YEAR)


def _explain(result: EvaluationResult, code: str) -> tuple[ResultExplanation, str]:
    record: dict[str, Any] = next(r for r in result.to_records() if r["uscc"] == code)
    evaluated = result.enterprises.filter(result.enterprises["status"] == "evaluated").height
    explanation = explain_result(record, result.scheme, evaluated_in_group=evaluated)
    return explanation, "\n".join(explanation.sentences)


def test_an_evaluated_enterprise_gets_its_score_rank_and_class_rule(result: EvaluationResult) -> None:
    explanation, text = _explain(result, uscc(1))
    assert [line.label for line in explanation.indicators] == ["亩均税收"]
    assert "10 家参评企业中排名第 1" in text and "A 类" in text


def test_vetoed_exempt_and_out_of_scope_say_why(result: EvaluationResult) -> None:
    assert "一票否决" in _explain(result, uscc(11))[1]
    assert "不参评" in _explain(result, uscc(12))[1]
    assert "不纳入本年度评价" in _explain(result, uscc(13))[1]
