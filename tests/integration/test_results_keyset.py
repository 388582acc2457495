"""Keyset paging of a run's results: 下一页 seeks after the last row instead of skipping every row before it.

Walking a run page by page with cursors gives exactly the rows OFFSET paging gives, in every order and with
filters; a forged cursor is an input error; the seek is served by the order's index (no sort, no scan).
"""

from __future__ import annotations

import pytest
from sqlalchemy import event, func, select, text, tuple_
from sqlalchemy.orm import Session

from zonehero.errors import InputError
from zonehero.features.roles import Actor
from zonehero.features.runs import cursor, repository
from zonehero.features.runs import service as runs
from zonehero.features.runs.models import RunResult
from zonehero.features.runs.schemas import RunRead

ORDERS = ("rank", "score", "name", "uscc")


@pytest.mark.parametrize("order", ORDERS)
@pytest.mark.parametrize("group", [None, "above"])
def test_walking_with_cursors_gives_the_offset_pages(
    db: Session, analyst: Actor, draft: RunRead, order: str, group: str | None
) -> None:
    everything = [r.uscc for r in runs.list_results(db, analyst, draft.id, order=order, group=group, limit=None).items]
    walked: list[str] = []
    after: str | None = None
    for number in range(1, 20):
        page = runs.list_results(db, analyst, draft.id, order=order, group=group, limit=3, after=after)
        by_offset = runs.list_results(db, analyst, draft.id, order=order, group=group, limit=3, offset=(number - 1) * 3)
        assert [r.uscc for r in page.items] == [r.uscc for r in by_offset.items]
        walked += [r.uscc for r in page.items]
        if not page.items:
            break
        after = page.next_cursor
    assert walked == everything and len(set(walked)) == len(walked) > 3


@pytest.mark.parametrize(
    "token",
    [
        "%%%",
        "bm90IGpzb24",
        cursor.encode([1, 2]),
        cursor.encode([[1], "a"]),
        cursor.encode([None, "a"]),
        cursor.encode([True, "a"]),
        "A" * 600,
    ],
)
def test_a_forged_cursor_is_an_input_error(db: Session, analyst: Actor, draft: RunRead, token: str) -> None:
    with pytest.raises(InputError, match="分页游标无效"):
        runs.list_results(db, analyst, draft.id, order="name", limit=3, after=token)


def test_a_cursor_round_trips() -> None:
    key = (True, "above", False, 3, "91350100M000100Y43")
    assert cursor.decode(cursor.encode(key), (bool, str, bool, int, str)) == key


@pytest.mark.parametrize(
    ("order", "index"),
    [
        ("rank", "ix_run_results_rank_order"),
        ("score", "ix_run_results_score_order"),
        ("name", "ix_run_results_name_order"),
    ],
)
def test_each_order_pages_and_seeks_through_its_index(db: Session, draft: RunRead, order: str, index: str) -> None:
    keys = repository.ORDERS[order]
    first = db.execute(select(*keys).where(repository.RunResult.run_id == draft.id).order_by(*keys).limit(1)).one()
    for stmt in (
        select(repository.RunResult.id)
        .where(repository.RunResult.run_id == draft.id)
        .order_by(*keys)
        .limit(50)
        .offset(5),
        select(repository.RunResult.id)
        .where(repository.RunResult.run_id == draft.id, tuple_(*keys) > tuple_(*first))
        .order_by(*keys)
        .limit(50),
    ):
        sql = str(stmt.compile(dialect=db.get_bind().dialect, compile_kwargs={"literal_binds": True}))
        if db.get_bind().dialect.name == "postgresql":
            # A 20-row table is cheaper to scan and sort: forbid both, so the plan shows whether the index serves.
            for setting in ("enable_seqscan", "enable_bitmapscan", "enable_sort"):
                db.execute(text(f"SET LOCAL {setting} = off"))
            plan = "\n".join(db.scalars(text(f"EXPLAIN {sql}")))
            assert index in plan and "Sort" not in plan, plan
        else:
            plan = "\n".join(str(row[-1]) for row in db.execute(text(f"EXPLAIN QUERY PLAN {sql}")))
            assert index in plan and "TEMP B-TREE" not in plan, plan


def test_an_unfiltered_page_takes_its_total_from_the_run_and_a_filtered_one_counts(
    db: Session, analyst: Actor, draft: RunRead
) -> None:
    statements: list[str] = []

    def seen(_conn: object, _cursor: object, statement: str, *_args: object) -> None:
        statements.append(statement)

    engine = db.get_bind()
    event.listen(engine, "before_cursor_execute", seen)
    try:
        whole = runs.list_results(db, analyst, draft.id, limit=3)
        counted = [s for s in statements if "count(" in s.lower()]
        statements.clear()
        class_a = runs.list_results(db, analyst, draft.id, class_="A", limit=3)
        filtered_counts = [s for s in statements if "count(" in s.lower()]
    finally:
        event.remove(engine, "before_cursor_execute", seen)
    assert (
        whole.total
        == draft.result_count
        == db.scalar(select(func.count()).select_from(RunResult).where(RunResult.run_id == draft.id))
    )
    assert not counted, "an unfiltered page counted the run's rows again"
    assert filtered_counts and class_a.total == db.scalar(
        select(func.count()).select_from(RunResult).where(RunResult.run_id == draft.id, RunResult.class_ == "A")
    )
    assert 0 < class_a.total < whole.total
    assert not repository.ResultFilter(run_id=draft.id, usccs=["x"]).whole_run  # an enterprise's own row: counted
