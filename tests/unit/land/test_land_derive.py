"""The land rule by hand-computed examples: every expected figure is worked out in the comments, never by the code.

1 亩 = 10000/15 m², so x m² = x × 15 / 10000 亩. 2024 is a leap year (366 days), 2023 is not (365).
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from zonehero.core.domain.uscc import make_uscc
from zonehero.core.land import (
    LandAreas,
    LandRules,
    Lease,
    Parcel,
    ParcelStatus,
    check_land,
    derive_land,
    read_leases,
    read_parcels,
)
from zonehero.errors import InputError

A = make_uscc("91330100MA000001")  # the holder
B = make_uscc("91330100MA000002")
C = make_uscc("91330100MA000003")
D = make_uscc("91330100MA000004")


def mu(m2: float) -> float:
    """The test's own conversion, written out: 1 亩 = 10000/15 m²."""
    return m2 * 15 / 10000


def lease(
    parcel: str,
    lessor: str,
    lessee: str,
    area: float | None,
    start: date,
    end: date | None = None,
    contract: str | None = None,
    share: float | None = None,
) -> Lease:
    return Lease(parcel, lessor, lessee, start, end, area, share, contract)


def areas_mu(result: LandAreas) -> dict[str, float]:
    return {e.uscc: e.land_area_mu for e in result.enterprises}


class TestDefaultRule:
    def test_a_tenant_on_part_of_a_parcel_for_part_of_the_year(self) -> None:
        parcels = [Parcel("ZD1", A, 20000.0)]  # 20000 m² = 30 亩
        leases = [lease("ZD1", A, B, 4000.0, date(2024, 7, 1), date(2024, 12, 31), "HT-1")]
        result = derive_land(parcels, leases, 2024)
        # 1 July to 31 December 2024, both inclusive: 31+31+30+31+30+31 = 184 days of 366.
        # B: 4000 × 184 / 366 = 2010.928961748634 m² = 3.016393442622951 亩; A: 30 − that = 26.98360655737705 亩.
        got = areas_mu(result)
        assert got[B] == pytest.approx(4000 * 184 / 366 * 15 / 10000, rel=1e-12)
        assert got[B] == pytest.approx(3.016393442622951, rel=1e-12)
        assert got[A] == pytest.approx(26.98360655737705, rel=1e-12)
        b = result.by_uscc()[B]
        [line] = b.leases
        assert (line.direction, line.counterparty, line.days_covered, line.days_in_year) == ("in", A, 184, 366)
        assert line.area_m2 == 4000.0 and line.contract_no == "HT-1"
        a = result.by_uscc()[A]
        [parcel_line] = a.parcels
        assert (parcel_line.number, parcel_line.area_m2, parcel_line.counted_m2) == ("ZD1", 20000.0, 20000.0)
        [out] = a.leases
        assert out.direction == "out" and out.counted_m2 == pytest.approx(-2010.928961748634, rel=1e-12)
        assert a.land_area_m2 == pytest.approx(20000 - 2010.928961748634, rel=1e-12)

    def test_a_lease_from_the_year_before_and_an_open_one(self) -> None:
        parcels = [Parcel("ZD1", A, 10000.0)]
        leases = [
            # 1 January to 31 March 2023: 31 + 28 + 31 = 90 days of 365.
            lease("ZD1", A, B, 3650.0, date(2022, 5, 1), date(2023, 3, 31)),
            # 1 October 2023, no end: to 31 December, 31 + 30 + 31 = 92 days.
            lease("ZD1", A, C, 7300.0, date(2023, 10, 1)),
        ]
        got = areas_mu(derive_land(parcels, leases, 2023))
        # B: 3650 × 90 / 365 = 900 m² = 1.35 亩; C: 7300 × 92 / 365 = 1840 m² = 2.76 亩;
        # A: 10000 − 900 − 1840 = 7260 m² = 10.89 亩.
        assert got[B] == pytest.approx(1.35, rel=1e-12)
        assert got[C] == pytest.approx(2.76, rel=1e-12)
        assert got[A] == pytest.approx(10.89, rel=1e-12)

    def test_a_lease_outside_the_year_counts_nothing_and_is_not_listed(self) -> None:
        parcels = [Parcel("ZD1", A, 10000.0)]
        leases = [lease("ZD1", A, B, 5000.0, date(2021, 1, 1), date(2022, 12, 31))]
        result = derive_land(parcels, leases, 2023)
        assert [e.uscc for e in result.enterprises] == [A]
        assert result.enterprises[0].land_area_mu == pytest.approx(15.0)  # 10000 m² = 15 亩
        assert result.enterprises[0].leases == ()

    def test_a_sublet_moves_land_from_the_tenant_to_the_subtenant(self) -> None:
        parcels = [Parcel("ZD1", A, 10000.0)]
        leases = [
            lease("ZD1", A, B, 4000.0, date(2023, 1, 1), date(2023, 12, 31)),
            lease("ZD1", B, C, 1000.0, date(2023, 1, 1), date(2023, 12, 31)),
        ]
        got = areas_mu(derive_land(parcels, leases, 2023))
        # A: 10000 − 4000 = 6000 m² = 9 亩; B: 4000 − 1000 = 3000 m² = 4.5 亩; C: 1000 m² = 1.5 亩.
        assert got == pytest.approx({A: 9.0, B: 4.5, C: 1.5}, rel=1e-12)

    def test_a_share_of_the_parcel(self) -> None:
        parcels = [Parcel("ZD1", A, 8000.0)]
        leases = [lease("ZD1", A, B, None, date(2023, 1, 1), share=25.0)]
        got = areas_mu(derive_land(parcels, leases, 2023))
        # 25 % of 8000 m² = 2000 m² the whole year = 3 亩; A keeps 6000 m² = 9 亩.
        assert got == pytest.approx({A: 9.0, B: 3.0}, rel=1e-12)

    def test_a_holder_that_lets_all_its_land_appears_with_zero(self) -> None:
        parcels = [Parcel("ZD1", A, 3000.0)]
        leases = [lease("ZD1", A, B, 3000.0, date(2023, 1, 1), date(2023, 12, 31))]
        result = derive_land(parcels, leases, 2023)
        assert [e.uscc for e in result.enterprises] == [A, B]  # sorted by USCC
        assert result.by_uscc()[A].land_area_m2 == 0.0
        assert result.by_uscc()[B].land_area_mu == pytest.approx(4.5)  # 3000 × 15 / 10000

    def test_every_enterprise_record_and_sorting(self) -> None:
        parcels = [Parcel("ZD2", C, 1500.0), Parcel("ZD1", A, 1500.0)]
        result = derive_land(parcels, [], 2023)
        assert [e.uscc for e in result.enterprises] == [A, C]
        assert [e.land_area_mu for e in result.enterprises] == pytest.approx([2.25, 2.25])  # 1500 × 15 / 10000


