"""A year's frame is kept for the year's data version, and every write of the year's figures moves the version.

The pivot of a province's year takes seconds (issue 11: the cultivation page took 45 s at 100,000 enterprises);
a kept frame is read back in milliseconds and must equal the pivot exactly, and must never be read after the
figures changed. (A correction after an accepted objection is covered by test_objections: its new draft sees the
corrected figure through the kept frame.)
"""

from __future__ import annotations

import polars as pl
import pytest
from polars.testing import assert_frame_equal
from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from zonehero.core.cultivation import cultivate
from zonehero.errors import PermissionDenied
from zonehero.features.decision import cultivation, cultivation_view
from zonehero.features.decision.models import CultivationView
from zonehero.features.enterprises import repository
from zonehero.features.enterprises import service as enterprises
from zonehero.features.enterprises.models import Figure, YearFrame
from zonehero.features.roles import Actor
from zonehero.features.runs.service import json_safe


def test_an_import_moves_the_version_and_the_frame_is_kept_for_it(db: Session, zone_year: int) -> None:
    version = repository.data_version(db, zone_year)
    assert version >= 1, "the import's confirm counted a write of the year"
    made = enterprises.year_frame(db, zone_year)
    assert repository.kept_frame(db, zone_year, version) is not None
    assert_frame_equal(enterprises.year_frame(db, zone_year), made)
    assert_frame_equal(made, enterprises._pivot_year(db, zone_year))


def test_the_kept_frame_is_read_without_pivoting(db: Session, zone_year: int, monkeypatch: pytest.MonkeyPatch) -> None:
    made = enterprises.year_frame(db, zone_year)

    def no_pivot(*_: object) -> None:
        raise AssertionError("pivoted again")

    monkeypatch.setattr(enterprises, "_pivot_year", no_pivot)
    assert_frame_equal(enterprises.year_frame(db, zone_year), made)


def test_a_write_of_the_year_is_seen_at_once(db: Session, zone_year: int) -> None:
    before = enterprises.year_frame(db, zone_year)
    uscc = before["uscc"][0]
    db.execute(
        update(Figure)
        .where(Figure.uscc == uscc, Figure.year == zone_year, Figure.field == "land_area_mu")
        .values(value_num=12345.0)
    )
    repository.bump_version(db, zone_year)
    after = enterprises.year_frame(db, zone_year)
    assert after.filter(after["uscc"] == uscc)["land_area_mu"].item() == 12345.0
    assert db.scalar(select(func.count()).select_from(YearFrame).where(YearFrame.year == zone_year)) == 1, (
        "the frame of the older version is dropped"
    )


def test_a_year_without_figures_keeps_nothing(db: Session) -> None:
    assert enterprises.year_frame(db, 2031).height == 0
    assert repository.data_version(db, 2031) == 0
    assert db.scalar(select(func.count()).select_from(YearFrame).where(YearFrame.year == 2031)) == 0


def test_the_years_with_figures_are_the_counted_years(db: Session, analyst: Actor, zone_year: int) -> None:
    distinct = sorted(set(db.scalars(select(Figure.year)).all()))
    assert enterprises.figure_years(db, analyst) == distinct and zone_year in distinct


def test_the_cultivation_view_is_kept_until_the_figures_change(
    db: Session, analyst: Actor, zone_year: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    made = cultivation_view.year_view(db, analyst, zone_year)
    assert made == json_safe(cultivation_view.view_of(cultivation.year_cultivation(db, analyst, zone_year)))
    assert made["dimensions"] and made["total"] > 0
    calls: list[int] = []
    real = cultivation_view.year_cultivation

    def counting(*args: object, **kwargs: object) -> object:
        calls.append(1)
        return real(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(cultivation_view, "year_cultivation", counting)
    assert cultivation_view.year_view(db, analyst, zone_year) == made and calls == [], "read back, not cultivated"
    repository.bump_version(db, zone_year - 1)  # the year before changed: its movers may have
    cultivation_view.year_view(db, analyst, zone_year)
    assert calls == [1]
    assert db.scalar(select(func.count()).select_from(CultivationView).where(CultivationView.year == zone_year)) == 1


def test_the_cultivation_view_is_staff_only(db: Session, enterprise_a: Actor, zone_year: int) -> None:
    with pytest.raises(PermissionDenied):
        cultivation_view.year_view(db, enterprise_a, zone_year)


def test_the_view_lists_the_first_movers_and_counts_them_all(
    db: Session, zone_year: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    frame = enterprises.year_frame(db, zone_year)
    smaller = frame.with_columns(pl.col("revenue") / 10)  # a year before in which everyone was a tenth the size
    result = cultivate(frame, year=zone_year, previous=smaller)
    assert result.movers is not None and result.movers.height >= 2, "everyone grew: there are movers"
    monkeypatch.setattr(cultivation_view, "SHOWN_MOVERS", 1)
    view = cultivation_view.view_of(result)
    assert len(view["movers"]) == 1 and view["movers_total"] == result.movers.height
