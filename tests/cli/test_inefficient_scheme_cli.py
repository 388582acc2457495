"""``zonehero scheme check`` names the [inefficient_land] rules of a scheme that states them, and only then."""

from __future__ import annotations

from pathlib import Path

from typer.testing import CliRunner

from zonehero.core.evaluation.scheme import default_scheme_text
from zonehero.edges.cli.main import app

runner = CliRunner()


def test_check_shows_the_inefficient_land_rules(tmp_path: Path) -> None:
    scheme = tmp_path / "scheme.toml"
    scheme.write_text(default_scheme_text() + "\n[inefficient_land]\ntax_per_mu_share = 0.6\n", encoding="utf-8")
    checked = runner.invoke(app, ["scheme", "check", str(scheme)])
    assert checked.exit_code == 0, checked.output
    assert "低效用地 inefficient_land" in checked.output and "tax_per_mu_share 0.6" in checked.output


def test_check_without_the_table_says_nothing_of_it(tmp_path: Path) -> None:
    scheme = tmp_path / "scheme.toml"
    scheme.write_text(default_scheme_text(), encoding="utf-8")
    checked = runner.invoke(app, ["scheme", "check", str(scheme)])
    assert checked.exit_code == 0 and "inefficient_land" not in checked.output


def test_a_bad_share_is_refused(tmp_path: Path) -> None:
    scheme = tmp_path / "scheme.toml"
    scheme.write_text(default_scheme_text() + "\n[inefficient_land]\ntax_per_mu_share = 2\n", encoding="utf-8")
    checked = runner.invoke(app, ["scheme", "check", str(scheme)])
    assert checked.exit_code == 1 and "inefficient_land.tax_per_mu_share" in (checked.output + checked.stderr)
