"""``zonehero land areas`` end to end: the parcel and lease registers in, each enterprise's land out as JSON."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from zonehero.core.domain.uscc import make_uscc
from zonehero.core.evaluation.scheme import default_scheme_text
from zonehero.edges.cli.main import app

runner = CliRunner()

A = make_uscc("91330100MA000001")
B = make_uscc("91330100MA000002")
C = make_uscc("91330100MA000003")

PARCELS = [
    "宗地编号,权利人统一社会信用代码,权利人名称,宗地面积（亩）,状态",
    f"ZD1,{A},甲公司,30,在用",  # 30 亩 = 20000 m²
    f"ZD2,{C},丙公司,3,在建",  # 3 亩 = 2000 m²
]
LEASES = [
    "宗地编号,出租方统一社会信用代码,承租方统一社会信用代码,租赁面积（平方米）,起始日期,终止日期,合同编号",
    f"ZD1,{A},{B},4000,2024-07-01,,HT-1",
]
LAND_RULES = '\n[land]\n# 合并评价\nshared_parcels = "merge"\nexclude_under_construction = true\n'


def write(tmp_path: Path, name: str, lines: list[str]) -> Path:
    path = tmp_path / name
    path.write_text("\n".join(lines) + "\n", encoding="utf-8-sig")
    return path


def run(*args: str) -> object:
    return runner.invoke(app, ["land", "areas", *args])


def test_areas_written_as_json(tmp_path: Path) -> None:
    parcels, leases = write(tmp_path, "parcels.csv", PARCELS), write(tmp_path, "leases.csv", LEASES)
    out = tmp_path / "out" / "areas.json"
    result = run(str(parcels), str(leases), "--year", "2024", "--out", str(out))
    assert result.exit_code == 0, result.output
    data = json.loads(out.read_text(encoding="utf-8"))
    assert data["year"] == 2024 and data["rules"]["shared_parcels"] == "separate" and data["units"] == []
    assert [e["uscc"] for e in data["enterprises"]] == sorted([A, B, C])
    by = {e["uscc"]: e for e in data["enterprises"]}
    # HT-1 covers 1 July – 31 December 2024: 184 of 366 days. B: 4000 × 184/366 m² × 15/10000 = 3.0163934… 亩;
    # A: 30 − 3.0163934… = 26.9836065… 亩; C: 3 亩 (在建 counts by default).
    assert by[B]["land_area_mu"] == pytest.approx(3.016393442622951, rel=1e-12)
    assert by[A]["land_area_mu"] == pytest.approx(26.98360655737705, rel=1e-12)
    assert by[C]["land_area_mu"] == pytest.approx(3.0, rel=1e-12)
    [lease] = by[B]["leases"]
    assert lease["direction"] == "in" and lease["counterparty"] == A and lease["contract_no"] == "HT-1"
    assert (lease["days_covered"], lease["days_in_year"], lease["area_m2"]) == (184, 366, 4000.0)
    [parcel] = by[A]["parcels"]
    assert parcel["parcel_no"] == "ZD1" and parcel["area_m2"] == pytest.approx(20000.0)
    assert by[C]["parcels"][0]["status"] == "under_construction"
    assert "认定用地" in result.stdout and "26.98" in result.stdout and "已写入" in result.stdout


def test_the_scheme_land_rules(tmp_path: Path) -> None:
    parcels, leases = write(tmp_path, "parcels.csv", PARCELS), write(tmp_path, "leases.csv", LEASES)
    scheme = tmp_path / "scheme.toml"
    scheme.write_text(default_scheme_text() + LAND_RULES, encoding="utf-8")
    out = tmp_path / "areas.json"
    result = run(str(parcels), str(leases), "--year", "2024", "--scheme", str(scheme), "--out", str(out))
    assert result.exit_code == 0, result.output
    data = json.loads(out.read_text(encoding="utf-8"))
    by = {e["uscc"]: e for e in data["enterprises"]}
    # 在建 ZD2 excluded: C 0. A and B form one unit holding ZD1, 30 亩 in all.
    assert by[C]["land_area_mu"] == 0.0 and by[C]["unit"] is None
    [unit] = data["units"]
    assert unit["usccs"] == sorted([A, B]) and unit["land_area_mu"] == pytest.approx(30.0, rel=1e-12)
    assert by[A]["unit"] == by[B]["unit"] == unit
    assert "合并评价" in result.stdout  # the console wraps the rest of the note at 80 columns


def test_english_headers(tmp_path: Path) -> None:
    parcels = write(tmp_path, "p.csv", ["parcel_no,holder_uscc,area_m2,status", f"P1,{A},1500,in_use"])
    leases = write(
        tmp_path, "l.csv", ["parcel_no,lessor_uscc,lessee_uscc,share,start,end", f"P1,{A},{B},20,2023-01-01,"]
    )
    out = tmp_path / "areas.json"
    result = run(str(parcels), str(leases), "--year", "2023", "--out", str(out))
    assert result.exit_code == 0, result.output
    by = {e["uscc"]: e["land_area_mu"] for e in json.loads(out.read_text(encoding="utf-8"))["enterprises"]}
    # 20 % of 1500 m² = 300 m² all year = 0.45 亩; A keeps 1200 m² = 1.8 亩.
    assert by == pytest.approx({A: 1.8, B: 0.45}, rel=1e-12)


def test_bad_input_in_both_files_refused_without_writing(tmp_path: Path) -> None:
    parcels = write(tmp_path, "parcels.csv", [*PARCELS, f"ZD1,{B},乙公司,5,在用"])  # row 4: ZD1 again
    leases = write(tmp_path, "leases.csv", [*LEASES, f"ZD1,{A},{C},100,2024-05-01,2024-04-01,HT-2"])  # row 3
    out = tmp_path / "areas.json"
    result = run(str(parcels), str(leases), "--year", "2024", "--out", str(out))
    assert result.exit_code == 1
    assert sorted(p.name for p in tmp_path.iterdir()) == ["leases.csv", "parcels.csv"]  # nothing, not even a temp
    assert result.stdout == ""
    assert "parcels.csv, 第 4 行, 列 「宗地编号」" in result.stderr
    assert "leases.csv, 第 3 行, 列 「终止日期」" in result.stderr


def test_a_lease_on_an_unknown_parcel_refused_without_writing(tmp_path: Path) -> None:
    parcels = write(tmp_path, "parcels.csv", PARCELS)
    leases = write(tmp_path, "leases.csv", [*LEASES, f"ZD7,{A},{C},100,2024-05-01,,HT-2"])
    out = tmp_path / "areas.json"
    out.write_text("{}", encoding="utf-8")  # an earlier result stays as it was
    result = run(str(parcels), str(leases), "--year", "2024", "--out", str(out))
    assert result.exit_code == 1
    assert out.read_text(encoding="utf-8") == "{}"
    assert "leases.csv, 第 3 行, 列 「宗地编号」" in result.stderr and "ZD7" in result.stderr


def test_a_bad_scheme_refused(tmp_path: Path) -> None:
    parcels, leases = write(tmp_path, "parcels.csv", PARCELS), write(tmp_path, "leases.csv", LEASES)
    scheme = tmp_path / "scheme.toml"
    scheme.write_text(default_scheme_text() + '\n[land]\nshared_parcels = "halves"\n', encoding="utf-8")
    out = tmp_path / "areas.json"
    result = run(str(parcels), str(leases), "--year", "2024", "--scheme", str(scheme), "--out", str(out))
    assert result.exit_code == 1 and not out.exists()
    assert "land.shared_parcels" in result.stderr


def test_scheme_show_and_check_a_scheme_with_land(tmp_path: Path) -> None:
    scheme = tmp_path / "scheme.toml"
    scheme.write_text(default_scheme_text() + LAND_RULES, encoding="utf-8")
    shown = runner.invoke(app, ["scheme", "show", str(scheme)])
    assert shown.exit_code == 0 and "[land]\n# 合并评价\n" in shown.output
    checked = runner.invoke(app, ["scheme", "check", str(scheme)])
    assert checked.exit_code == 0, checked.output
    assert "用地认定 land" in checked.output and "merge" in checked.output
