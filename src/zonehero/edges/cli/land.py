"""``zonehero land``: land per enterprise (用地面积认定) from the parcel and lease registers, without any database.

``land areas PARCELS LEASES --year Y [--scheme FILE] --out areas.json`` derives each enterprise's land in 亩 by the
scheme's land rules (the ``[land]`` table; the default rule without one) and writes
``{"year", "rules", "enterprises": [{"uscc", "land_area_mu", "parcels", "leases", …}], "units"}``, sorted by USCC.
A problem in either file, or across them, is reported with its file, row and column and no file is written.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING

import typer

from zonehero.edges.cli.output import console, user_errors
from zonehero.errors import InputError, InputProblem

if TYPE_CHECKING:
    from rich.table import Table

    from zonehero.core.land import LandAreas

land_app = typer.Typer(
    name="land",
    help="宗地与租赁 / land: each enterprise's land area from parcels and leases.",
    no_args_is_help=True,
)


def _mu(value: float) -> str:
    return f"{value:,.2f}"


def _summary(areas: LandAreas) -> Table:
    from rich.table import Table

    from zonehero.core.land import square_metres_to_mu

    table = Table(title=f"{areas.year} 年企业用地面积认定（单位：亩）", title_justify="left")
    table.add_column("统一社会信用代码")
    for header in ("自有宗地", "出租", "承租", "认定用地"):
        table.add_column(header, justify="right")
    table.add_column("说明")
    for e in areas.enterprises:
        own = sum(p.counted_m2 for p in e.parcels)
        let = -sum(line.counted_m2 for line in e.leases if line.direction == "out")
        rented = sum(line.counted_m2 for line in e.leases if line.direction == "in")
        notes = []
        if e.unit is not None:
            notes.append(f"合并评价 {len(e.unit.usccs)} 家共 {_mu(e.unit.land_area_mu)} 亩")
        if e.below_minimum:
            notes.append(f"低于最低面积 {areas.rules.minimum_mu:g} 亩")
        table.add_row(
            e.uscc,
            _mu(square_metres_to_mu(own)),
            _mu(square_metres_to_mu(let)),
            _mu(square_metres_to_mu(rented)),
            _mu(e.land_area_mu),
            "；".join(notes),
        )
    return table


@land_app.command("areas")
def areas_command(
    parcels: Path = typer.Argument(..., help="宗地表（CSV/xlsx）/ parcel register", show_default=False),
    leases: Path = typer.Argument(..., help="租赁表（CSV/xlsx）/ lease register", show_default=False),
    year: int = typer.Option(..., "--year", "-y", help="认定年度 / year", min=2000, max=2100),
    out: Path = typer.Option(..., "--out", "-o", help="输出 JSON 文件 / output JSON file"),
    scheme: Path | None = typer.Option(
        None, "--scheme", help="评价方案 TOML（取其 [land] 用地认定规则；默认内置）/ scheme file", show_default=False
    ),
) -> None:
    """企业用地面积认定：自有宗地 − 出租 + 承租（按年度内天数折算），规则取自评价方案的 [land]。

    Each enterprise's land in the year: own parcels − land let out + land rented, a lease pro rata by the days of
    the year it covers, under the scheme's [land] rules (the default rule without --scheme).
    """
    with user_errors():
        from zonehero.core.evaluation.scheme import load_scheme
        from zonehero.core.land import derive_land, read_leases, read_parcels

        rules = load_scheme(scheme).land_rules
        problems: list[InputProblem] = []
        parcel_records, lease_records = [], []
        try:
            parcel_records = read_parcels(parcels)
        except InputError as exc:
            problems += exc.problems
        try:
            lease_records = read_leases(leases)
        except InputError as exc:
            problems += exc.problems
        if problems:
            raise InputError(problems)
        areas = derive_land(parcel_records, lease_records, year, rules)
        from zonehero.reports.atomic import atomic_path

        with atomic_path(out) as tmp:
            tmp.write_text(json.dumps(areas.to_dict(), ensure_ascii=False, indent=2) + "\n", encoding="utf-8")

    console.print(_summary(areas))
    console.print(f"已写入 / written: {out}（{len(areas.enterprises)} 家企业 / enterprises）", highlight=False)


def register(app: typer.Typer) -> None:
    """Add the ``land`` command group to the main app (``areas`` here, ``import`` from :mod:`land_db`)."""
    from zonehero.edges.cli import land_db

    land_db.register(land_app)
    app.add_typer(land_app, name="land")
