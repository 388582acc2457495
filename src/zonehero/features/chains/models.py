"""Tables of the industry chains (产业链), their links (环节), 链主, enterprise tags and the target library.

A chain record is keyed by its name, which is one of the zone profile's ``industry_chains`` (园区概况): the
profile stays the one list of chain names; a record adds what a name alone cannot hold (links, 链主).
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import CheckConstraint, Double, ForeignKey, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from zonehero.clock import utcnow
from zonehero.db.base import Base, UTCDateTime

TARGET_KINDS = ("head", "leader", "zjtx", "little_giant", "chain_leader", "other")
"""头部企业、行业领军企业、专精特新、小巨人、链主、其他."""


class IndustryChain(Base):
    """One chain of the zone (e.g. 新能源), named as in the zone profile."""

    __tablename__ = "industry_chains"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(64), unique=True)
    note: Mapped[str | None] = mapped_column(String(500))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    links: Mapped[list[ChainLink]] = relationship(
        back_populates="chain",
        lazy="raise",
        order_by="(ChainLink.position, ChainLink.id)",
        cascade="all, delete-orphan",
        passive_deletes=True,
    )
    leaders: Mapped[list[ChainLeader]] = relationship(
        lazy="raise", order_by="ChainLeader.id", cascade="all, delete-orphan", passive_deletes=True
    )


class ChainLink(Base):
    """A link (环节) of a chain; ``position`` orders them upstream (small) to downstream (large)."""

    __tablename__ = "chain_links"
    __table_args__ = (UniqueConstraint("chain_id", "name"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    chain_id: Mapped[int] = mapped_column(ForeignKey("industry_chains.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(64))
    position: Mapped[int] = mapped_column(Integer)

    chain: Mapped[IndustryChain] = relationship(back_populates="links", lazy="raise")


class ChainLeader(Base):
    """A 链主 enterprise of a chain, by name (and USCC when known; it need not be in the zone)."""

    __tablename__ = "chain_leaders"
    __table_args__ = (UniqueConstraint("chain_id", "name"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    chain_id: Mapped[int] = mapped_column(ForeignKey("industry_chains.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(200))
    uscc: Mapped[str | None] = mapped_column(String(18))


class EnterpriseChainTag(Base):
    """A zone enterprise placed on a chain (and a link of it): one tag per enterprise and chain."""

    __tablename__ = "enterprise_chain_tags"
    __table_args__ = (UniqueConstraint("uscc", "chain_id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    uscc: Mapped[str] = mapped_column(ForeignKey("enterprises.uscc", ondelete="CASCADE"), index=True)
    chain_id: Mapped[int] = mapped_column(ForeignKey("industry_chains.id", ondelete="CASCADE"), index=True)
    link_id: Mapped[int | None] = mapped_column(ForeignKey("chain_links.id", ondelete="SET NULL"), index=True)


class TargetFirm(Base):
    """A firm of the target library (目标企业库): one the zone means to attract, not (yet) in the zone."""

    __tablename__ = "target_firms"
    __table_args__ = (
        CheckConstraint(f"kind IN ({', '.join(repr(k) for k in TARGET_KINDS)})", name="kind_known"),
        UniqueConstraint("name"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    uscc: Mapped[str | None] = mapped_column(String(18))
    kind: Mapped[str] = mapped_column(String(16), index=True)
    chain_id: Mapped[int | None] = mapped_column(ForeignKey("industry_chains.id", ondelete="SET NULL"), index=True)
    link_id: Mapped[int | None] = mapped_column(ForeignKey("chain_links.id", ondelete="SET NULL"), index=True)
    headquarters: Mapped[str | None] = mapped_column(String(100))
    revenue: Mapped[float | None] = mapped_column(Double)
    """营业收入, 万元."""
    employees: Mapped[int | None] = mapped_column(Integer)
    source: Mapped[str | None] = mapped_column(String(100))
    tags: Mapped[str | None] = mapped_column(String(300))
    """Comma-separated (、 or ,) free tags."""
    follower_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"), index=True)
    note: Mapped[str | None] = mapped_column(String(500))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
