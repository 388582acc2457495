"""Reading a lead list: headers and units, stages, and every problem located by row and column(s)."""

from __future__ import annotations

from pathlib import Path

import pytest
from invest_factory import d, write_leads

from zonehero.core.investment import LeadStage, read_leads
from zonehero.core.zone import default_zone
from zonehero.errors import InputError

CHAINS = default_zone().industry_chains


def problems(path: Path, chains: tuple[str, ...] = CHAINS) -> list[str]:
    with pytest.raises(InputError) as caught:
        read_leads(path, chains)
    return [str(p) for p in caught.value.problems]


class TestReading:
    def test_chinese_headers_with_amounts_in_yi_yuan(self, tmp_path: Path) -> None:
        header = (
            "线索编号,投资企业,统一社会信用代码,项目编号,所属产业链,报送人,报送单位,报送时间,阶段,"
            "签约日期,合同投资额(亿元),到位资金(万元)"
        )
        rows = [
            "X1,甲公司,91440300ma5xxxxx1a,p-001,新能源,张三,招商一局,2024年3月1日,已签约,2024/4/2,1.5,3000",
            "X2,乙公司,,,电子信息,李四,,2024-05-06,洽谈,,,",
        ]
        first, second = read_leads(write_leads(tmp_path, rows, header), CHAINS)
        assert first.contract_investment == 15000  # 1.5 亿元 = 1.5 × 10000 万元
        assert first.paid_in == 3000
        assert first.reported_on == d("2024-03-01") and first.signed_on == d("2024-04-02")
        assert first.stage is LeadStage.SIGNED and first.investor_uscc == "91440300MA5XXXXX1A"
        assert first.project_code == "P-001" and first.row == 2
        assert second.stage is LeadStage.NEGOTIATION and second.signed_on is None and second.paid_in is None

    def test_english_keys_and_stages(self, tmp_path: Path) -> None:
        header = "lead_id,investor,chain,reporter,reported_on,stage,signed_on,contract_investment"
        (only,) = read_leads(write_leads(tmp_path, ["E1,Acme Ltd,新材料,Li,2024-01-02,terminated,,"], header), CHAINS)
        assert only.stage is LeadStage.TERMINATED and only.chain == "新材料"

    def test_a_chain_the_zone_lists_is_accepted(self, tmp_path: Path) -> None:
        path = write_leads(tmp_path, ["K1,甲公司,,,低空经济,张三,,2024-01-02,线索,,,,,,"])
        assert any("未知的产业链「低空经济」" in p and "industry_chains" in p for p in problems(path))
        assert read_leads(path, (*CHAINS, "低空经济"))[0].chain == "低空经济"


class TestRefusals:
    def test_backwards_dates_name_the_row_and_both_columns(self, tmp_path: Path) -> None:
        rows = [
            "R1,甲公司,,,新能源,张三,,2024-03-01,签约,2024-02-01,100,,,,",  # signed before reported
            "R2,乙公司,,,新能源,张三,,2024-01-01,落地,2024-02-01,100,,2024-01-15,,",  # started before signed
            "R3,丙公司,,,新能源,张三,,2024-01-01,落地,2024-02-01,100,,2024-03-01,2024-02-20,",  # produced < started
            "R4,丁公司,,,新能源,张三,,2024-01-01,落地,2024-02-01,100,2023-06-01,2024-03-01,2024-04-01,",  # fine
        ]
        found = problems(write_leads(tmp_path, rows))
        assert found == [
            "leads.csv, 第 2 行, 列 「签约日期、报送日期」: 日期先后颠倒：签约日期 2024-02-01 早于报送日期 2024-03-01",
            "leads.csv, 第 3 行, 列 「开工日期、签约日期」: 日期先后颠倒：开工日期 2024-01-15 早于签约日期 2024-02-01",
            "leads.csv, 第 4 行, 列 「投产日期、开工日期」: 日期先后颠倒：投产日期 2024-02-20 早于开工日期 2024-03-01",
        ]

    def test_every_problem_of_the_file_at_once(self, tmp_path: Path) -> None:
        rows = [
            "D1,甲公司,,,新能源,张三,,2024-01-02,线索,,,,,,",
            "D1,乙公司,,,新能源,张三,,2024-01-03,线索,,,,,,",  # duplicate id
            "D2,丙公司,,,新能源,张三,,2024-01-03,快签了,,,,,,",  # unknown stage
            "D3,丁公司,,,新能源,,,2024-01-03,线索,,,,,,",  # no reporter
            "D4,戊公司,,,新能源,张三,,2024-01-03,签约,2024-02-01,,,,,",  # signed without amount
            "D5,己公司,,,新能源,张三,,2024-13-45,线索,,,,,,",  # not a date
        ]
        found = problems(write_leads(tmp_path, rows))
        assert len(found) == 5, found
        assert "第 3 行, 列 「线索编号」: 线索编号「D1」与第 2 行重复" in found[0]
        assert "第 4 行, 列 「当前阶段」: 无法识别的阶段「快签了」" in found[1] and "线索、接洽、考察" in found[1]
        assert "第 5 行, 列 「报送人」: 缺少报送人" in found[2]
        assert "第 6 行, 列 「合同投资额」: 已填签约日期，但缺少合同投资额" in found[3]
        assert "第 7 行, 列 「报送日期」" in found[4]

    def test_a_missing_required_column_is_refused(self, tmp_path: Path) -> None:
        path = write_leads(tmp_path, ["M1,甲公司,新能源,张三,线索"], "线索编号,投资方,产业链,报送人,当前阶段")
        assert any("报送日期" in p for p in problems(path))
