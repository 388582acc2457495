"""评价方案 as a form (issue 13 part 3): the form and the TOML store the same scheme; problems sit next to fields.

The form's fields are read back from the rendered page (what a browser would post), changed, and posted;
the same change is made to the TOML text and posted through the 高级 view. Both versions must parse to the
same scheme. Bad input comes back next to its field in Chinese, and nothing is saved.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable

from fastapi.testclient import TestClient
from sqlalchemy.orm import Session
from web_client import doc
from web_html import Element

from zonehero.core.evaluation.scheme import Scheme, parse_scheme, scheme_to_toml
from zonehero.features.roles import SYSTEM
from zonehero.features.schemes import service as schemes

Fields = dict[str, list[str]]


def _latest(db: Session) -> tuple[int, int, str]:
    scheme = schemes.list_schemes(db, SYSTEM)[0]
    version = schemes.get_version(db, SYSTEM, scheme.versions[-1].id)
    return scheme.id, version.id, version.text


def _version_count(db: Session, scheme_id: int) -> int:
    return len(next(s for s in schemes.list_schemes(db, SYSTEM) if s.id == scheme_id).versions)


def _controls(el: Element) -> list[Element]:
    """Form controls below ``el``, not those of a <template> (the blank row the script clones)."""
    found: list[Element] = []
    for child in el.children:
        if isinstance(child, Element) and child.tag != "template":
            if child.tag in {"input", "select", "textarea"}:
                found.append(child)
            found.extend(_controls(child))
    return found


def form_fields(page: Element) -> Fields:
    """What the browser would post for the scheme form as rendered (csrf_token left to the client)."""
    fields: Fields = {}
    for control in _controls(page.find("form", id="scheme-form")):
        name = control.attrs.get("name")
        if not name or name == "csrf_token":
            continue
        if control.tag == "select":
            chosen = [o.attrs.get("value", "") for o in control.find_all("option") if "selected" in o.attrs]
            fields.setdefault(name, []).append(chosen[0] if chosen else "")
        elif control.tag == "textarea":
            fields.setdefault(name, []).append(control.text)
        elif control.attrs.get("type") == "checkbox":
            if "checked" in control.attrs:
                fields.setdefault(name, []).append(control.attrs.get("value", ""))
        else:
            fields.setdefault(name, []).append(control.attrs.get("value", ""))
    return fields


def _rules(scheme: Scheme) -> Scheme:
    """The scheme without its text: what the engine uses."""
    return dataclasses.replace(scheme, text="", digest="")


def _row(fields: Fields, group: str, key: str) -> int:
    for name, values in fields.items():
        if name.startswith(f"groups.{group}.indicators[") and name.endswith("].key") and values == [key]:
            return int(name.split("[")[1].split("]")[0])
    raise AssertionError(f"no row {group}.{key}")


def _field_error(page: Element, field_id: str) -> str:
    return page.find("div", id=f"{field_id}-error").text


class TestFormAndTomlAgree:
    def test_the_form_shows_the_scheme_and_round_trips_unchanged(
        self, login_as: Callable[[str], TestClient], db: Session
    ) -> None:
        scheme_id, _, _ = _latest(db)
        client = login_as("analyst")
        page = doc(client.get(f"/schemes/{scheme_id}/edit"))
        fields = form_fields(page)
        assert fields["scoring.cap"] == ["2"]
        assert fields["scoring.benchmark_mode"] == ["zone"]
        assert fields[f"groups.above.indicators[{_row(fields, 'above', 'tax_per_mu')}].weight"] == ["30"]
        assert set(fields["scope.veto_flags"]) == {"major_safety_accident", "major_env_violation"}
        assert page.find("output", id="sum-above").text == "100"
        assert "权重合计" in page.find("fieldset", id="group-above").text
        # Posting the form unchanged changes no rule: refused as 没有变化, nothing saved.
        before = _version_count(db, scheme_id)
        response = client.post(f"/schemes/{scheme_id}/form", data=fields)
        assert response.status_code == 409
        assert "没有变化" in doc(response).find("div", id="form-problems").text
        assert _version_count(db, scheme_id) == before

    def test_a_form_edit_and_the_same_toml_edit_store_the_same_scheme(
        self, login_as: Callable[[str], TestClient], db: Session
    ) -> None:
        scheme_id, base_id, text = _latest(db)
        client = login_as("analyst")
        fields = form_fields(doc(client.get(f"/schemes/{scheme_id}/edit")))
        fields[f"groups.above.indicators[{_row(fields, 'above', 'tax_per_mu')}].weight"] = ["35"]
        fields[f"groups.above.indicators[{_row(fields, 'above', 'value_added_per_mu')}].weight"] = ["10"]
        fields["scoring.cap"] = ["1.5"]
        fields["classes.quota_a"] = ["15"]
        fields["note"] = ["表单：亩均税收 35"]
        response = client.post(f"/schemes/{scheme_id}/form", data=fields)
        assert response.status_code == 303, doc(response).text[:2000]
        form_version = schemes.get_version(db, SYSTEM, int(response.headers["location"].rsplit("/", 1)[1]))
        assert form_version.note == "表单：亩均税收 35"

        edited = text
        for old, new in (
            ('key = "tax_per_mu"\nlabel = "亩均税收"\ndimension = "亩均"', None),
            ("cap = 2.0", "cap = 1.5"),
            ("quota_a = 20", "quota_a = 15"),
        ):
            if new is not None:
                assert old in edited
                edited = edited.replace(old, new, 1)
        # The first weight 30 is above's 亩均税收, the first 15 above's 亩均增加值 (the default file's order).
        edited = edited.replace("weight = 30\n", "weight = 35\n", 1).replace("weight = 15\n", "weight = 10\n", 1)
        response = client.post(f"/schemes/{scheme_id}/versions", data={"text": edited, "note": "TOML：亩均税收 35"})
        assert response.status_code == 303
        toml_version = schemes.get_version(db, SYSTEM, int(response.headers["location"].rsplit("/", 1)[1]))

        from_form = parse_scheme(form_version.text)
        from_toml = parse_scheme(toml_version.text)
        assert _rules(from_form) == _rules(from_toml)
        assert from_form.groups["above"].indicator("tax_per_mu").weight == 35
        assert from_form.scoring.cap == 1.5
        # The form stores the canonical TOML of the same scheme, byte for byte.
        assert form_version.text == scheme_to_toml(from_toml)
        assert _rules(from_form) != _rules(parse_scheme(schemes.get_version(db, SYSTEM, base_id).text))

    def test_rows_removed_and_added_in_the_browser_are_renumbered(
        self, login_as: Callable[[str], TestClient], db: Session
    ) -> None:
        scheme_id, _, _ = _latest(db)
        client = login_as("analyst")
        fields = form_fields(doc(client.get(f"/schemes/{scheme_id}/edit")))
        below = _row(fields, "below", "revenue_per_mu")
        for name in [n for n in fields if n.startswith(f"groups.below.indicators[{below}].")]:
            del fields[name]  # 删除 removed the row
        new_row = {
            "key": "value_added_per_mu",
            "label": "亩均增加值",
            "dimension": "亩均",
            "numerator": "value_added",
            "denominator": "land_area_mu",
            "multiplier": "",
            "unit": "万元/亩",
            "direction": "",
            "weight": "abc",
            "fixed": "",
        }
        fields.update({f"groups.below.indicators[7].{k}": [v] for k, v in new_row.items()})  # 添加指标 (index 7)
        before = _version_count(db, scheme_id)
        response = client.post(f"/schemes/{scheme_id}/form", data=fields)
        assert response.status_code == 422
        page = doc(response)
        assert _field_error(page, "f-groups-below-indicators-1-weight") == "请输入数字"
        assert page.find("input", id="f-groups-below-indicators-1-key").attrs["value"] == "value_added_per_mu"
        assert _version_count(db, scheme_id) == before

        fields["groups.below.indicators[7].weight"] = ["30"]
        response = client.post(f"/schemes/{scheme_id}/form", data=fields)
        assert response.status_code == 303, doc(response).text[:2000]
        saved = parse_scheme(schemes.get_version(db, SYSTEM, int(response.headers["location"].rsplit("/", 1)[1])).text)
        assert [i.key for i in saved.groups["below"].indicators] == ["tax_per_mu", "value_added_per_mu"]
        assert saved.groups["below"].indicator("value_added_per_mu").multiplier == 1.0


class TestProblemsNextToFields:
    def test_weights_110_a_negative_cap_and_an_unknown_mode_are_refused_in_chinese(
        self, login_as: Callable[[str], TestClient], db: Session
    ) -> None:
        scheme_id, _, _ = _latest(db)
        client = login_as("analyst")
        fields = form_fields(doc(client.get(f"/schemes/{scheme_id}/edit")))
        fields[f"groups.above.indicators[{_row(fields, 'above', 'tax_per_mu')}].weight"] = ["40"]
        fields["scoring.cap"] = ["-1"]
        fields["scoring.benchmark_mode"] = ["median"]
        fields["classes.quota_b"] = ["十"]
        before = _version_count(db, scheme_id)
        response = client.post(f"/schemes/{scheme_id}/form", data=fields)
        assert response.status_code == 422
        page = doc(response)
        assert _field_error(page, "f-groups-above") == "本组权重合计须为 100，现为 110"
        assert _field_error(page, "f-scoring-cap") == "须大于 0"
        assert "「median」不是可选的取值" in _field_error(page, "f-scoring-benchmark_mode")
        assert _field_error(page, "f-classes-quota_b") == "请输入整数"
        cap = page.find("input", id="f-scoring-cap")
        assert cap.attrs["value"] == "-1" and "is-invalid" in cap.classes
        assert cap.attrs["aria-describedby"] == "f-scoring-cap-error"
        assert page.find("output", id="sum-above").text == "110"
        assert "4 处问题" in page.find("div", id="form-problems").text
        assert _version_count(db, scheme_id) == before

    def test_the_toml_view_refuses_weights_110_with_the_group_key(
        self, login_as: Callable[[str], TestClient], db: Session
    ) -> None:
        scheme_id, _, text = _latest(db)
        client = login_as("analyst")
        page = doc(client.get(f"/schemes/{scheme_id}/edit?view=toml"))
        assert page.find("textarea", id="s-text").text.split() == text.split()
        broken = text.replace("weight = 30\n", "weight = 40\n", 1)
        before = _version_count(db, scheme_id)
        response = client.post(f"/schemes/{scheme_id}/versions", data={"text": broken})
        assert response.status_code == 422
        problems = doc(response).find("div", id="scheme-problems")
        assert "groups.above" in [c.text for c in problems.find_all("code", cls="problem-key")]
        assert "本组权重合计须为 100，现为 110" in problems.text
        assert _version_count(db, scheme_id) == before


class TestVersionDiff:
    def test_two_versions_side_by_side_with_the_changed_rules_highlighted(
        self, login_as: Callable[[str], TestClient], db: Session
    ) -> None:
        scheme_id, old_id, text = _latest(db)
        changed = text.replace("cap = 2.0", "cap = 1.5", 1).replace("weight = 30\n", "weight = 35\n", 1)
        changed = changed.replace("weight = 15\n", "weight = 10\n", 1)
        new = schemes.save_version(db, SYSTEM, scheme_id, changed, note="封顶 1.5")
        client = login_as("leader")
        page = doc(client.get(f"/schemes/{scheme_id}/compare?old={old_id}&new={new.id}"))
        assert page.find("select", id="cmp-old").find("option", value=str(old_id)).attrs.get("selected") is not None
        rows = {r.attrs["data-key"]: r for r in page.find("table", id="scheme-changes").find_all("tr", cls="changed")}
        assert set(rows) == {
            "scoring.cap",
            "groups.above.tax_per_mu.weight",
            "groups.above.value_added_per_mu.weight",
        }
        cap = rows["scoring.cap"]
        assert "得分封顶倍数" in cap.text and "基准与得分" in cap.text
        assert cap.find("td", cls="old-value").text == "2 倍" and cap.find("td", cls="new-value").text == "1.5 倍"
        weight = rows["groups.above.tax_per_mu.weight"]
        assert "亩均税收 · 权重" in weight.text
        assert (weight.find("td", cls="old-value").text, weight.find("td", cls="new-value").text) == ("30 分", "35 分")
        assert "共 3 处变化" in page.find("p", id="change-count").text

        everything = doc(client.get(f"/schemes/{scheme_id}/compare?old={old_id}&new={new.id}&show=all"))
        all_rows = everything.find("table", id="scheme-changes").find_all("tr", cls="scheme-change")
        assert len(all_rows) > 50 and len([r for r in all_rows if "changed" in r.classes]) == 3

        version_page = doc(client.get(f"/schemes/versions/{new.id}"))
        inline = version_page.find("table", id="scheme-changes").find_all("tr", cls="changed")
        assert {r.attrs["data-key"] for r in inline} == set(rows)
        options = version_page.find("select", id="cmp-new").find_all("option")
        assert len(options) == _version_count(db, scheme_id) >= 2

    def test_a_scheme_with_one_version_has_no_empty_picker(
        self, login_as: Callable[[str], TestClient], db: Session
    ) -> None:
        _, _, text = _latest(db)
        created = schemes.create_scheme(db, SYSTEM, "单版本方案", text)
        page = doc(login_as("leader").get(f"/schemes/versions/{created.id}"))
        card = page.find("div", id="version-diff")
        assert not card.find_all("select")
        assert "只有这一个版本" in card.text

    def test_compare_refuses_a_version_of_another_scheme(
        self, login_as: Callable[[str], TestClient], db: Session
    ) -> None:
        scheme_id, old_id, text = _latest(db)
        other = schemes.create_scheme(db, SYSTEM, "另一方案", text)
        client = login_as("analyst")
        assert client.get(f"/schemes/{scheme_id}/compare?old={other.id}&new={old_id}").status_code == 404


class TestExportAndRoles:
    def test_the_toml_downloads_as_stored(self, login_as: Callable[[str], TestClient], db: Session) -> None:
        _, version_id, text = _latest(db)
        response = login_as("leader").get(f"/schemes/versions/{version_id}/download")
        assert response.status_code == 200
        assert response.content.decode("utf-8") == text
        assert response.headers["content-disposition"].startswith("attachment;")
        assert ".toml" in response.headers["content-disposition"]

    def test_the_leader_reads_but_does_not_save(self, login_as: Callable[[str], TestClient], db: Session) -> None:
        scheme_id, _, _ = _latest(db)
        fields = form_fields(doc(login_as("analyst").get(f"/schemes/{scheme_id}/edit")))
        leader = login_as("leader")
        assert leader.get(f"/schemes/{scheme_id}/edit").status_code == 403
        assert leader.post(f"/schemes/{scheme_id}/form", data=fields).status_code == 403
        assert leader.get(f"/schemes/{scheme_id}/compare").status_code == 200
