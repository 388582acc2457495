"""Properties of the land rule over generated registers: leases move land, they never make or lose any."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from zonehero.core.domain.uscc import make_uscc
from zonehero.core.land import LandRules, Lease, Parcel, ParcelStatus, derive_land

SETTINGS = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])

FIRMS = [make_uscc(f"91330100MA{i:06d}") for i in range(1, 7)]
YEAR = 2024


@st.composite
def registers(draw: st.DrawFn, fit: bool = False) -> tuple[list[Parcel], list[Lease]]:
    """Parcels of random firms, and leases by each holder to other firms on random periods and areas; with
    ``fit`` at most three leases of 30 % each, so they never add up to more than the parcel."""
    parcels = []
    for i in range(draw(st.integers(1, 4))):
        status = draw(st.sampled_from(list(ParcelStatus)))
        parcels.append(Parcel(f"ZD{i}", draw(st.sampled_from(FIRMS)), draw(st.floats(100, 50000)), status))
    leases = []
    for parcel in parcels:
        for _ in range(draw(st.integers(0, 3))):
            lessee = draw(st.sampled_from([f for f in FIRMS if f != parcel.holder_uscc]))
            start = date(2023, 6, 1) + timedelta(days=draw(st.integers(0, 700)))
            length = draw(st.one_of(st.none(), st.integers(0, 600)))
            end = None if length is None else start + timedelta(days=length)
            area = parcel.area_m2 * draw(st.floats(0.01, 0.3 if fit else 0.9))
            leases.append(Lease(parcel.number, parcel.holder_uscc, lessee, start, end, area))
    return parcels, leases


@SETTINGS
@given(registers(), st.booleans(), st.booleans())
def test_land_is_conserved_and_never_negative(
    data: tuple[list[Parcel], list[Lease]], pro_rata: bool, exclude: bool
) -> None:
    parcels, leases = data
    # "share" accepts leases that add up to more than a parcel, so every generated register can be counted.
    rules = LandRules(shared_parcels="share", pro_rata=pro_rata, exclude_under_construction=exclude)
    result = derive_land(parcels, leases, YEAR, rules)
    counted = sum(0.0 if exclude and p.status is ParcelStatus.UNDER_CONSTRUCTION else p.area_m2 for p in parcels)
    total = sum(e.land_area_m2 for e in result.enterprises)
    assert total == pytest.approx(counted, rel=1e-9)
    for e in result.enterprises:
        assert e.land_area_m2 >= -1e-6 * counted
        assert e.land_area_m2 == pytest.approx(
            sum(p.counted_m2 for p in e.parcels) + sum(line.counted_m2 for line in e.leases), rel=1e-12, abs=1e-9
        )


@SETTINGS
@given(registers())
def test_when_the_lessor_keeps_land_each_firm_has_exactly_its_parcels(data: tuple[list[Parcel], list[Lease]]) -> None:
    parcels, leases = data
    result = derive_land(parcels, leases, YEAR, LandRules(shared_parcels="share", lessor_keeps=True))
    for e in result.enterprises:
        own = sum(p.area_m2 for p in parcels if p.holder_uscc == e.uscc)
        assert e.land_area_m2 == pytest.approx(own, rel=1e-12)


@SETTINGS
@given(registers(fit=True))
def test_merged_units_hold_the_sum_of_their_members(data: tuple[list[Parcel], list[Lease]]) -> None:
    parcels, leases = data
    separate = derive_land(parcels, leases, YEAR).by_uscc()
    merged = derive_land(parcels, leases, YEAR, LandRules(shared_parcels="merge"))
    # Merging changes no member's own figure; it adds the unit, whose area is its members' sum.
    assert {e.uscc: e.land_area_m2 for e in merged.enterprises} == {u: e.land_area_m2 for u, e in separate.items()}
    members = [u for unit in merged.units for u in unit.usccs]
    assert len(members) == len(set(members))  # an enterprise is in one unit at most
    for unit in merged.units:
        assert len(unit.usccs) >= 2
        assert unit.land_area_m2 == pytest.approx(sum(separate[u].land_area_m2 for u in unit.usccs), rel=1e-12)
        for u in unit.usccs:
            assert merged.by_uscc()[u].unit == unit
