"""The demo zone's industry chains (演示产业链图谱) and target library (目标企业库).

Each of the zone profile's chains but the last gets its links upstream → downstream and a 链主; about half the
demo enterprises are tagged with a chain and link, the demo projects get the link of their chain, and about 40
target firms are added. A few links are left with nothing (``EMPTY_LINKS``), so the gaps (补链) show. The last
chain stays without a record, as a zone that has not drawn every chain yet. Nothing here is a real company.
"""

from __future__ import annotations

import random
from collections.abc import Sequence

from sqlalchemy.orm import Session

from zonehero.demo.names import make_name
from zonehero.features.chains import service as chains
from zonehero.features.chains.schemas import TargetWrite
from zonehero.features.enterprises import service as enterprises
from zonehero.features.projects import service as projects
from zonehero.features.roles import SYSTEM, Actor

LINKS: dict[str, tuple[str, ...]] = {
    "电子信息": ("电子材料", "元器件", "集成电路", "模组", "整机制造", "软件与服务"),
    "新能源": ("正极材料", "负极材料", "电解液", "电芯", "储能系统"),
    "新材料": ("基础原料", "先进基础材料", "关键战略材料", "复合材料", "材料应用"),
    "装备制造": ("零部件", "基础件", "关键部件", "整机装配", "系统集成"),
    "生物医药": ("原料药", "医药中间体", "化学制剂", "医疗器械", "医药流通"),
    "食品加工": ("农产品原料", "初加工", "精深加工", "包装", "冷链物流"),
    "纺织服装": ("纤维", "纺纱织造", "印染", "服装制造", "品牌营销"),
}
"""Links of the chains a demo zone has; a chain not named here gets :data:`GENERIC_LINKS`."""
GENERIC_LINKS = ("上游原料", "核心部件", "整机制造", "配套服务")
EMPTY_LINKS: frozenset[tuple[str, str]] = frozenset(
    {("新能源", "负极材料"), ("新能源", "储能系统"), ("电子信息", "集成电路"), ("生物医药", "医疗器械")}
)
"""(chain, link) left with no enterprise and no project: the demo's 补链 gaps."""
TARGET_WORDS = ("科技", "新能源", "材料", "电子", "装备", "生物", "智能")
HEADQUARTERS = ("深圳", "上海", "苏州", "杭州", "宁德", "合肥", "北京", "广州", "常州", "成都")
SOURCES = ("招商局摸排", "行业协会推荐", "链主企业推荐", "驻外招商组", "产业地图", "展会")
TAGS = ("上市公司", "独角兽", "外资", "央企", "民营百强", "国家级专精特新")
N_TARGETS = 40


def _links(name: str) -> tuple[str, ...]:
    return LINKS.get(name, GENERIC_LINKS)


def seed_demo_chains(session: Session, analyst: Actor, *, seed: int = 1, n_targets: int = N_TARGETS) -> None:
    """Chains with links and 链主, enterprise tags, project links and the target library (the analyst's work)."""
    rng = random.Random(seed * 7919 + 15)
    names: Sequence[str] = chains.chain_names(session)
    drawn = list(names[:-1]) if len(names) > 1 else list(names)
    taken: set[str] = set()
    for name in drawn:
        chain_id = chains.create_chain(session, analyst, name)
        chains.set_links(session, analyst, chain_id, _links(name))
        leader = make_name(rng, (rng.choice(TARGET_WORDS),), joint_stock=True, taken=taken)
        chains.add_leader(session, analyst, chain_id, leader)
    held = {name: [lk for lk in _links(name) if (name, lk) not in EMPTY_LINKS] for name in drawn}
    listed = enterprises.search_enterprises(session, SYSTEM, limit=1000)
    for i, e in enumerate(sorted(listed.items, key=lambda x: x.uscc)):
        if i % 2 and drawn:  # about half the zone's enterprises are placed on a chain
            chain = drawn[i % len(drawn)]
            link = rng.choice(held[chain]) if rng.random() < 0.85 else None
            chains.tag_enterprise(session, analyst, e.uscc, chain, link)
    for row in projects.visible_rows(session, SYSTEM):
        if row.industry_chain in held:
            chains.set_project_link(
                session, analyst, row.code, row.industry_chain, rng.choice(held[row.industry_chain])
            )
    followers = [name for _, name in chains.followers(session)]
    kinds = ("head", "leader", "zjtx", "little_giant", "chain_leader")
    for _ in range(n_targets):
        on = rng.choice(drawn) if drawn else None
        word = rng.choice(TARGET_WORDS)
        chains.create_target(
            session,
            analyst,
            TargetWrite(
                name=make_name(rng, (word,), joint_stock=rng.random() < 0.5, taken=taken),
                kind=rng.choice(kinds),
                chain=on,
                link=rng.choice(_links(on)) if on else None,
                headquarters=rng.choice(HEADQUARTERS),
                revenue=float(rng.randint(2, 800) * 1000),
                employees=rng.randint(80, 20000),
                source=rng.choice(SOURCES),
                tags="、".join(rng.sample(TAGS, rng.randint(0, 2))) or None,
                follower=rng.choice(followers) if followers and rng.random() < 0.8 else None,
            ),
        )
