"""The 发布公示 and 定稿 gates say, in the words the page and the refusal share, what blocks and what to do."""

from __future__ import annotations

from datetime import date

from zonehero.features.publication.schemas import FinalizeGate, PublishGate


class TestPublishGate:
    def test_a_year_without_a_run_in_notice_is_open(self) -> None:
        gate = PublishGate(run_id=7, year=2025)
        assert gate.ready and gate.reason is None

    def test_another_run_in_notice_blocks_an_ordinary_draft_and_says_what_to_do(self) -> None:
        gate = PublishGate(run_id=7, year=2025, current_run_id=5)
        assert not gate.ready
        assert gate.reason is not None
        assert "2025 年度已有公示中的评价批次 #5" in gate.reason
        assert "定稿后再发布" in gate.reason and "更正草稿" in gate.reason

    def test_a_correction_waits_only_for_the_other_objections(self) -> None:
        waiting = PublishGate(run_id=8, year=2025, current_run_id=5, is_correction=True, open_objections=2)
        assert not waiting.ready and waiting.reason is not None
        assert "还有 2 件异议未处理" in waiting.reason and "答复" in waiting.reason
        assert PublishGate(run_id=8, year=2025, current_run_id=5, is_correction=True).ready


class TestFinalizeGate:
    def test_the_reason_names_the_day_and_the_objections(self) -> None:
        gate = FinalizeGate(run_id=5, opens_on=date(2025, 7, 8), period_over=False, open_objections=1)
        assert not gate.ready
        assert gate.reason == "公示期满后（2025-07-08 起）才能定稿；还有 1 件异议未处理，答复后才能定稿"
        assert FinalizeGate(run_id=5, opens_on=date(2025, 7, 8), period_over=True, open_objections=0).ready
