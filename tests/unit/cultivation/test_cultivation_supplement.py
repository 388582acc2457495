"""The supplement table: quality tier, invention patents and the champion flag by USCC."""

from __future__ import annotations

import polars as pl
import pytest

from zonehero.core.cultivation import assign_tiers
from zonehero.core.cultivation.supplement import attach_supplement, parse_supplement
from zonehero.core.domain.uscc import make_uscc
from zonehero.core.ingest.readers import SheetGrid
from zonehero.errors import InputError

A, B = make_uscc("9136010000000001"), make_uscc("9136010000000002")


def _grid(rows: list[list[object]]) -> SheetGrid:
    return SheetGrid(file="补充.xlsx", sheet="Sheet1", rows=rows)


def test_reads_the_three_columns_under_a_title_row() -> None:
    frame = parse_supplement(
        _grid(
            [
                ["2025年梯度培育补充表", "", "", ""],
                ["统一社会信用代码", "梯度层级", "发明专利数（件）", "单项冠军申报"],
                [A, "创新型中小企业", "3", "是"],
                [B, "", 1.0, ""],
                ["", "", "", ""],
            ]
        )
    )
    assert frame.to_dicts() == [
        {"uscc": A, "quality_tier": "创新型中小企业", "invention_patents": 3.0, "champion_candidate": True},
        {"uscc": B, "quality_tier": None, "invention_patents": 1.0, "champion_candidate": False},
    ]


def test_every_bad_cell_is_located() -> None:
    with pytest.raises(InputError) as info:
        parse_supplement(
            _grid(
                [
                    ["信用代码", "发明专利数"],
                    [A, "三件"],
                    [A, "-2"],
                    ["91350100M000100Y4X", "1"],
                ]
            )
        )
    where = sorted((p.row, p.column) for p in info.value.problems)
    assert where == [(2, "发明专利数"), (3, "信用代码"), (3, "发明专利数"), (4, "信用代码")]


def test_no_uscc_column_or_no_known_column() -> None:
    with pytest.raises(InputError, match="统一社会信用代码"):
        parse_supplement(_grid([["名称", "发明专利数"], ["x", 1]]))
    with pytest.raises(InputError, match="没有可识别的补充列"):
        parse_supplement(_grid([["统一社会信用代码", "颜色"], [A, "红"]]))


def test_attached_patents_make_a_little_giant_candidate() -> None:
    base = pl.DataFrame(
        {
            "uscc": [A, B],
            "revenue": [12000.0, 12000.0],
            "rd_expense": [600.0, 600.0],
            "employees": [300, 300],
            "zjtx_level": ["province", "province"],
        }
    )
    previous = pl.DataFrame({"uscc": [A, B], "revenue": [10000.0, 10000.0]})
    supplement = pl.DataFrame({"uscc": [A, "OTHER"], "invention_patents": [2.0, 9.0]})
    frame, unmatched = attach_supplement(base, supplement)
    assert unmatched == ["OTHER"]
    statuses = dict(assign_tiers(frame, previous=previous).select("uscc", "quality_status").iter_rows())
    assert statuses == {A: "candidate", B: "unknown"}
