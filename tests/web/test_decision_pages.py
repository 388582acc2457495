"""Decision support in the browser: 梯度培育, 目标, what-if before publishing, robustness, and an enterprise's lift.

Service answers are checked against what a person would do by hand: a
what-if against a full re-run of a saved variant, robustness against itself
for a seed, lift against the enterprise's own re-evaluation, targets against
the pro-rating rule.
"""

from __future__ import annotations

import io
from collections.abc import Callable

import polars as pl
import pytest
from fastapi.testclient import TestClient
from python_calamine import CalamineWorkbook
from sqlalchemy.orm import Session
from web_client import doc
from web_html import Element
from web_personas import World

from zonehero.core.evaluation import evaluate
from zonehero.errors import InputError
from zonehero.features.decision import cultivation
from zonehero.features.decision import service as decision
from zonehero.features.decision.schemas import VariantRequest
from zonehero.features.enterprises import service as enterprises
from zonehero.features.goals import service as goals
from zonehero.features.roles import SYSTEM
from zonehero.features.runs import service as runs
from zonehero.features.schemes import service as schemes

VARIANT = VariantRequest(
    cap=1.5, quotas=(15, 60, 90), weights={"above.tax_per_mu": 40.0, "above.value_added_per_mu": 5.0}
)


def _classes_of_run(db: Session, run_id: int) -> dict[str, str | None]:
    return {r.uscc: r.class_ for r in runs.list_results(db, SYSTEM, run_id, limit=None).items}


def _with_figure(frame: pl.DataFrame, uscc: str, figure: str, value: float) -> pl.DataFrame:
    """``frame`` with one enterprise's figure set to ``value`` (everyone else unchanged)."""
    changed = pl.when(pl.col("uscc") == uscc).then(pl.lit(value)).otherwise(pl.col(figure).cast(pl.Float64))
    return frame.with_columns(changed.alias(figure))


def _table_rows(page: Element, table_id: str, attr: str) -> list[Element]:
    return [tr for tr in page.find("table", id=table_id).find_all("tr") if attr in tr.attrs]


