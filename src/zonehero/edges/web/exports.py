"""Downloads of the feature pages: a stored run as the bureau's xlsx, and a filtered enterprise list.

A stored run is turned back into what :func:`zonehero.reports.results.write_result`
needs (the engine's flat frame, the benchmark table, warnings, year and
the scheme for labels) from the run's own records, so the workbook of a
published run is the same whenever it is downloaded. The enterprise list
is a small table of its own (CSV for other tools, xlsx with class colours).
"""

from __future__ import annotations

import csv
import io
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import polars as pl
import xlsxwriter

from zonehero.core.domain.classes import CLASS_COLOURS, CLASS_TEXT_COLOURS, CLASSES, GROUP_LABELS, STATUS_LABELS
from zonehero.core.evaluation.result import POLICY_FIELDS
from zonehero.core.evaluation.scheme import Scheme
from zonehero.features.runs.schemas import RunRead, RunResultRead
from zonehero.reports.results import write_result

XLSX_MEDIA_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
CSV_MEDIA_TYPE = "text/csv; charset=utf-8"
PARTS = ("value", "benchmark", "ratio", "score")


@dataclass
class StoredRunResult:
    """A run read back from the store in the shape of ``zonehero.core.evaluation.EvaluationResult`` (ResultLike)."""

    enterprises: pl.DataFrame
    benchmarks: pl.DataFrame
    warnings: list[str]
    year: int
    scheme: Scheme
    records: list[dict[str, Any]]

    def to_records(self) -> list[dict[str, Any]]:
        return self.records


def _flat(record: dict[str, Any], keys: Sequence[str]) -> dict[str, Any]:
    row: dict[str, Any] = {
        "uscc": record.get("uscc"),
        "name": record.get("name"),
        "industry_code": record.get("industry_code"),
        "group": record.get("group"),
        "status": record.get("status"),
        "total_score": record.get("total_score"),
        "bonus": record.get("bonus"),
        "rank": record.get("rank"),
        "class": record.get("class"),
        "carbon_grade": record.get("carbon_grade"),
        "flags": list(record.get("flags") or []),
    }
    indicators = record.get("indicators") or {}
    for key in keys:
        parts = indicators.get(key) or {}
        for part in PARTS:
            row[f"{key}__{part}"] = parts.get(part)
    policy = record.get("policy") or {}
    for name, column in POLICY_FIELDS.items():
        row[column] = policy.get(name)
    return row


def stored_result(run: RunRead, rows: Sequence[RunResultRead], scheme: Scheme) -> StoredRunResult:
    """The run's records (in the order given) as a ResultLike for the report writers."""
    keys = scheme.indicator_keys
    records = [r.record for r in rows]
    schema: dict[str, pl.DataType] = {
        "uscc": pl.String(),
        "name": pl.String(),
        "industry_code": pl.String(),
        "group": pl.String(),
        "status": pl.String(),
        "total_score": pl.Float64(),
        "bonus": pl.Float64(),
        "rank": pl.Int64(),
        "class": pl.String(),
        "carbon_grade": pl.Int64(),
        "flags": pl.List(pl.String()),
        **{f"{k}__{p}": pl.Float64() for k in keys for p in PARTS},
        "policy_name": pl.String(),
        "electricity_surcharge": pl.Float64(),
        "land_energy_quota": pl.String(),
        "land_energy_quota_label": pl.String(),
        "policy_other": pl.String(),
    }
    frame = pl.DataFrame([_flat(r, keys) for r in records], schema=schema, orient="row")
    benchmarks = pl.DataFrame(run.benchmarks) if run.benchmarks else pl.DataFrame()
    return StoredRunResult(frame, benchmarks, list(run.warnings), run.year, scheme, records)


def run_xlsx(result: StoredRunResult) -> bytes:
    """The run's workbook (results, summary, data-quality sheets) as bytes."""
    with tempfile.TemporaryDirectory(prefix="zonehero-export-") as folder:
        path = Path(folder) / "result.xlsx"
        write_result(result, path)
        return path.read_bytes()


LIST_COLUMNS: tuple[tuple[str, str], ...] = (
    ("统一社会信用代码", "uscc"),
    ("企业名称", "name"),
    ("行业代码", "industry_code"),
    ("分组", "group"),
    ("评价状态", "status"),
    ("综合得分", "total_score"),
    ("组内排名", "rank"),
    ("分类", "class"),
    ("碳效等级", "carbon_grade"),
)
"""Header and attribute of each column of the enterprise list export."""


def _cell(row: Any, attr: str) -> Any:
    value = getattr(row, "class_" if attr == "class" else attr, None)
    if attr == "group" and value:
        return GROUP_LABELS.get(value, value)
    if attr == "status" and value:
        return STATUS_LABELS.get(value, value)
    return value


def list_csv(rows: Sequence[Any]) -> bytes:
    """The list as CSV, UTF-8 with BOM so Excel on Windows opens the Chinese headers correctly."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow([header for header, _ in LIST_COLUMNS])
    for row in rows:
        writer.writerow(["" if (v := _cell(row, attr)) is None else v for _, attr in LIST_COLUMNS])
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def list_xlsx(rows: Sequence[Any], title: str) -> bytes:
    """The list as one sheet: frozen header, two-decimal scores, class cells in the class colours."""
    buffer = io.BytesIO()
    wb = xlsxwriter.Workbook(buffer, {"in_memory": True})
    base = {"font_name": "微软雅黑", "font_size": 10}
    header = wb.add_format({**base, "bold": True, "bg_color": "#1f3b57", "font_color": "#ffffff", "border": 1})
    text, num2, whole = wb.add_format(base), wb.add_format({**base, "num_format": "#,##0.00"}), wb.add_format(base)
    class_formats = {
        c: wb.add_format(
            {**base, "bold": True, "align": "center", "bg_color": CLASS_COLOURS[c], "font_color": CLASS_TEXT_COLOURS[c]}
        )
        for c in CLASSES
    }
    ws = wb.add_worksheet(title[:31] or "企业")
    widths = (21, 32, 10, 8, 12, 10, 8, 6, 8)
    for j, ((label, _), width) in enumerate(zip(LIST_COLUMNS, widths, strict=True)):
        ws.write_string(0, j, label, header)
        ws.set_column(j, j, width)
    ws.freeze_panes(1, 2)
    for i, row in enumerate(rows, start=1):
        for j, (_, attr) in enumerate(LIST_COLUMNS):
            value = _cell(row, attr)
            if value is None:
                continue
            if attr == "class":
                ws.write_string(i, j, value, class_formats.get(value, text))
            elif attr == "total_score":
                ws.write_number(i, j, value, num2)
            elif isinstance(value, int | float):
                ws.write_number(i, j, value, whole)
            else:
                ws.write_string(i, j, str(value), text)
    if rows:
        ws.autofilter(0, 0, len(rows), len(LIST_COLUMNS) - 1)
    wb.close()
    return buffer.getvalue()
