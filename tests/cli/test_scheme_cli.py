"""``zonehero scheme check|show``."""

from __future__ import annotations

from pathlib import Path

from typer.testing import CliRunner

from zonehero.core.evaluation.scheme import default_scheme_text, parse_scheme
from zonehero.edges.cli.main import app

runner = CliRunner()


def test_show_prints_the_default_scheme_which_checks_ok(tmp_path: Path) -> None:
    shown = runner.invoke(app, ["scheme", "show"])
    assert shown.exit_code == 0
    assert parse_scheme(shown.output).digest == parse_scheme(default_scheme_text()).digest
    path = tmp_path / "mine.toml"
    path.write_text(shown.output, encoding="utf-8")
    checked = runner.invoke(app, ["scheme", "check", str(path)])
    assert checked.exit_code == 0, checked.output
    assert "OK" in checked.output and "tax_per_mu" in checked.output and "100" in checked.output
    assert "规上 above:" in checked.output and "规下 below:" in checked.output


def test_show_a_given_file(tmp_path: Path) -> None:
    path = tmp_path / "mine.toml"
    path.write_text(default_scheme_text().replace("cap = 2.0", "cap = 1.5"), encoding="utf-8")
    shown = runner.invoke(app, ["scheme", "show", str(path)])
    assert shown.exit_code == 0 and "cap = 1.5" in shown.output


def test_check_lists_every_problem_with_its_key(tmp_path: Path) -> None:
    path = tmp_path / "bad.toml"
    text = default_scheme_text().replace("cap = 2.0", "cap = 0").replace("quota_a = 20", "quota_a = 99")
    path.write_text(text.replace('numerator = "tax"', 'numerator = "taxes"', 1), encoding="utf-8")
    result = runner.invoke(app, ["scheme", "check", str(path)])
    assert result.exit_code == 1
    out = result.output
    for key in ("scoring.cap", "classes.quota_b", "groups.above.indicators[0].numerator"):
        assert key in out, out


def test_check_missing_file_exits_1(tmp_path: Path) -> None:
    result = runner.invoke(app, ["scheme", "check", str(tmp_path / "nope.toml")])
    assert result.exit_code == 1


def test_help_is_bilingual() -> None:
    result = runner.invoke(app, ["scheme", "--help"])
    assert result.exit_code == 0 and "评价方案" in result.output and "scheme" in result.output
