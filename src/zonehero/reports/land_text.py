"""The land derivation of one enterprise in words (用地面积认定), as the notice and the enterprise page read it.

One place for the sentence, so the notice's source line and the page say the same; the record is the one a run
kept (:meth:`zonehero.core.land.EnterpriseLand.to_dict`), never the current parcels.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from zonehero.core.land import square_metres_to_mu

GIVEN_SENTENCE = "未登记宗地，采用填报的用地面积"
"""What the page says of an enterprise of a derived run that has no parcel and no lease."""


def _mu(area_m2: float) -> str:
    return f"{square_metres_to_mu(area_m2):,.2f}"


def land_terms(record: Mapping[str, Any]) -> list[str]:
    """Each counted parcel and lease as a signed term in 亩: "宗地 ZD-001 30.00 亩", "出租 ZD-001 给 … −3.02 亩"."""
    terms: list[str] = []
    for p in record.get("parcels") or []:
        note = f"（{p['note']}）" if p.get("note") else ""
        terms.append(f"宗地 {p['parcel_no']} {_mu(p['counted_m2'])} 亩{note}")
    for lease in record.get("leases") or []:
        days = f"{lease['days_covered']}/{lease['days_in_year']} 天"
        if lease["direction"] == "out":
            terms.append(
                f"出租 {lease['parcel_no']} 给 {lease['counterparty']}（{days}）−{_mu(-lease['counted_m2'])} 亩"
            )
        else:
            terms.append(f"承租 {lease['parcel_no']}（{days}）+{_mu(lease['counted_m2'])} 亩")
    return terms


def land_sentence(record: Mapping[str, Any]) -> str:
    """ "用地面积认定：宗地 ZD-001 30.00 亩；出租 … −3.02 亩；合计 26.98 亩" (the notice prints it as the source)."""
    terms = land_terms(record)
    total = f"合计 {square_metres_to_mu(record['land_area_m2']):,.2f} 亩"
    unit = record.get("unit")
    merged = f"（合并评价单元 {len(unit['usccs'])} 家，共 {unit['land_area_mu']:,.2f} 亩）" if unit else ""
    below = "（低于最低用地面积）" if record.get("below_minimum") else ""
    return "用地面积认定：" + "；".join([*terms, total]) + merged + below + correction_phrase(record)


def correction_phrase(record: Mapping[str, Any]) -> str:
    """「（宗地或租赁记录经更正：租赁 ZD-001 #3 面积（平方米） 4000 → 3000（用地公示异议 #7））」: the lineage of the
    records an accepted 用地公示异议 corrected, as the derivation kept them; empty when none was."""
    found = [str(c.get("sentence") or "") for c in record.get("corrections") or []]
    return f"（宗地或租赁记录经更正：{'；'.join(found)}）" if found else ""
