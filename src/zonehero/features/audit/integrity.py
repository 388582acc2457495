"""Checking the audit log's chain (``zonehero audit verify``) and purging entries past retention (``audit purge``).

A purge is the one way rows leave the log, and it keeps the chain verifiable:

1. the date must lie before the retention period (``ZONEHERO_AUDIT_RETENTION_DAYS``, at least 180 days, the
   six months of 网络安全法 §21); otherwise it is refused;
2. under the chain's lock it appends a checkpoint entry (``audit.purge``) naming the last entry to go, its id and
   its hash;
3. it moves the chain head's *anchor* to that entry (a trigger refuses any anchor no checkpoint names, or one that
   moves back);
4. it deletes the entries up to the anchor (the delete trigger lets a row go only at or below the anchor and
   only when it is older than 180 days by the database's own clock).

What remains starts with an entry whose ``prev_hash`` is the anchor's hash, and :func:`verify` checks that the
checkpoint is there.
"""

from __future__ import annotations

from datetime import date, timedelta

from sqlalchemy.orm import Session

from zonehero.clock import today
from zonehero.errors import InputError, InputProblem
from zonehero.features.audit import repository
from zonehero.features.audit.chain import PURGE_ACTION, ChainCheck, ChainState
from zonehero.features.audit.schemas import PurgeReport, VerifyReport
from zonehero.features.audit.service import day_start, record, require_keeper
from zonehero.features.roles import Actor

MIN_RETENTION_DAYS = 180
"""The floor of the retention period; the delete trigger enforces the same number of days."""
_CATCH_UP_ROUNDS = 5


def verify(session: Session, actor: Actor) -> VerifyReport:
    """Walk the whole chain; the first row that does not verify, or none.

    Entries appended while the walk runs (people keep logging in) are checked too before the end is compared
    with the head, so a busy server does not read as a broken chain.
    """
    require_keeper(actor)
    head = repository.read_head(session)
    check = ChainCheck(head.anchor_id, head.anchor_hash)

    def walk(after: int) -> VerifyReport | None:
        for row in repository.in_order(session, repository.Filters(), after_id=after):
            broken = check.feed(row)
            if broken is not None:
                return _report(check.checked, head, broken.entry_id, str(broken))
        return None

    failed = walk(0)
    if failed is not None:
        return failed
    for _ in range(_CATCH_UP_ROUNDS):
        head = repository.read_head(session)
        if check.last_id is None or head.last_id is None or head.last_id <= check.last_id:
            break
        failed = walk(check.last_id)
        if failed is not None:
            return failed
    broken = check.finish(head)
    if broken is not None:
        return _report(check.checked, head, broken.entry_id, str(broken))
    return _report(check.checked, head, None, None)


def _report(checked: int, head: ChainState, bad: int | None, problem: str | None) -> VerifyReport:
    return VerifyReport(
        ok=problem is None,
        checked=checked,
        head_id=head.last_id,
        head_hash=head.last_hash,
        anchor_id=head.anchor_id,
        first_bad_id=bad,
        problem=problem,
    )


def earliest_purge_date(retention_days: int) -> date:
    """The latest ``--before`` a purge accepts today: entries of the last ``retention_days`` days stay."""
    return today() - timedelta(days=max(retention_days, MIN_RETENTION_DAYS))


def purge(session: Session, actor: Actor, before: date, *, retention_days: int) -> PurgeReport:
    """Remove the entries written before the zone's day ``before`` (InputError for a day inside the retention
    period); the entries that stay still verify. Nothing to remove records nothing."""
    require_keeper(actor)
    latest = earliest_purge_date(retention_days)
    if before > latest:
        days = max(retention_days, MIN_RETENTION_DAYS)
        raise InputError(
            InputProblem(
                f"审计记录至少保留 {days} 天，不能清理 {latest.isoformat()} 及以后的记录"
                f"（所给日期 {before.isoformat()} 在保留期内）"
            )
        )
    repository.lock_head(session)
    prefix = repository.purgeable_prefix(session, day_start(before))
    if prefix is None:
        return PurgeReport(before=before, removed=0)
    through_id, through_hash, count = prefix
    checkpoint = record(
        session,
        actor,
        PURGE_ACTION,
        "audit_log",
        through_id,
        after={
            "purged_before": before.isoformat(),
            "count": count,
            "through_id": through_id,
            "through_hash": through_hash,
        },
    )
    repository.move_anchor(session, through_id, through_hash)
    removed = repository.delete_through(session, through_id)
    return PurgeReport(before=before, removed=removed, through_id=through_id, checkpoint_id=checkpoint)
