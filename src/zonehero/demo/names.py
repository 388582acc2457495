"""Chinese company names for the demo zone: place + 字号 + industry word + form.

Names follow the pattern of the enterprise-name registration rules
(行政区划 + 字号 + 行业 + 组织形式), e.g. 江西鑫通机械有限公司. Every
generated name is unique within a zone.
"""

from __future__ import annotations

import random

PLACES: tuple[str, ...] = ("江西", "南昌", "小蓝", "赣江", "洪都", "")
"""Place words; the empty one gives names like 鑫通机械（江西）有限公司."""

TRADE_NAME_CHARS: str = (
    "鑫华宇通恒达瑞泰盛隆博创源兴昌德信明海金龙凯晨亿嘉佳联诚新汇弘锦福润天安宏伟祥丰腾拓远正和康阳光星"
    "辉跃展洪赣蓝峰川誉卓益豪中合力"
)
"""Characters of the auspicious kind zone companies choose for their 字号."""

LIMITED = "有限公司"
JOINT_STOCK = "股份有限公司"


def make_name(rng: random.Random, words: tuple[str, ...], *, joint_stock: bool, taken: set[str]) -> str:
    """A new company name with one of ``words`` as its industry part; adds it to ``taken``.

    About one name in eight puts the place in brackets after the 字号
    (鑫通机械（江西）有限公司), which is how branches of outside groups are named.
    """
    form = JOINT_STOCK if joint_stock else LIMITED
    while True:
        trade = "".join(rng.sample(TRADE_NAME_CHARS, 2))
        word = rng.choice(words)
        place = rng.choice(PLACES)
        # Without a place word the place goes in brackets after the industry word.
        name = f"{place}{trade}{word}{form}" if place else f"{trade}{word}（{rng.choice(PLACES[:2])}）{form}"
        if name not in taken:
            taken.add(name)
            return name