class TestRules:
    def test_two_tenants_merged_with_the_holder(self) -> None:
        parcels = [Parcel("ZD1", A, 10000.0), Parcel("ZD2", D, 2000.0)]
        leases = [
            lease("ZD1", A, B, 3000.0, date(2023, 1, 1), date(2023, 12, 31)),
            lease("ZD1", A, C, 2000.0, date(2023, 1, 1), date(2023, 12, 31)),
        ]
        result = derive_land(parcels, leases, 2023, LandRules(shared_parcels="merge"))
        # The unit A + B + C holds ZD1: 10000 m² = 15 亩. Each member keeps its own figure as in "separate":
        # A 10000 − 3000 − 2000 = 5000 m² = 7.5 亩, B 3000 m² = 4.5 亩, C 2000 m² = 3 亩. D is on its own.
        [unit] = result.units
        assert unit.usccs == tuple(sorted((A, B, C))) and unit.parcels == ("ZD1",)
        assert unit.land_area_mu == pytest.approx(15.0, rel=1e-12)
        by = result.by_uscc()
        assert by[A].unit == by[B].unit == by[C].unit == unit
        assert by[D].unit is None
        assert areas_mu(result) == pytest.approx({A: 7.5, B: 4.5, C: 3.0, D: 3.0}, rel=1e-12)
        record = by[B].to_dict()
        assert record["unit"]["usccs"] == sorted([A, B, C]) and record["unit"]["land_area_mu"] == pytest.approx(15.0)

    def test_the_lessor_keeps_leased_land(self) -> None:
        parcels = [Parcel("ZD1", A, 20000.0)]
        leases = [lease("ZD1", A, B, 4000.0, date(2024, 7, 1))]
        result = derive_land(parcels, leases, 2024, LandRules(lessor_keeps=True))
        # A keeps all 20000 m² = 30 亩; B rents but gets nothing: 0, its lease still listed at 0.
        assert areas_mu(result) == {A: 30.0, B: 0.0}
        [line] = result.by_uscc()[B].leases
        assert line.counted_m2 == 0.0 and line.days_covered == 184 and line.note

    def test_a_parcel_under_construction_excluded(self) -> None:
        parcels = [
            Parcel("ZD1", A, 6000.0, ParcelStatus.IN_USE),
            Parcel("ZD2", A, 4000.0, ParcelStatus.UNDER_CONSTRUCTION),
            Parcel("ZD3", C, 3000.0, ParcelStatus.UNDER_CONSTRUCTION),
        ]
        leases = [lease("ZD3", C, B, 1500.0, date(2023, 1, 1))]
        default = areas_mu(derive_land(parcels, leases, 2023))
        # Default: A 6000 + 4000 = 10000 m² = 15 亩; C 3000 − 1500 = 1500 m² = 2.25 亩; B 1500 m² = 2.25 亩.
        assert default == pytest.approx({A: 15.0, B: 2.25, C: 2.25}, rel=1e-12)
        result = derive_land(parcels, leases, 2023, LandRules(exclude_under_construction=True))
        # Excluded: A keeps ZD1 only, 6000 m² = 9 亩; ZD3 and the lease on it count 0 for C and for B.
        assert areas_mu(result) == pytest.approx({A: 9.0, B: 0.0, C: 0.0}, abs=1e-12)
        a = result.by_uscc()[A]
        assert [(p.number, p.counted_m2) for p in a.parcels] == [("ZD1", 6000.0), ("ZD2", 0.0)]
        assert a.parcels[1].note

    def test_whole_year_instead_of_pro_rata(self) -> None:
        parcels = [Parcel("ZD1", A, 20000.0)]
        leases = [lease("ZD1", A, B, 4000.0, date(2024, 7, 1))]
        got = areas_mu(derive_land(parcels, leases, 2024, LandRules(pro_rata=False)))
        # Any day of the year counts the whole year: B 4000 m² = 6 亩, A 16000 m² = 24 亩.
        assert got == pytest.approx({A: 24.0, B: 6.0}, rel=1e-12)

    def test_whole_year_splits_leases_that_follow_each_other(self) -> None:
        parcels = [Parcel("ZD1", A, 6000.0)]
        leases = [
            lease("ZD1", A, B, 6000.0, date(2023, 1, 1), date(2023, 6, 30)),
            lease("ZD1", A, C, 3000.0, date(2023, 7, 1), date(2023, 12, 31)),
        ]
        got = areas_mu(derive_land(parcels, leases, 2023, LandRules(pro_rata=False)))
        # Both count the whole year: 6000 + 3000 = 9000 m² on a 6000 m² parcel, so each gets 6000/9000 of its
        # area: B 4000 m² = 6 亩, C 2000 m² = 3 亩, A keeps 0.
        assert got == pytest.approx({A: 0.0, B: 6.0, C: 3.0}, abs=1e-12)

    def test_floor_space_shared_by_leased_area(self) -> None:
        parcels = [Parcel("ZD1", A, 1000.0)]
        leases = [
            lease("ZD1", A, B, 800.0, date(2023, 1, 1), date(2023, 12, 31)),
            lease("ZD1", A, C, 400.0, date(2023, 1, 1), date(2023, 12, 31)),
        ]
        with pytest.raises(InputError):  # 1200 m² let on 1000 m²: overlapping under the default rule
            derive_land(parcels, leases, 2023)
        got = areas_mu(derive_land(parcels, leases, 2023, LandRules(shared_parcels="share")))
        # Split 800 : 400 of 1000 m²: B 666.67 m² = 1 亩, C 333.33 m² = 0.5 亩, A 0.
        assert got == pytest.approx({A: 0.0, B: 1.0, C: 0.5}, abs=1e-12)

    def test_share_keeps_the_rest_with_the_holder_while_leases_fit(self) -> None:
        parcels = [Parcel("ZD1", A, 1000.0)]
        leases = [lease("ZD1", A, B, 400.0, date(2023, 1, 1), date(2023, 12, 31))]
        got = areas_mu(derive_land(parcels, leases, 2023, LandRules(shared_parcels="share")))
        assert got == pytest.approx({A: 0.9, B: 0.6}, rel=1e-12)  # 600 and 400 m²

    def test_below_the_minimum_is_flagged_and_the_figure_kept(self) -> None:
        parcels = [Parcel("ZD1", A, 20000.0)]
        leases = [lease("ZD1", A, B, 4000.0, date(2024, 7, 1))]
        result = derive_land(parcels, leases, 2024, LandRules(minimum_mu=5.0))
        by = result.by_uscc()
        # B has 3.016 亩 < 5: flagged, figure unchanged; A has 26.98 亩.
        assert by[B].below_minimum and by[B].land_area_mu == pytest.approx(3.016393442622951, rel=1e-12)
        assert not by[A].below_minimum
        assert by[B].to_dict()["below_minimum"] is True

    def test_a_merged_unit_is_held_to_the_minimum_as_a_whole(self) -> None:
        parcels = [Parcel("ZD1", A, 3000.0)]  # 4.5 亩 in all
        leases = [lease("ZD1", A, B, 1000.0, date(2023, 1, 1))]
        result = derive_land(parcels, leases, 2023, LandRules(shared_parcels="merge", minimum_mu=4.0))
        # The unit has 4.5 亩 ≥ 4: neither member is flagged, though B alone has 1000 m² = 1.5 亩.
        assert [e.below_minimum for e in result.enterprises] == [False, False]


