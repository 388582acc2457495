"""``zonehero scheme check|show``: validate a scheme file, or print one to start from."""

from __future__ import annotations

from pathlib import Path

import typer

from zonehero.edges.cli.output import console, user_errors

scheme_app = typer.Typer(
    name="scheme",
    help="评价方案：校验与查看。\n\nEvaluation schemes: check a scheme file, or print one to start your own.",
    no_args_is_help=True,
)


def _weights(weight: float) -> str:
    return f"{weight:g}"


@scheme_app.command("check")
def check_command(
    file: Path = typer.Argument(..., help="评价方案 TOML 文件 / scheme file to check", show_default=False),
) -> None:
    """校验评价方案：列出所有错误及其键路径；无误时显示方案摘要。

    Check a scheme file: every problem with the key that is wrong, or a summary when it is valid.
    Exit 0 when valid, 1 otherwise.
    """
    with user_errors():
        from zonehero.core.domain.classes import GROUP_LABELS
        from zonehero.core.evaluation.scheme import load_scheme

        scheme = load_scheme(file)
    console.print(f"[bold green]OK[/] 方案有效 / scheme is valid: {file}", highlight=False)
    console.print(
        f"  名称 name: {scheme.info.name}（版本 version {scheme.info.version}）  sha256: {scheme.digest[:16]}…",
        highlight=False,
        markup=False,
    )
    s = scheme.scoring
    c = scheme.classes
    console.print(
        f"  基准 benchmark: {s.benchmark_mode} ×{s.benchmark_factor:g}  封顶 cap: {s.cap:g}  "
        f"缺失值 missing: {s.missing_policy}  分类 classes: {c.mode} "
        + (
            f"{c.quota_a}/{c.quota_b}/{c.quota_c}%"
            if c.mode == "quota"
            else f"{c.threshold_a:g}/{c.threshold_b:g}/{c.threshold_c:g}"
        )
        + f"  否决 vetoed → {c.vetoed_class}",
        highlight=False,
        markup=False,
    )
    if scheme.land is not None:
        land = scheme.land
        console.print(
            f"  用地认定 land: shared_parcels {land.shared_parcels}  lessor_keeps {land.lessor_keeps}  "
            f"exclude_under_construction {land.exclude_under_construction}  minimum_mu {land.minimum_mu:g}  "
            f"pro_rata {land.pro_rata}",
            highlight=False,
            markup=False,
        )
    if scheme.inefficient_land is not None:
        rules = scheme.inefficient_land
        console.print(
            f"  低效用地 inefficient_land: d_class {rules.d_class}  tax_per_mu_share {rules.tax_per_mu_share:g}  "
            f"idle_parcels {rules.idle_parcels}  unused_supplied_land {rules.unused_supplied_land}  "
            f"unused_years {rules.unused_years:g}",
            highlight=False,
            markup=False,
        )
    for group in scheme.groups.values():
        label = f"{GROUP_LABELS.get(group.key, group.key)} {group.key}"
        console.print(
            f"  {label}: {len(group.indicators)} 个指标 indicators，权重合计 total weight {group.total_weight:g}",
            highlight=False,
            markup=False,
        )
        for ind in group.indicators:
            direction = "" if ind.direction == "higher" else "（越低越好 lower is better）"
            console.print(
                f"    - {ind.key} {ind.label} = {ind.numerator} / {ind.denominator}"
                + (f" × {ind.multiplier:g}" if ind.multiplier != 1 else "")
                + f"  权重 weight {_weights(ind.weight)}{direction}",
                highlight=False,
                markup=False,
            )


@scheme_app.command("show")
def show_command(
    file: Path | None = typer.Argument(
        None, help="评价方案文件（省略则显示内置默认方案）/ scheme file (default: the built-in scheme)"
    ),
) -> None:
    """显示评价方案全文（默认为内置方案），可重定向到文件后修改。

    Print a scheme's full text (the built-in default when FILE is omitted), e.g. `zonehero scheme show > my.toml`.
    """
    with user_errors():
        from zonehero.core.evaluation.scheme import default_scheme_text, load_scheme

        text = default_scheme_text() if file is None else load_scheme(file).text
    typer.echo(text, nl=not text.endswith("\n"))


def register(app: typer.Typer) -> None:
    """Add the ``scheme`` command group to the main command."""
    app.add_typer(scheme_app, name="scheme")
