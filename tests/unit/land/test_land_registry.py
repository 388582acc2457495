"""Reading the parcel and lease registers: Chinese and English headers, area units, status words, and every problem
of a file refused together with its file, row and column."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
import xlsxwriter

from zonehero.core.domain.uscc import make_uscc
from zonehero.core.land import ParcelStatus, read_leases, read_parcels
from zonehero.errors import InputError

A = make_uscc("91330100MA000001")
B = make_uscc("91330100MA000002")
C = make_uscc("91330100MA000003")


def write_csv(tmp_path: Path, name: str, lines: list[str]) -> Path:
    path = tmp_path / name
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def problems_of(err: pytest.ExceptionInfo[InputError]) -> list[tuple[str | None, int | None, str | None, str]]:
    return [(p.file, p.row, p.column, p.message) for p in err.value.problems]


class TestParcels:
    def test_chinese_headers_in_square_metres(self, tmp_path: Path) -> None:
        path = write_csv(
            tmp_path,
            "parcels.csv",
            [
                "2024年宗地登记表",
                "宗地编号,不动产权证号,坐落,宗地面积（平方米）,用途,权利人统一社会信用代码,权利人名称,取得日期,状态",
                f"ZD-001,浙(2020)某某市不动产权第0001号,园区大道1号,20000,工业用地,{A},甲公司,2020-03-15,在用",
                f'ZD-002,,园区大道2号,"8,000.5",工业用地,{B},乙公司,2023/6/1,在建',
                f"ZD-003,,,1000,,{C},,,闲置",
                f"ZD-004,,,500,,{A},,,",
                "合计,,,29500.5,,,,,",
            ],
        )
        p1, p2, p3, p4 = read_parcels(path)
        assert (p1.number, p1.holder_uscc, p1.area_m2, p1.status) == ("ZD-001", A, 20000.0, ParcelStatus.IN_USE)
        assert p1.certificate_no == "浙(2020)某某市不动产权第0001号" and p1.location == "园区大道1号"
        assert p1.use == "工业用地" and p1.holder_name == "甲公司" and p1.acquired == date(2020, 3, 15)
        assert p2.area_m2 == 8000.5 and p2.status is ParcelStatus.UNDER_CONSTRUCTION
        assert p3.status is ParcelStatus.IDLE
        assert p4.status is ParcelStatus.IN_USE  # an empty 状态 reads as 在用
        assert p1.origin is not None and p1.origin.row == 3

    def test_english_headers(self, tmp_path: Path) -> None:
        path = write_csv(
            tmp_path,
            "parcels.csv",
            ["parcel_no,holder_uscc,area_m2,status", f"P1,{A},1500,under_construction", f"P2,{B},700,idle"],
        )
        p1, p2 = read_parcels(path)
        assert (p1.number, p1.area_m2, p1.status) == ("P1", 1500.0, ParcelStatus.UNDER_CONSTRUCTION)
        assert p2.status is ParcelStatus.IDLE

    def test_mu_and_hectare_headers_convert_to_square_metres(self, tmp_path: Path) -> None:
        mu = write_csv(
            tmp_path, "mu.csv", ["宗地编号,权利人统一社会信用代码,宗地面积（亩）", f"ZD1,{A},30", f"ZD2,{B},1.5"]
        )
        p1, p2 = read_parcels(mu)
        # 1 亩 = 10000/15 m²: 30 亩 = 20000 m², 1.5 亩 = 1000 m².
        assert p1.area_m2 == pytest.approx(20000.0, rel=1e-12)
        assert p2.area_m2 == pytest.approx(1000.0, rel=1e-12)
        hectares = write_csv(tmp_path, "ha.csv", ["宗地编号,权利人统一社会信用代码,宗地面积(公顷)", f"ZD1,{A},2.5"])
        [p] = read_parcels(hectares)
        assert p.area_m2 == pytest.approx(25000.0)  # 1 公顷 = 10000 m²

    def test_a_units_row_in_mu(self, tmp_path: Path) -> None:
        path = write_csv(tmp_path, "p.csv", ["宗地编号,权利人统一社会信用代码,宗地面积", ",,亩", f"ZD1,{A},3"])
        [p] = read_parcels(path)
        assert p.area_m2 == pytest.approx(2000.0)  # 3 × 10000/15

    def test_a_workbook(self, tmp_path: Path) -> None:
        path = tmp_path / "parcels.xlsx"
        with xlsxwriter.Workbook(path) as book:
            sheet = book.add_worksheet("宗地")
            sheet.write_row(0, 0, ["宗地编号", "权利人统一社会信用代码", "宗地面积（亩）", "状态"])
            sheet.write_row(1, 0, ["ZD1", A, 15, "在建"])
        [p] = read_parcels(path)
        assert p.area_m2 == pytest.approx(10000.0) and p.status is ParcelStatus.UNDER_CONSTRUCTION
        assert p.origin is not None and (p.origin.file, p.origin.sheet, p.origin.row) == ("parcels.xlsx", "宗地", 2)

    def test_unknown_area_unit_refused_at_the_header(self, tmp_path: Path) -> None:
        path = write_csv(tmp_path, "p.csv", ["宗地编号,权利人统一社会信用代码,宗地面积(平方公里)", f"ZD1,{A},3"])
        with pytest.raises(InputError) as err:
            read_parcels(path)
        [(file, row, column, message)] = problems_of(err)
        assert (file, row, column) == ("p.csv", 1, "宗地面积(平方公里)")
        assert "未知单位「平方公里」" in message

    def test_every_problem_of_the_file_together(self, tmp_path: Path) -> None:
        path = write_csv(
            tmp_path,
            "parcels.csv",
            [
                "宗地编号,权利人统一社会信用代码,宗地面积（平方米）,状态",
                f"ZD1,{A},1000,在用",
                f"ZD1,{B},500,在用",  # row 3: the number again
                f"ZD2,{A},abc,在用",  # row 4: not a number
                f"ZD3,{A},0,在用",  # row 5: no area
                f"ZD4,{A},100,拆迁中",  # row 6: not a status
                "ZD5,,100,在用",  # row 7: no holder
                f"ZD6,{A},-5,在用",  # row 8: negative
            ],
        )
        with pytest.raises(InputError) as err:
            read_parcels(path)
        found = [(f, r, c) for f, r, c, _ in problems_of(err)]
        assert found == [
            ("parcels.csv", 3, "宗地编号"),
            ("parcels.csv", 4, "宗地面积（平方米）"),
            ("parcels.csv", 5, "宗地面积（平方米）"),
            ("parcels.csv", 6, "状态"),
            ("parcels.csv", 7, "权利人统一社会信用代码"),
            ("parcels.csv", 8, "宗地面积（平方米）"),
        ]
        messages = [m for *_, m in problems_of(err)]
        assert "与第 2 行重复" in messages[0] and "拆迁中" in messages[3] and "在用、在建、闲置" in messages[3]

    def test_a_missing_required_column(self, tmp_path: Path) -> None:
        path = write_csv(tmp_path, "p.csv", ["宗地编号,宗地面积", "ZD1,100"])
        with pytest.raises(InputError) as err:
            read_parcels(path)
        assert [m for *_, m in problems_of(err)] == ["缺少必填列「权利人统一社会信用代码」"]


LEASE_HEADER = "宗地编号,出租方统一社会信用代码,承租方统一社会信用代码,租赁面积（平方米）,起始日期,终止日期,合同编号"


class TestLeases:
    def test_chinese_headers(self, tmp_path: Path) -> None:
        path = write_csv(
            tmp_path,
            "leases.csv",
            [LEASE_HEADER, f"ZD1,{A},{B},4000,2024-07-01,2026-06-30,HT-1", f"ZD1,{A},{C},1000,2024/1/1,,HT-2"],
        )
        one, two = read_leases(path)
        assert (one.parcel_no, one.lessor_uscc, one.lessee_uscc, one.area_m2) == ("ZD1", A, B, 4000.0)
        assert (one.start, one.end, one.contract_no) == (date(2024, 7, 1), date(2026, 6, 30), "HT-1")
        assert two.end is None and two.share_percent is None

    def test_english_headers_and_a_share(self, tmp_path: Path) -> None:
        path = write_csv(
            tmp_path,
            "leases.csv",
            ["parcel_no,lessor_uscc,lessee_uscc,share,start,end,contract_no", f"P1,{A},{B},25%,2024-01-01,,C1"],
        )
        [lease] = read_leases(path)
        assert lease.share_percent == 25.0 and lease.area_m2 is None and lease.contract_no == "C1"

    def test_leased_area_in_mu(self, tmp_path: Path) -> None:
        path = write_csv(
            tmp_path,
            "l.csv",
            [
                "宗地编号,出租方统一社会信用代码,承租方统一社会信用代码,租赁面积(亩),起始日期",
                f"ZD1,{A},{B},6,2024-01-01",
            ],
        )
        [lease] = read_leases(path)
        assert lease.area_m2 == pytest.approx(4000.0)  # 6 × 10000/15

    def test_every_problem_of_the_file_together(self, tmp_path: Path) -> None:
        path = write_csv(
            tmp_path,
            "leases.csv",
            [
                LEASE_HEADER,
                f"ZD1,{A},{A},100,2024-01-01,,HT-1",  # row 2: lets to itself
                f"ZD1,{A},{B},100,2024-07-01,2024-06-30,HT-2",  # row 3: ends before it starts
                f"ZD1,{A},{B},,2024-01-01,,HT-3",  # row 4: neither area nor share
                f"ZD1,{A},{B},100,,,HT-4",  # row 5: no start
                f"ZD1,{A},{B},100,2024-13-01,,HT-5",  # row 6: not a date
            ],
        )
        with pytest.raises(InputError) as err:
            read_leases(path)
        found = [(f, r, c) for f, r, c, _ in problems_of(err)]
        assert found == [
            ("leases.csv", 2, "承租方统一社会信用代码"),
            ("leases.csv", 3, "终止日期"),
            ("leases.csv", 4, "租赁面积（平方米）"),
            ("leases.csv", 5, "起始日期"),
            ("leases.csv", 6, "起始日期"),
        ]

    def test_neither_area_nor_share_column(self, tmp_path: Path) -> None:
        path = write_csv(
            tmp_path,
            "l.csv",
            ["宗地编号,出租方统一社会信用代码,承租方统一社会信用代码,起始日期", f"ZD1,{A},{B},2024-01-01"],
        )
        with pytest.raises(InputError) as err:
            read_leases(path)
        [(file, row, _column, message)] = problems_of(err)
        assert (file, row) == ("l.csv", 1) and "租赁面积" in message and "租赁比例" in message