class TestWhatIf:
    def test_it_equals_a_full_re_run_with_the_saved_variant(self, db: Session, world: World) -> None:
        outcome = decision.what_if(db, SYSTEM, world.draft_run, VARIANT)
        assert outcome.comparison.changes.height > 0  # the variant does move someone
        version = decision.save_variant(db, SYSTEM, world.draft_run, VARIANT, note="试算保存")
        assert schemes.validate_text(version.text).scoring.cap == 1.5
        rerun = runs.create_draft_run(db, SYSTEM, year=2024, scheme_version_id=version.id)
        expected = _classes_of_run(db, rerun.id)
        variant_classes = dict(outcome.comparison.enterprises.select("uscc", "class_after").iter_rows())
        assert variant_classes == expected
        draft_classes = dict(outcome.comparison.enterprises.select("uscc", "class_before").iter_rows())
        assert draft_classes == _classes_of_run(db, world.draft_run)

    def test_a_saved_variant_is_held_to_100_per_group_like_the_scheme_pages(self, db: Session, world: World) -> None:
        draft = runs.get_run(db, SYSTEM, world.draft_run)
        base = schemes.get_version(db, SYSTEM, draft.scheme_version_id)
        heavy = base.text.replace("weight = 30", "weight = 40", 1)  # 规上 now adds up to 110 (read as given)
        assert heavy != base.text
        version = schemes.save_version(db, SYSTEM, base.scheme_id, heavy, note="110 分方案")
        run = runs.create_draft_run(db, SYSTEM, year=2024, scheme_version_id=version.id)
        with pytest.raises(InputError) as refused:
            decision.save_variant(db, SYSTEM, run.id, VariantRequest(cap=1.5), note="试算保存")
        assert "100" in str(refused.value)

    def test_the_page_shows_who_changes_class_and_why_beside_the_draft(
        self, login_as: Callable[[str], TestClient], db: Session, world: World
    ) -> None:
        client = login_as("analyst")
        form = doc(client.get(f"/runs/{world.draft_run}/whatif")).find("form", id="variant-form")
        assert form.find("input", name="cap").attrs["value"] == "2"
        bonus_labels = [form.find("label", **{"for": "f-bonus:" + k}) for k in ("high_tech", "listed")]
        assert [label.text for label in bonus_labels] == ["高新技术企业", "上市企业"]  # not the registry keys
        response = client.post(
            f"/runs/{world.draft_run}/whatif",
            data={
                "cap": "1.5",
                "quota_a": "15",
                "quota_b": "60",
                "quota_c": "90",
                "w:above:tax_per_mu": "40",
                "w:above:value_added_per_mu": "5",
            },
        )
        assert response.status_code == 200
        page = doc(response)
        expected = decision.what_if(db, SYSTEM, world.draft_run, VARIANT).read()
        rows = _table_rows(page, "change-table", "data-uscc")
        assert [r.attrs["data-uscc"] for r in rows] == [c.uscc for c in expected.changes]
        first = expected.changes[0]
        assert first.reasons[0] in rows[0].text
        assert "得分封顶倍数：2 倍 → 1.5 倍" in page.find("ul", id="scheme-changes").text
        matrix = page.find("table", cls="class-matrix", data_group="above")
        cell = matrix.find("tr", data_class_before="B").find("td", data_class_after="B")
        assert int(cell.text) == next(r["B"] for r in expected.matrices["above"] if r["class_before"] == "B")
        draft_row = page.find("table", cls="side-by-side", data_group="above").find("tr", data_side="draft")
        counts = _classes_of_run(db, world.draft_run)
        above = {r.uscc for r in runs.list_results(db, SYSTEM, world.draft_run, group="above", limit=None).items}
        assert [int(td.text) for td in draft_row.find_all("td")[1:]] == [
            sum(1 for u in above if counts[u] == c) for c in "ABCD"
        ]

    def test_saving_from_the_page_makes_a_new_scheme_version(
        self, login_as: Callable[[str], TestClient], db: Session, world: World
    ) -> None:
        client = login_as("analyst")
        response = client.post(f"/runs/{world.draft_run}/whatif/save", data={"cap": "1.5", "note": "封顶 1.5"})
        assert response.status_code == 303
        version_id = int(response.headers["location"].rsplit("/", 1)[1])
        version = schemes.get_version(db, SYSTEM, version_id)
        assert version.version == 2 and version.note == "封顶 1.5"
        assert schemes.validate_text(version.text).scoring.cap == 1.5

    def test_nothing_changed_is_not_saved(self, login_as: Callable[[str], TestClient], world: World) -> None:
        assert login_as("analyst").post(f"/runs/{world.draft_run}/whatif/save", data={}).status_code == 422

    def test_a_published_run_cannot_be_varied(self, login_as: Callable[[str], TestClient], world: World) -> None:
        response = login_as("analyst").post(f"/api/runs/{world.final_run}/whatif", json={"cap": 1.5})
        assert response.status_code == 409

    def test_the_api_answers_the_same_as_the_service(
        self, login_as: Callable[[str], TestClient], db: Session, world: World
    ) -> None:
        response = login_as("analyst").post(f"/api/runs/{world.draft_run}/whatif", json=VARIANT.model_dump())
        assert response.status_code == 200
        body = response.json()
        expected = decision.what_if(db, SYSTEM, world.draft_run, VARIANT).read()
        assert body["changed"] == expected.changed == len(body["changes"])
        assert [c["uscc"] for c in body["changes"]] == [c.uscc for c in expected.changes]

    def test_an_unknown_indicator_is_named(self, login_as: Callable[[str], TestClient], world: World) -> None:
        response = login_as("analyst").post(f"/api/runs/{world.draft_run}/whatif", json={"weights": {"above.nope": 5}})
        assert response.status_code == 422
        assert "nope" in response.text


