"""The hash chain of the audit log (防篡改): how an entry's hash is computed and how a chain is checked.

Each entry stores ``prev_hash`` (the hash of the entry before it, in id order) and ``hash``, the SHA-256 of a
canonical serialisation of its own fields plus ``prev_hash``: JSON with sorted keys, no spaces, UTF-8. Changing
any field of a row changes its hash; deleting or moving a row breaks the next row's ``prev_hash``; deleting the
newest rows leaves the chain head (``audit_chain_head``) pointing at a row that is gone. The migration that
introduced the chain (0008) uses these same functions, so the rows it chained verify like any other.

The first entry follows :data:`GENESIS`. After a purge the first remaining entry follows the purged entry's hash,
which the chain head keeps as its *anchor* and the purge's checkpoint entry records.

Plain SHA-256 without a key: it shows a change made by anyone who does not recompute every later hash. Someone
with full write access to the database can recompute them; writing down the head hash that
``zonehero audit verify`` prints (in the operations log, off this server) closes that door.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

GENESIS = "0" * 64
"""The ``prev_hash`` of the very first entry."""

HASHED_FIELDS: tuple[str, ...] = (
    "at",
    "actor_id",
    "actor_name",
    "action",
    "entity",
    "entity_id",
    "before",
    "after",
    "origin",
    "user_agent",
    "prev_hash",
)
"""What the hash covers: every column but ``id`` (the position is covered by ``prev_hash``) and ``hash`` itself."""


def json_safe(value: Any) -> Any:
    """``value`` as it reads back from a JSON column (tuples become lists, dates text), so the hash made before
    the write equals the hash of what is stored."""
    if value is None:
        return None
    return json.loads(json.dumps(value, ensure_ascii=False, default=str))


def _timestamp(at: datetime | None) -> str:
    if at is None or at.tzinfo is None:
        raise ValueError("audit time without a time zone")
    return at.astimezone(UTC).isoformat(timespec="microseconds")


def canonical(fields: dict[str, Any]) -> bytes:
    """The bytes that are hashed: the :data:`HASHED_FIELDS` of ``fields`` as sorted-key compact JSON."""
    document = {name: fields.get(name) for name in HASHED_FIELDS}
    document["at"] = _timestamp(document["at"])
    return json.dumps(document, sort_keys=True, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


def entry_hash(fields: dict[str, Any]) -> str:
    """The SHA-256 (hex) of :func:`canonical`."""
    return hashlib.sha256(canonical(fields)).hexdigest()


@dataclass(frozen=True)
class Break:
    """The first row that does not verify, and why (in Chinese, for the operator)."""

    entry_id: int | None
    reason: str

    def __str__(self) -> str:
        where = f"第 {self.entry_id} 条记录" if self.entry_id is not None else "审计日志"
        return f"{where}：{self.reason}"


@dataclass(frozen=True)
class ChainState:
    """What the chain head says: the newest entry and the anchor left by the last purge."""

    last_id: int | None
    last_hash: str
    anchor_id: int | None
    anchor_hash: str


PURGE_ACTION = "audit.purge"
"""The checkpoint entry a purge appends: its ``after`` names the last purged entry (``through_id``,
``through_hash``), which the chain head's anchor must match."""


def _is_checkpoint_of(row: dict[str, Any], head: ChainState) -> bool:
    after = row.get("after")
    return (
        row["action"] == PURGE_ACTION
        and isinstance(after, dict)
        and after.get("through_id") == head.anchor_id
        and after.get("through_hash") == head.anchor_hash
    )


class ChainCheck:
    """Checks a chain row by row (feed the rows in id order, then :meth:`finish` with the head).

    Kept as a walker rather than one function so the caller can read the rows in batches and, when the head has
    moved on while it read (someone logged in meanwhile), feed the newer rows before finishing.
    """

    def __init__(self, anchor_id: int | None, anchor_hash: str) -> None:
        self.anchor_id = anchor_id
        self.anchor_hash = anchor_hash
        self.last_id: int | None = None
        self.last_hash = anchor_hash
        self.checked = 0
        self._checkpoint_seen = anchor_id is None

    def feed(self, row: dict[str, Any]) -> Break | None:
        """The break at ``row``, None when it follows the rows before it."""
        self.checked += 1
        if self.anchor_id is not None and row["id"] <= self.anchor_id:
            return Break(row["id"], "位于已清理的范围内，却仍在日志中（清理记录与日志不符）")
        if row["prev_hash"] != self.last_hash:
            return Break(row["id"], "与前一条记录接不上：其前面的记录被删除、调换了顺序或被改动过（prev_hash 不符）")
        if entry_hash(row) != row["hash"]:
            return Break(row["id"], "内容在写入后被改动过（哈希值不符）")
        if not self._checkpoint_seen:
            after = row.get("after")
            self._checkpoint_seen = (
                row["action"] == PURGE_ACTION
                and isinstance(after, dict)
                and after.get("through_id") == self.anchor_id
                and after.get("through_hash") == self.anchor_hash
            )
        self.last_id, self.last_hash = row["id"], row["hash"]
        return None

    def finish(self, head: ChainState) -> Break | None:
        """The break at the end: the newest rows gone, the head not matching, a purge without its checkpoint."""
        if head.anchor_id != self.anchor_id or head.anchor_hash != self.anchor_hash:
            return Break(head.anchor_id, "清理锚点在检查期间发生变化，请重新检查")
        if self.last_id != head.last_id or self.last_hash != head.last_hash:
            if head.last_id is not None and (self.last_id is None or head.last_id > self.last_id):
                shown = "没有记录" if self.last_id is None else f"最后一条是第 {self.last_id} 条"
                return Break(head.last_id, f"已缺失：日志中{shown}，链头却记到第 {head.last_id} 条（末尾的记录被删除）")
            return Break(self.last_id, "不是链头记下的最后一条记录（它是绕过审计服务写入的，或链头被改动过）")
        if not self._checkpoint_seen:
            return Break(self.anchor_id, "之前的记录已被清理，但日志中没有与之相符的清理记录（audit.purge）")
        return None


PURGE_ACTION = "audit.purge"
"""The checkpoint entry a purge appends: its ``after`` names the last purged entry (``through_id``,
``through_hash``), which the chain head's anchor must match."""