class TestRefused:
    def test_overlapping_leases(self) -> None:
        parcels = [Parcel("ZD1", A, 10000.0)]
        leases = [
            lease("ZD1", A, B, 6000.0, date(2024, 1, 1), date(2024, 12, 31), "HT-1"),
            lease("ZD1", A, C, 5000.0, date(2024, 6, 1), None, "HT-2"),
        ]
        with pytest.raises(InputError) as err:
            derive_land(parcels, leases, 2024)
        [problem] = err.value.problems
        # From 1 June both run: 6000 + 5000 = 11000 m² > 10000 m².
        assert "HT-2" in problem.message and "2024-06-01" in problem.message and "11,000" in problem.message

    def test_leases_that_follow_each_other_are_not_overlapping(self) -> None:
        parcels = [Parcel("ZD1", A, 10000.0)]
        leases = [
            lease("ZD1", A, B, 6000.0, date(2024, 1, 1), date(2024, 5, 31)),
            lease("ZD1", A, C, 5000.0, date(2024, 6, 1), None),
        ]
        assert check_land(parcels, leases) == []

    def test_a_subtenant_letting_more_than_it_rents(self) -> None:
        parcels = [Parcel("ZD1", A, 10000.0)]
        leases = [
            lease("ZD1", A, B, 4000.0, date(2023, 1, 1), date(2023, 6, 30)),
            lease("ZD1", B, C, 1000.0, date(2023, 1, 1), date(2023, 12, 31), "SUB-1"),
        ]
        [problem] = check_land(parcels, leases)
        # B rents nothing from 1 July but still lets 1000 m².
        assert "SUB-1" in problem.message and "2023-07-01" in problem.message

    def test_a_lessor_without_land_on_the_parcel(self) -> None:
        parcels = [Parcel("ZD1", A, 10000.0)]
        [problem] = check_land(parcels, [lease("ZD1", D, C, 10.0, date(2023, 1, 1))])
        assert D in problem.message

    def test_stored_leases_are_checked_like_rows(self) -> None:
        parcels = [Parcel("ZD1", A, 10000.0)]
        problems = check_land(parcels, [lease("ZD1", A, A, 10.0, date(2023, 1, 1), date(2022, 1, 1), "X")])
        assert len(problems) == 2 and all("X" in p.message for p in problems)

    def test_a_lease_on_an_unknown_parcel_names_its_file_row_and_column(self, tmp_path: Path) -> None:
        parcels_csv = tmp_path / "parcels.csv"
        parcels_csv.write_text(f"宗地编号,权利人统一社会信用代码,宗地面积（平方米）\nZD1,{A},10000\n", encoding="utf-8")
        leases_csv = tmp_path / "leases.csv"
        leases_csv.write_text(
            "宗地编号,出租方统一社会信用代码,承租方统一社会信用代码,租赁面积（平方米）,起始日期\n"
            f"ZD1,{A},{B},100,2024-01-01\n"
            f"ZD9,{A},{C},100,2024-01-01\n",
            encoding="utf-8",
        )
        with pytest.raises(InputError) as err:
            derive_land(read_parcels(parcels_csv), read_leases(leases_csv), 2024)
        [problem] = err.value.problems
        assert (problem.file, problem.row, problem.column) == ("leases.csv", 3, "宗地编号")
        assert "ZD9" in problem.message

    def test_overlapping_leases_from_a_file_name_their_rows(self, tmp_path: Path) -> None:
        parcels_csv = tmp_path / "parcels.csv"
        parcels_csv.write_text(f"parcel_no,holder_uscc,area_m2\nZD1,{A},1000\n", encoding="utf-8")
        leases_csv = tmp_path / "leases.csv"
        leases_csv.write_text(
            "parcel_no,lessor_uscc,lessee_uscc,area_m2,start,end\n"
            f"ZD1,{A},{B},600,2024-01-01,2024-12-31\n"
            f"ZD1,{A},{C},600,2024-03-01,\n",
            encoding="utf-8",
        )
        with pytest.raises(InputError) as err:
            derive_land(read_parcels(parcels_csv), read_leases(leases_csv), 2024)
        [problem] = err.value.problems
        assert (problem.file, problem.row, problem.column) == ("leases.csv", 3, "area_m2")
        assert "第 2 行" in problem.message


def test_stored_parcels_are_checked_too() -> None:
    parcels = [Parcel("ZD1", A, 100.0), Parcel("ZD1", B, 50.0), Parcel("ZD2", C, 0.0)]
    problems = check_land(parcels, [])
    assert [p.message for p in problems] == ["宗地「ZD1」：宗地编号「ZD1」重复", "宗地「ZD2」：宗地面积须大于 0"]
