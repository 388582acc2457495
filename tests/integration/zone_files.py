"""Small department files of a test zone, written the way bureaus send them (CSV, Chinese headers, units).

Twenty above-scale enterprises with spread figures, A and B among them.
Values are chosen so classes spread over A-D and A's land area is the
figure it disputes.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

from zonehero.core.domain.uscc import make_uscc
from zonehero.features.imports.storage import UploadedFile

NOTICE_START = date(2025, 3, 1)
"""The day the tests' runs go into 公示."""


def uploads(paths: list[Path]) -> list[UploadedFile]:
    """Files as the web form or the CLI hands them to the imports service."""
    return [UploadedFile(p.name, p.read_bytes()) for p in paths]


PASSWORD = "Correct-Horse-Battery-9"
"""Password of every test account."""

USCC_A = "91350100M000100Y43"
USCC_B = "91310110666007217T"
OTHERS = [make_uscc(f"91330100{i:08d}") for i in range(1, 19)]
ALL_USCCS = [USCC_A, USCC_B, *OTHERS]
NAMES = {u: f"测试企业{i:02d}有限公司" for i, u in enumerate(ALL_USCCS)}
NAMES[USCC_A] = "甲企业有限公司"
NAMES[USCC_B] = "乙企业有限公司"


def _tax(i: int) -> float:
    return 40.0 + 37.0 * ((i * 7) % 20)


def _land(i: int) -> float:
    return 20.0 + 3.0 * ((i * 11) % 20)


def write_tax(folder: Path, year: int, *, tax_a: float | None = None, name_a: str | None = None) -> Path:
    rows = ["统一社会信用代码,企业名称,实缴税金(万元)"]
    for i, u in enumerate(ALL_USCCS):
        tax = tax_a if (u == USCC_A and tax_a is not None) else _tax(i) + (year - 2024) * 5
        name = name_a if (u == USCC_A and name_a) else NAMES[u]
        rows.append(f"{u},{name},{tax}")
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"税务局_实缴税金_{year}.csv"
    path.write_text("\n".join(rows) + "\n", encoding="utf-8")
    return path


def write_land(folder: Path, year: int, *, land_a: float | None = None, bad_row: bool = False) -> Path:
    rows = ["统一社会信用代码,企业名称,用地面积(亩)"]
    for i, u in enumerate(ALL_USCCS):
        land = land_a if (u == USCC_A and land_a is not None) else _land(i)
        rows.append(f"{u},{NAMES[u]},{land}")
    if bad_row:
        rows.append("913301000000000XXX,坏数据企业,12")
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"自然资源局_用地_{year}.csv"
    path.write_text("\n".join(rows) + "\n", encoding="utf-8")
    return path


def write_statistics(folder: Path, year: int) -> Path:
    header = (
        "统一社会信用代码,企业名称,国民经济行业代码,规上企业,营业收入(万元),工业增加值(万元),"
        "年平均职工人数,综合能耗(吨标准煤),二氧化碳排放量(吨),研发经费支出(万元),投产年份"
    )
    rows = [header]
    for i, u in enumerate(ALL_USCCS):
        k = (i * 13) % 20
        rows.append(
            f"{u},{NAMES[u]},C39{85 - (i % 3)},是,{3000 + 400 * k},{600 + 90 * k},{40 + 6 * k},"
            f"{200 + 25 * ((i * 3) % 20)},{500 + 60 * ((i * 7) % 20)},{20 + 9 * k},2010"
        )
    path = folder / f"统计局_主要指标_{year}.csv"
    path.write_text("\n".join(rows) + "\n", encoding="utf-8")
    return path


def write_zone(folder: Path, year: int, **kwargs: object) -> list[Path]:
    """The three department files of ``year``; keyword arguments go to the writers that know them."""
    folder.mkdir(parents=True, exist_ok=True)
    tax_kw = {k: v for k, v in kwargs.items() if k in {"tax_a", "name_a"}}
    land_kw = {k: v for k, v in kwargs.items() if k in {"land_a", "bad_row"}}
    return [
        write_tax(folder, year, **tax_kw),  # type: ignore[arg-type]
        write_land(folder, year, **land_kw),  # type: ignore[arg-type]
        write_statistics(folder, year),
    ]
