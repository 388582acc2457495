"""The departments (报送部门) and the fields each owns: the defaults from the field registry, foreign columns."""

from __future__ import annotations

from zonehero.core.domain.departments import default_departments, field_problems, foreign_columns
from zonehero.core.domain.fields import FIELDS


class TestTheDefaults:
    def test_each_department_owns_its_registry_fields(self) -> None:
        owned = {d.name: d.fields for d in default_departments()}
        assert list(owned) == ["税务局", "供电公司", "统计局", "自然资源局", "科技局", "生态环境局", "应急管理局"]
        assert owned["税务局"] == ("tax",)
        assert owned["供电公司"] == ("electricity_10k_kwh",)
        assert owned["自然资源局"] == ("land_area_mu",)
        assert owned["生态环境局"] == ("major_env_violation",)
        assert owned["应急管理局"] == ("major_safety_accident",)
        assert "rd_expense" in owned["科技局"] and "rd_expense" in owned["统计局"]
        assert "electricity_10k_kwh" not in owned["统计局"]

    def test_a_foreign_column_names_its_owner(self) -> None:
        owned = {d.name: d.fields for d in default_departments()}
        found = foreign_columns(
            "税务局", {"纳税人识别号": "uscc", "实缴税金": "tax", "用电量": "electricity_10k_kwh"}, owned
        )
        assert [(f.header, f.owners) for f in found] == [("用电量", ("供电公司",))]
        assert found[0].message("税务局") == "列「用电量」（用电量）属于供电公司的报送范围，税务局不能报送"

    def test_every_figure_of_the_registry_has_an_owner(self) -> None:
        owned = {k for d in default_departments() for k in d.fields}
        assert {f.key for f in FIELDS} - owned == {"uscc", "name"}

    def test_a_list_of_fields_is_checked(self) -> None:
        assert field_problems(["tax"]) == []
        assert field_problems([]) == ["至少选择一个数据项"]
        assert field_problems(["no_such", "uscc"]) == [
            "未知的数据项「no_such」",
            "「统一社会信用代码」是企业标识列，每个部门都可报送，无需列出",
        ]
