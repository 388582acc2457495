"""Every action the code records has a Chinese label, so the audit page and its export never show a bare code.

The actions are read from the source: every call of the audit service's ``record``/``record_read``, with the
action given as a literal, a constant, or a local variable set from literals.
"""

from __future__ import annotations

import ast
import functools
from pathlib import Path

from zonehero.features.audit.labels import ACTION_LABELS, ENTITY_LABELS, changes

SOURCE = Path(__file__).resolve().parents[2] / "src" / "zonehero"
RECORDERS = {"record", "record_read"}


def _literals(node: ast.expr | None, names: dict[str, list[str]]) -> list[str] | None:
    """The strings ``node`` can be, None when it is not made of literals and known names."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return [node.value]
    if isinstance(node, ast.IfExp):
        body, orelse = _literals(node.body, names), _literals(node.orelse, names)
        return None if body is None or orelse is None else body + orelse
    if isinstance(node, ast.Name) and node.id in names:
        return names[node.id]
    return None


def _assignments(tree: ast.AST) -> dict[str, list[str]]:
    found: dict[str, list[str]] = {}
    for node in ast.walk(tree):
        if isinstance(node, ast.Assign | ast.AnnAssign) and node.value is not None:
            targets = node.targets if isinstance(node, ast.Assign) else [node.target]
            values = _literals(node.value, {})
            for target in targets:
                if isinstance(target, ast.Name) and values is not None:
                    found.setdefault(target.id, []).extend(values)
    return found


def _is_recorder(call: ast.Call) -> bool:
    func = call.func
    if isinstance(func, ast.Attribute):
        return func.attr in RECORDERS and isinstance(func.value, ast.Name) and func.value.id == "audit"
    return isinstance(func, ast.Name) and func.id in RECORDERS


@functools.cache
def recorded() -> tuple[dict[str, list[str]], dict[str, list[str]], list[str]]:
    """Actions and entities recorded, each with where; and the calls whose action is not made of literals.

    Read once per test process (the three tests below ask the same question of the same source).
    """
    modules = {path: ast.parse(path.read_text("utf-8")) for path in SOURCE.rglob("*.py")}
    constants: dict[str, list[str]] = {}
    for tree in modules.values():
        for node in tree.body:  # module-level names (PURGE_ACTION …)
            constants.update(_assignments(ast.Module(body=[node], type_ignores=[])))
    actions: dict[str, list[str]] = {}
    entities: dict[str, list[str]] = {}
    unknown: list[str] = []
    for path, tree in modules.items():
        for function in ast.walk(tree):
            if not isinstance(function, ast.FunctionDef):
                continue
            local = {**constants, **_assignments(function)}
            for call in ast.walk(function):
                if not (isinstance(call, ast.Call) and _is_recorder(call)):
                    continue
                where = f"{path.relative_to(SOURCE)}:{call.lineno}"
                keywords = {k.arg: k.value for k in call.keywords}
                action = call.args[2] if len(call.args) > 2 else keywords.get("action")
                entity = call.args[3] if len(call.args) > 3 else keywords.get("entity")
                values = _literals(action, local)
                if values is None:
                    if isinstance(action, ast.Name) and path.parent.name == "audit":
                        continue  # inside the audit service: record_read passing its parameter on
                    unknown.append(where)
                    continue
                for value in values:
                    actions.setdefault(value, []).append(where)
                for value in _literals(entity, local) or []:
                    entities.setdefault(value, []).append(where)
    return actions, entities, unknown


def test_the_source_is_read() -> None:
    actions, entities, _ = recorded()
    assert {"login.failed", "document.download", "audit.purge", "logout", "user.locked"} <= set(actions)
    assert {"user", "evaluation_run"} <= set(entities)


def test_every_recorded_action_has_a_label() -> None:
    actions, _, unknown = recorded()
    assert unknown == [], "give these calls a literal action (or a local set from literals) so it can be labelled"
    missing = {action: where for action, where in actions.items() if action not in ACTION_LABELS}
    assert missing == {}, "add these actions to zonehero.features.audit.labels.ACTION_LABELS"


def test_every_recorded_object_has_a_label() -> None:
    _, entities, _ = recorded()
    missing = {entity: where for entity, where in entities.items() if entity not in ENTITY_LABELS}
    assert missing == {}, "add these objects to zonehero.features.audit.labels.ENTITY_LABELS"


def test_changes_read_as_words() -> None:
    assert [(c.field, c.before, c.after) for c in changes({"role": "leader"}, {"role": "audit_admin"})] == [
        ("角色", "领导", "审计管理员")
    ]
    created = changes(None, {"document": "annual_report", "enterprises": 300})
    assert [(c.field, c.after) for c in created] == [("文书", "年度评价报告"), ("企业数", "300")]
    unchanged_left_out = changes({"status": "draft", "year": 2024}, {"status": "notice", "year": 2024})
    assert [c.field for c in unchanged_left_out] == ["状态"]
    nested = changes({"values": {"tax_total": 1}}, {"values": {"tax_total": 2}})
    assert len(nested) == 1 and nested[0].before == "1" and nested[0].after == "2" and "·" in nested[0].field
