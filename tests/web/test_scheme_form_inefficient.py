"""The scheme form does not edit the 低效用地 rules yet, so a form save must keep a version's [inefficient_land]
(and its [land] beside it)."""

from __future__ import annotations

from collections.abc import Callable

from fastapi.testclient import TestClient
from sqlalchemy.orm import Session
from test_scheme_form import _latest, form_fields
from web_client import doc

from zonehero.core.evaluation.scheme import parse_scheme
from zonehero.core.land import LandRules
from zonehero.core.land.inefficient import InefficientLandRules
from zonehero.features.roles import SYSTEM
from zonehero.features.schemes import service as schemes

RULES = "\n[land]\nminimum_mu = 3\n\n[inefficient_land]\nd_class = false\ntax_per_mu_share = 0.6\n"


def test_a_form_edit_keeps_the_inefficient_land_rules(login_as: Callable[[str], TestClient], db: Session) -> None:
    scheme_id, _, text = _latest(db)
    client = login_as("analyst")
    response = client.post(f"/schemes/{scheme_id}/versions", data={"text": text + RULES, "note": "低效用地规则"})
    assert response.status_code == 303
    fields = form_fields(doc(client.get(f"/schemes/{scheme_id}/edit")))
    fields["scoring.cap"] = ["1.5"]
    response = client.post(f"/schemes/{scheme_id}/form", data=fields)
    assert response.status_code == 303, doc(response).text[:2000]
    saved = parse_scheme(schemes.get_version(db, SYSTEM, int(response.headers["location"].rsplit("/", 1)[1])).text)
    assert saved.scoring.cap == 1.5
    assert saved.inefficient_land == InefficientLandRules(d_class=False, tax_per_mu_share=0.6)
    assert saved.land == LandRules(minimum_mu=3.0)
