"""Industries of the demo zone: real GB/T 4754-2017 classes with plausible economics.

Each class carries what the generator needs to make figures that hang
together: how much revenue a mu of land typically yields, the share of
revenue paid as tax and created as value added, how much energy a 万元 of
revenue takes and from which fuels. The figures are rough medians of the
kind published in provincial 亩均效益 reports, good enough for a demo;
they are not statistics of any real zone.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Industry:
    """One 4-digit industry class (国民经济行业小类) as the demo uses it."""

    code: str
    """GB/T 4754-2017 code with its section letter, e.g. C3985."""
    label: str
    """Official class name."""
    words: tuple[str, ...]
    """Industry words for company names (江西鑫通 + 机械 + 有限公司)."""
    weight: float
    """Relative frequency in the zone."""
    revenue_per_mu: float
    """Median revenue per mu of land, 万元/亩."""
    tax_rate: float
    """Median taxes paid / revenue."""
    va_share: float
    """Median value added / revenue."""
    energy_intensity: float
    """Median energy use per revenue, 吨标准煤/万元."""
    fuel_mix: tuple[float, float, float, float, float]
    """Energy shares of electricity, natural gas, raw coal, diesel and heat (sum 1)."""
    revenue_per_employee: float
    """Median revenue per employee, 万元/人."""
    tech: float
    """Propensity to be a high-tech enterprise and to spend on R&D (0-1)."""


_ELEC = (1.0, 0.0, 0.0, 0.0, 0.0)
_ELEC_GAS = (0.8, 0.2, 0.0, 0.0, 0.0)
_ELEC_HEAT = (0.6, 0.1, 0.0, 0.0, 0.3)

INDUSTRIES: tuple[Industry, ...] = (
    Industry("C1311", "稻谷加工", ("米业", "粮油", "农业发展"), 2, 220, 0.012, 0.15, 0.03, _ELEC_GAS, 180, 0.05),
    Industry(
        "C1495", "食品及饲料添加剂制造", ("生物科技", "食品科技"), 2, 300, 0.035, 0.28, 0.08, _ELEC_HEAT, 150, 0.4
    ),
    Industry("C1512", "白酒制造", ("酒业", "酿酒"), 1, 260, 0.12, 0.40, 0.10, (0.3, 0.3, 0.0, 0.0, 0.4), 90, 0.1),
    Industry("C1713", "棉印染精加工", ("印染", "纺织"), 2, 160, 0.02, 0.22, 0.30, (0.35, 0.1, 0.0, 0.0, 0.55), 60, 0.1),
    Industry("C1819", "其他机织服装制造", ("服饰", "制衣"), 4, 120, 0.02, 0.25, 0.01, _ELEC, 25, 0.05),
    Industry("C1951", "纺织面料鞋制造", ("鞋业",), 2, 130, 0.02, 0.24, 0.01, _ELEC, 30, 0.05),
    Industry("C2110", "木质家具制造", ("家具", "家居"), 3, 110, 0.025, 0.25, 0.03, _ELEC_GAS, 45, 0.05),
    Industry("C2231", "纸和纸板容器制造", ("包装", "纸业"), 3, 150, 0.025, 0.22, 0.05, _ELEC_HEAT, 70, 0.1),
    Industry("C2319", "包装装潢及其他印刷", ("印务", "彩印"), 2, 140, 0.03, 0.28, 0.03, _ELEC, 55, 0.1),
    Industry(
        "C2614", "有机化学原料制造", ("化工", "化学"), 2, 420, 0.04, 0.22, 0.35, (0.3, 0.3, 0.25, 0.0, 0.15), 260, 0.4
    ),
    Industry("C2641", "涂料制造", ("涂料", "化工"), 2, 300, 0.04, 0.24, 0.06, _ELEC_GAS, 160, 0.4),
    Industry(
        "C2662",
        "专项化学用品制造",
        ("新材料", "化学科技"),
        2,
        380,
        0.045,
        0.26,
        0.12,
        (0.5, 0.3, 0.0, 0.0, 0.2),
        200,
        0.6,
    ),
    Industry("C2720", "化学药品制剂制造", ("药业", "制药"), 3, 520, 0.07, 0.38, 0.05, _ELEC_HEAT, 120, 0.8),
    Industry("C2740", "中成药生产", ("药业", "中药"), 2, 400, 0.065, 0.36, 0.05, _ELEC_HEAT, 100, 0.6),
    Industry("C2761", "生物药品制造", ("生物制药", "生物技术"), 1, 600, 0.06, 0.40, 0.05, _ELEC_GAS, 130, 0.9),
    Industry("C2922", "塑料板、管、型材制造", ("塑业", "管业"), 4, 260, 0.03, 0.22, 0.05, _ELEC, 110, 0.2),
    Industry(
        "C3021", "水泥制品制造", ("建材", "管桩"), 2, 140, 0.035, 0.24, 0.10, (0.6, 0.0, 0.0, 0.4, 0.0), 120, 0.05
    ),
    Industry("C3041", "平板玻璃制造", ("玻璃",), 1, 240, 0.04, 0.26, 0.60, (0.25, 0.75, 0.0, 0.0, 0.0), 150, 0.2),
    Industry(
        "C3130", "钢压延加工", ("钢业", "金属材料"), 2, 500, 0.015, 0.14, 0.12, (0.6, 0.4, 0.0, 0.0, 0.0), 400, 0.1
    ),
    Industry("C3216", "铝冶炼", ("铝业",), 1, 700, 0.02, 0.15, 0.90, (0.85, 0.05, 0.1, 0.0, 0.0), 500, 0.1),
    Industry("C3252", "铝压延加工", ("铝材", "铝业"), 2, 450, 0.02, 0.16, 0.08, (0.55, 0.45, 0.0, 0.0, 0.0), 300, 0.2),
    Industry("C3311", "金属结构制造", ("钢构", "钢结构"), 4, 220, 0.03, 0.22, 0.03, _ELEC, 120, 0.1),
    Industry(
        "C3360",
        "金属表面处理及热处理加工",
        ("表面处理", "热处理"),
        2,
        120,
        0.03,
        0.30,
        0.12,
        (0.7, 0.3, 0.0, 0.0, 0.0),
        50,
        0.2,
    ),
    Industry("C3441", "泵及真空设备制造", ("泵业", "流体设备"), 2, 260, 0.04, 0.28, 0.02, _ELEC, 100, 0.6),
    Industry("C3484", "机械零部件加工", ("机械", "精密机械", "机械制造"), 8, 240, 0.035, 0.27, 0.025, _ELEC, 80, 0.4),
    Industry("C3562", "半导体器件专用设备制造", ("半导体设备", "智能装备"), 2, 450, 0.05, 0.32, 0.02, _ELEC, 160, 0.9),
    Industry("C3670", "汽车零部件及配件制造", ("汽车零部件", "汽配"), 7, 330, 0.03, 0.24, 0.03, _ELEC_GAS, 120, 0.5),
    Industry("C3812", "电动机制造", ("电机", "电气"), 2, 300, 0.035, 0.25, 0.02, _ELEC, 110, 0.6),
    Industry("C3825", "光伏设备及元器件制造", ("光伏", "新能源"), 3, 520, 0.025, 0.20, 0.06, _ELEC, 220, 0.7),
    Industry("C3831", "电线、电缆制造", ("电缆", "线缆"), 3, 480, 0.02, 0.16, 0.03, _ELEC, 250, 0.4),
    Industry("C3841", "锂离子电池制造", ("锂电", "新能源科技"), 3, 600, 0.03, 0.22, 0.05, _ELEC, 200, 0.8),
    Industry("C3862", "太阳能器具制造", ("太阳能", "新能源"), 1, 260, 0.03, 0.24, 0.02, _ELEC, 100, 0.5),
    Industry("C3913", "计算机外围设备制造", ("电子", "信息技术"), 2, 500, 0.03, 0.22, 0.01, _ELEC, 130, 0.8),
    Industry("C3922", "通信终端设备制造", ("通信", "通讯科技"), 2, 700, 0.03, 0.20, 0.01, _ELEC, 180, 0.8),
    Industry("C3976", "光电子器件制造", ("光电", "光电科技"), 3, 550, 0.035, 0.26, 0.03, _ELEC, 140, 0.9),
    Industry("C3982", "电子电路制造", ("电路", "电子科技"), 4, 420, 0.03, 0.24, 0.05, _ELEC_GAS, 90, 0.7),
    Industry("C3985", "电子专用材料制造", ("电子材料", "新材料科技"), 3, 480, 0.04, 0.28, 0.06, _ELEC_GAS, 170, 0.9),
    Industry("C4011", "工业自动控制系统装置制造", ("自动化", "智能科技"), 2, 420, 0.05, 0.34, 0.01, _ELEC, 120, 0.9),
    Industry("C4021", "环境监测专用仪器仪表制造", ("仪器", "环境科技"), 1, 380, 0.05, 0.36, 0.01, _ELEC, 110, 0.9),
    Industry("C4190", "其他未列明制造业", ("实业", "工贸"), 2, 140, 0.025, 0.24, 0.03, _ELEC, 60, 0.1),
    Industry(
        "C4210",
        "金属废料和碎屑加工处理",
        ("再生资源", "资源回收"),
        1,
        260,
        0.01,
        0.10,
        0.04,
        (0.7, 0.0, 0.0, 0.3, 0.0),
        250,
        0.1,
    ),
    Industry("C4320", "通用设备修理", ("设备维修", "机电"), 1, 90, 0.04, 0.40, 0.02, _ELEC, 40, 0.2),
    # Utilities: the default scheme exempts D44-D46, the demo has a couple.
    Industry("D4412", "热电联产", ("热电", "能源"), 0.4, 350, 0.05, 0.30, 2.50, (0.05, 0.1, 0.85, 0.0, 0.0), 400, 0.1),
    Industry("D4416", "太阳能发电", ("光伏电力", "新能源发电"), 0.4, 60, 0.06, 0.60, 0.01, _ELEC, 300, 0.2),
)

INDUSTRIES_BY_CODE: dict[str, Industry] = {i.code: i for i in INDUSTRIES}