class TestWhatIfForm:
    def test_a_weight_total_of_110_is_refused_beside_the_group_before_any_work(
        self, login_as: Callable[[str], TestClient], world: World, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        def no_work(*args: object, **kwargs: object) -> None:
            raise AssertionError("the zone was evaluated for a form that had to be refused")

        monkeypatch.setattr(decision, "reproduce_run", no_work)
        client = login_as("analyst")
        response = client.post(f"/runs/{world.draft_run}/whatif", data={"w:above:tax_per_mu": "40"})
        assert response.status_code == 422
        page = doc(response)
        assert page.find(id="variant-errors")
        assert not page.find_all(id="whatif-result")
        beside = page.find("div", data_weight_group="above").find("div", cls="weight-sum-error")
        assert beside.text == "规上企业各指标权重合计应为 100，现为 110"
        assert "d-block" in beside.classes
        assert page.find("input", name="w:above:tax_per_mu").attrs["value"] == "40"  # what was typed stays
        assert page.find("div", data_weight_group="below").find("div", cls="weight-sum-error").text == ""
        assert (
            client.post(f"/api/runs/{world.draft_run}/whatif", json={"weights": {"above.tax_per_mu": 40}}).status_code
            == 422
        )
        assert client.post(f"/runs/{world.draft_run}/whatif/save", data={"w:above:tax_per_mu": "40"}).status_code == 422

    def test_a_number_that_is_not_one_is_named_beside_its_field(
        self, login_as: Callable[[str], TestClient], world: World
    ) -> None:
        response = login_as("analyst").post(f"/runs/{world.draft_run}/whatif", data={"cap": "很多"})
        assert response.status_code == 422
        cap = doc(response).find("input", name="cap")
        assert "is-invalid" in cap.classes
        assert doc(response).find("div", id=cap.attrs["aria-describedby"]).text == "「得分比值上限」应为数字"

    def test_the_form_shows_its_totals_and_a_sign_of_work(
        self, login_as: Callable[[str], TestClient], world: World
    ) -> None:
        page = doc(login_as("analyst").get(f"/runs/{world.draft_run}/whatif"))
        above = page.find("div", data_weight_group="above")
        assert above.attrs["data-weight-total"] == "100"
        assert above.find("output", cls="weight-sum")
        working = page.find(id="whatif-working")
        assert "hidden" in working.attrs and working.attrs["role"] == "status"
        assert any(s.attrs.get("src", "").endswith("js/whatif.js") for s in page.find_all("script"))

    def test_a_leader_tries_a_variant_but_saves_nothing(
        self, login_as: Callable[[str], TestClient], world: World, db: Session
    ) -> None:
        leader = login_as("leader")
        link = doc(leader.get(f"/runs/{world.draft_run}")).find("a", id="whatif-link")
        form_page = doc(leader.get(link.attrs["href"]))
        assert form_page.find("form", id="variant-form")
        assert not form_page.find_all(id="save-variant")
        versions = len(schemes.list_schemes(db, SYSTEM)[0].versions)
        response = leader.post(f"/runs/{world.draft_run}/whatif", data={"cap": "1.5"})
        assert response.status_code == 200 and doc(response).find(id="whatif-result")
        assert leader.post(f"/runs/{world.draft_run}/whatif/save", data={"cap": "1.5"}).status_code == 403
        db.expire_all()
        assert len(schemes.list_schemes(db, SYSTEM)[0].versions) == versions


class TestRobustness:
    def test_it_is_reproducible_for_a_seed(self, db: Session, world: World) -> None:
        decision.clear_robustness_cache()
        first = decision.robustness(db, SYSTEM, world.final_run, draws=200, seed=7)
        decision.clear_robustness_cache()
        again = decision.robustness(db, SYSTEM, world.final_run, draws=200, seed=7)
        assert first == again
        assert first.classed == sum(1 for c in _classes_of_run(db, world.final_run).values() if c)
        assert first.fragile == sum(1 for i in first.items if i.share_same_class < 0.8)

    def test_no_spread_keeps_every_class(self, db: Session, world: World) -> None:
        steady = decision.robustness(db, SYSTEM, world.final_run, draws=20, seed=1, spread=0.0)
        assert steady.fragile == 0 and all(i.share_same_class == 1.0 for i in steady.items)

    def test_the_page_lists_the_fragile_enterprises(
        self, login_as: Callable[[str], TestClient], db: Session, world: World
    ) -> None:
        answer = decision.robustness(db, SYSTEM, world.final_run, draws=300, seed=3)
        page = doc(login_as("leader").get(f"/runs/{world.final_run}/robustness?draws=300&seed=3&size=200"))
        rows = _table_rows(page, "stability-table", "data-uscc")
        assert [r.attrs["data-uscc"] for r in rows] == [i.uscc for i in answer.items if i.fragile]
        assert all("分类对权重选择敏感" in r.text for r in rows)
        assert page.find("strong", id="fragile-count").text == str(answer.fragile)

    @pytest.mark.parametrize("draws", ["0", "10001"])
    def test_draws_are_bounded(self, login_as: Callable[[str], TestClient], world: World, draws: str) -> None:
        assert login_as("analyst").get(f"/api/runs/{world.final_run}/robustness?draws={draws}").status_code == 422


class TestLift:
    def test_the_enterprise_reads_its_own_lift(
        self, login_as: Callable[[str], TestClient], db: Session, world: World
    ) -> None:
        client = login_as("enterprise_a")
        response = client.get(f"/enterprises/{world.uscc_a}/lift?run={world.final_run}", headers={"HX-Request": "true"})
        assert response.status_code == 200
        lift = decision.enterprise_lift(db, SYSTEM, world.uscc_a, world.final_run)
        section = doc(response).find("div", id="lift")
        assert section.find("p", id="lift-summary").text == lift.summary
        shown = {
            tr.attrs["data-figure"]: tr.attrs["data-reachable"]
            for tr in section.find_all("tr")
            if "data-figure" in tr.attrs
        }
        assert shown == {o.figure: "true" if o.reachable else "false" for o in lift.options}

    @pytest.mark.parametrize("cls", ["B", "C"])
    def test_every_reachable_answer_lifts_the_enterprise_when_applied(
        self, db: Session, world: World, cls: str
    ) -> None:
        uscc = runs.list_results(db, SYSTEM, world.final_run, class_=cls, status="evaluated", limit=1).items[0].uscc
        lift = decision.enterprise_lift(db, SYSTEM, uscc, world.final_run)
        reachable = [o for o in lift.options if o.reachable]
        assert reachable and lift.target_class == "ABCD"["ABCD".index(cls) - 1]
        frame = enterprises.year_frame(db, 2023)
        scheme = schemes.validate_text(runs.scheme_text_of(db, SYSTEM, world.final_run))
        history = runs.prior_consecutive_d(db, 2023)
        for option in reachable:
            assert option.required is not None and option.verified
            changed = _with_figure(frame, uscc, option.figure, option.required)
            rerun = evaluate(changed, scheme, year=2023, history=history).enterprise(uscc)
            assert rerun is not None and rerun["class"] == lift.target_class

    def test_another_enterprise_and_drafts_are_not_found(
        self, login_as: Callable[[str], TestClient], world: World
    ) -> None:
        client = login_as("enterprise_a")
        assert client.get(f"/api/enterprises/{world.uscc_b}/lift?run={world.final_run}").status_code == 404
        assert client.get(f"/api/enterprises/{world.uscc_a}/lift?run={world.draft_run}").status_code == 404
        assert client.get(f"/api/enterprises/{world.uscc_a}/lift?run={world.final_run}").status_code == 200

    def test_the_enterprise_page_loads_the_lift_section(
        self, login_as: Callable[[str], TestClient], world: World, db: Session
    ) -> None:
        result = runs.get_result(db, SYSTEM, world.final_run, world.uscc_a)
        page = doc(login_as("enterprise_a").get(f"/enterprises/{world.uscc_a}?run_id={world.final_run}"))
        slots = page.find_all("div", id="lift-slot")
        if result.status == "evaluated":
            assert slots[0].attrs["hx-get"] == f"/enterprises/{world.uscc_a}/lift?run={world.final_run}"
        else:
            assert slots == []


class TestTargets:
    def test_goals_are_pro_rated_to_the_month_on_the_page(
        self, login_as: Callable[[str], TestClient], db: Session
    ) -> None:
        client = login_as("analyst")
        created = client.post(
            "/targets/goals",
            data={"year": "2030", "key": "total_tax", "label": "税收总额", "value": "12000", "unit": "万元"},
        )
        assert created.status_code == 303
        goal = goals.list_goals(db, SYSTEM, 2030)[0]
        done = client.post(f"/targets/goals/{goal.id}/actuals", data={"year": "2030", "month": "3", "value": "2850"})
        assert done.status_code == 303
        page = doc(client.get("/targets?year=2030&month=3"))
        row = page.find("tr", data_goal="total_tax")
        assert row.attrs["data-status"] == "at_risk"
        assert row.find("td", data_expected="").text == "3,000.00 万元"
        assert row.find("td", data_attainment="").text == "95.0 %"
        late = [li for li in page.find("div", id="off-course").find_all("li") if "data-goal" in li.attrs]
        assert [li.attrs["data-goal"] for li in late] == ["total_tax"]
        assert page.find("script", id="chart-attainment") is not None

    @pytest.mark.parametrize(("query", "status"), [("month=", 200), ("month=12", 200), ("month=13", 422)])
    def test_the_year_form_with_the_latest_month_option(
        self, login_as: Callable[[str], TestClient], query: str, status: int
    ) -> None:
        """The form's 「各目标最新填报月」 sends an empty month: that is each goal's latest month, not an error."""
        assert login_as("analyst").get(f"/targets?year=2024&{query}").status_code == status

    def test_the_demo_zone_carries_the_four_and_eight_goals(
        self, login_as: Callable[[str], TestClient], db: Session
    ) -> None:
        page = doc(login_as("leader").get("/targets?year=2024"))
        rows = {
            tr.attrs["data-goal"]: tr
            for tr in page.find("table", id="goal-table").find_all("tr")
            if "data-goal" in tr.attrs
        }
        assert set(rows) == {"economy_share", "value_added_growth", "total_tax", "investment_completed"}
        assert "4.00 %" in rows["economy_share"].text and "8.00 %" in rows["value_added_growth"].text
        targets = goals.year_targets(db, SYSTEM, 2024)
        assert {i.goal.key: i.month for i in targets.items}["total_tax"] == 9  # the last demo year stops in September
        assert "investment_completed" in [i.goal.key for i in targets.off_course]
        last_year = goals.year_targets(db, SYSTEM, 2023)
        tax = next(i for i in last_year.items if i.goal.key == "total_tax")
        assert (tax.month, tax.actual_source) == (12, "formula:total_tax")

    def test_a_leader_reads_but_cannot_enter(self, login_as: Callable[[str], TestClient]) -> None:
        client = login_as("leader")
        assert doc(client.get("/targets?year=2024")).find_all("form", id="goal-form") == []
        response = client.post("/targets/compute", data={"year": "2024"})
        assert response.status_code == 403


class TestCultivation:
    def test_the_page_shows_the_pools_and_movers_of_the_service(
        self, login_as: Callable[[str], TestClient], db: Session
    ) -> None:
        result = cultivation.year_cultivation(db, SYSTEM, 2024)
        page = doc(login_as("leader").get("/cultivation?year=2024"))
        for pool in result.pools.iter_rows(named=True):
            row = page.find("table", id=f"pools-{pool['dimension']}").find("tr", data_tier=pool["tier"])
            assert row.find("td", data_members="").text == f"{pool['members']} 家"
        assert result.movers is not None
        movers = _table_rows(page, "mover-table", "data-uscc")
        assert [r.attrs["data-uscc"] for r in movers] == result.movers["uscc"].to_list()
        pools = page.find_all("div", cls="candidate-pool")
        assert sum(len([tr for tr in p.find_all("tr") if "data-uscc" in tr.attrs]) for p in pools) == min(
            int(result.pools["candidates"].sum()), 100 * len(pools)
        )

    def test_the_export_is_the_cultivation_workbook(self, login_as: Callable[[str], TestClient]) -> None:
        response = login_as("analyst").get("/cultivation/export.xlsx?year=2024")
        assert response.status_code == 200
        assert "attachment" in response.headers["content-disposition"]
        book = CalamineWorkbook.from_filelike(io.BytesIO(response.content))
        assert len(book.sheet_names) >= 3

    def test_the_api_gives_every_enterprise_its_tiers(self, login_as: Callable[[str], TestClient], db: Session) -> None:
        body = login_as("analyst").get("/api/cultivation?year=2024").json()
        assert body["year"] == 2024
        assert len(body["enterprises"]) == enterprises.year_frame(db, 2024).height
