"""First-reporter protection (spec investment.md §4): duplicates across scripts, widths and codes."""

from __future__ import annotations

from invest_factory import d, lead, signed

from zonehero.core.investment import credited_ids, duplicate_groups, year_figures
from zonehero.core.investment.normalise import investor_key, natural_key


class TestNames:
    def test_traditional_fullwidth_spaces_and_case_fold_together(self) -> None:
        assert investor_key("深圳市華為技術 有限公司") == investor_key("深圳市华为技术有限公司")
        assert investor_key("ＡＢＣ　科技（深圳）有限公司") == investor_key("abc科技(深圳)有限公司")
        assert investor_key("甲公司") != investor_key("乙公司")

    def test_lead_ids_order_by_value(self) -> None:
        assert natural_key("L9") < natural_key("L10") < natural_key("L11")
        assert natural_key("9") < natural_key("10")
        assert natural_key("L009") < natural_key("L010")


class TestCredit:
    def test_the_earliest_reporter_of_a_traditional_spelling_is_credited(self) -> None:
        leads = [
            lead("C1", investor="深圳市華為技術有限公司", reporter="王五", reported_on="2024-03-01"),
            lead("C2", investor="深圳市华为技术有限公司", reporter="赵六", reported_on="2024-02-01"),
        ]
        assert credited_ids(leads) == {"C2"}  # 02-01 before 03-01

    def test_full_width_forms_are_one_investor(self) -> None:
        leads = [
            lead("C3", investor="ＡＢＣ　科技有限公司", reporter="王五", reported_on="2024-05-01"),
            lead("C4", investor="abc科技有限公司", reporter="钱七", reported_on="2024-04-01"),
        ]
        assert credited_ids(leads) == {"C4"}

    def test_the_credit_code_matches_whatever_the_name(self) -> None:
        leads = [
            lead("C5", investor="甲公司", investor_uscc="91440300MA5XXXXX1A", reported_on="2024-01-10"),
            lead("C6", investor="乙公司（更名后）", investor_uscc="91440300MA5XXXXX1A", reported_on="2024-01-05"),
        ]
        assert credited_ids(leads) == {"C6"}

    def test_different_codes_are_different_investors_despite_one_name(self) -> None:
        leads = [
            lead("C7", investor="丙公司", investor_uscc="91110000AAAAAAAAA1", reported_on="2024-01-10"),
            lead("C8", investor="丙公司", investor_uscc="91110000BBBBBBBBB2", reported_on="2024-01-05"),
        ]
        assert credited_ids(leads) == {"C7", "C8"}
        # A lead of that name without a code links both: one group, credited to the earliest (C8).
        linked = [*leads, lead("C9", investor="丙 公司", reported_on="2024-01-20")]
        assert credited_ids(linked) == {"C8"}
        assert [[x.lead_id for x in g] for g in duplicate_groups(linked)] == [["C8", "C7", "C9"]]

    def test_a_tie_on_the_date_goes_to_the_smallest_lead_id(self) -> None:
        leads = [
            lead("L10", investor="丁公司", reported_on="2024-06-01"),
            lead("L9", investor="丁公司", reported_on="2024-06-01"),
        ]
        assert credited_ids(leads) == {"L9"}  # 9 < 10 by value ("L10" < "L9" as text would be wrong)


class TestBoard:
    def test_only_credited_leads_count_and_reporters_with_none_show_zero(self) -> None:
        leads = [
            # 赵六 first (2023), so 王五's traditional-script duplicate in 2024 is not credited.
            lead("B1", investor="戊科技有限公司", reporter="赵六", reported_on="2023-11-01"),
            lead("B2", investor="戊科技有限公司", reporter="王五", reported_on="2024-02-01"),
            lead("B3", investor="己實業有限公司", reporter="王五", reported_on="2024-03-01"),
            lead("B4", investor="己实业有限公司", reporter="孙八", reported_on="2024-03-05"),
            lead("B5", investor="庚公司", reporter="孙八", reported_on="2024-04-01"),
            signed("B6", "2024-05-01", 100, investor="辛公司", reporter="周九", reported_on="2024-04-02"),
            lead("B7", investor="壬公司", reporter="吴十", reported_on="2024-12-20"),  # after D
        ]
        figures = year_figures(leads, 2024, d("2024-06-30"))
        # 2024's leads up to D: B2 (王五, duplicate of B1: 0), B3 (王五, first: 1), B4 (孙八, dup of B3: 0),
        # B5 (孙八: 1), B6 (周九: 1); B1 is 2023's, B7 is after D. 王五 1, 孙八 1, 周九 1.
        assert figures.leads_by_reporter == {"周九": 1, "孙八": 1, "王五": 1}
        only_dups = year_figures(
            [*leads, lead("B8", investor="庚公司", reporter="郑一", reported_on="2024-05-01")], 2024, d("2024-06-30")
        )
        assert only_dups.leads_by_reporter["郑一"] == 0  # reported, but only a duplicate of B5
        assert list(only_dups.leads_by_reporter)[-1] == "郑一"  # most credited first
