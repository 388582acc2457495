"""What the audit log says in Chinese: every action and object as words, before/after as a list of changes.

Every action string passed to :func:`zonehero.features.audit.service.record` has a label here (a test reads the
source for every ``record`` call and fails on a missing one), so the page and the export never show a bare code.
An unknown field or value falls back to its code: a new snapshot key still shows, only less prettily.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from zonehero.core.domain.fields import FIELDS_BY_KEY
from zonehero.core.domain.labels import OBJECTION_STATUS_LABELS, RUN_STATUS_LABELS
from zonehero.core.investment.clocks import ACTIVITY_LABELS as _ACTIVITY_NAMES
from zonehero.core.investment.leads import STAGE_LABELS as _LEAD_STAGE_NAMES
from zonehero.core.schedule.model import DifficultyCategory, DifficultyStatus
from zonehero.features.roles import ROLE_LABELS

ACTION_LABELS: dict[str, str] = {
    # Security events (安全事件)
    "login.success": "登录成功",
    "login.failed": "登录失败",
    "logout": "退出登录",
    "login.throttled": "来源地址暂停登录",
    "user.locked": "账户锁定",
    "session.end": "会话结束",
    "user.create": "创建账户",
    "user.set_password": "修改密码",
    "user.set_active": "启用/停用账户",
    "user.set_role": "变更角色",
    # Reads of confidential data in bulk (批量读取敏感数据)
    "document.download": "下载文书",
    "export.download": "导出数据",
    "evidence.download": "下载异议证明材料",
    "photo.view": "查看项目现场照片",
    "api.read": "接口批量读取",
    "job.download": "下载后台任务结果",
    # The audit log itself (审计日志)
    "audit.read": "查看审计日志",
    "audit.export": "导出审计日志",
    "audit.purge": "清理过期审计日志",
    # Backup and restore (备份与恢复)
    "backup.create": "备份数据",
    "backup.restore": "从备份恢复数据",
    # Business changes (业务操作)
    "import.preview": "上传部门数据（预览）",
    "import.confirm": "确认导入",
    "import.discard": "放弃导入",
    "figures.import": "写入企业数据",
    "figure.correct": "更正企业数据",
    "scheme.seed": "载入默认评价方案",
    "scheme.create": "新建评价方案",
    "scheme.save_version": "保存评价方案新版本",
    "run.create": "新建评价批次",
    "run.publish": "发布公示",
    "run.supersede": "被更正批次取代",
    "run.finalize": "定稿",
    "run.delete": "删除评价草稿",
    "objection.file": "提出异议",
    "objection.accept": "采纳异议",
    "objection.reject": "驳回异议",
    "goal.create": "新建目标",
    "goal.update": "修改目标",
    "goal.delete": "删除目标",
    "goal.actual": "填报目标完成值",
    "goal.actual_delete": "删除目标完成值",
    "project.create": "新建项目",
    "project.update": "修改项目",
    "project.milestone": "更新项目节点",
    "project.year_plan": "设置年度计划投资",
    "progress.create": "填报项目进度",
    "progress.update": "修改项目进度",
    "progress.photo": "上传项目现场照片",
    "difficulty.create": "登记项目困难问题",
    "difficulty.update": "更新项目困难问题",
    "schedule.close": "关账（月度调度）",
    "investment.lead.create": "报送招商线索",
    "investment.lead.move": "推进招商线索",
    "investment.lead.activity": "记录招商线索走访/会谈",
    "investment.lead.sign": "招商线索签约入库",
    "investment.lead.import": "导入招商线索",
    "zone.update": "修改开发区设置",
    "job.submit": "提交后台任务",
    "job.cancel": "取消后台任务",
    "job.retry": "重试后台任务",
}

ENTITY_LABELS: dict[str, str] = {
    "user": "账户",
    "session": "会话",
    "audit_log": "审计日志",
    "database": "数据库",
    "evaluation_run": "评价批次",
    "enterprise": "企业",
    "enterprise_list": "企业名单",
    "cultivation": "梯度培育",
    "objection": "异议",
    "objection_file": "异议证明材料",
    "import_batch": "导入批次",
    "scheme": "评价方案",
    "zone_goal": "目标",
    "project": "项目",
    "project_photo": "项目现场照片",
    "difficulty": "困难问题",
    "schedule_month": "调度月份",
    "investment_lead": "招商线索",
    "zone_profile": "开发区设置",
    "job": "后台任务",
}

FIELD_LABELS: dict[str, str] = {
    "username": "用户名",
    "role": "角色",
    "enterprise_uscc": "关联企业代码",
    "unit_name": "单位名称",
    "active": "启用",
    "reason": "原因",
    "failed_logins": "连续失败次数",
    "locked_until": "锁定至",
    "status": "状态",
    "answer": "答复",
    "new_run_id": "新批次",
    "figure_changes": "数据更正",
    "notice_start": "公示开始",
    "notice_end": "公示结束",
    "superseded_by_id": "被取代于批次",
    "year": "年度",
    "month": "月份",
    "run_id": "评价批次",
    "uscc": "统一社会信用代码",
    "text": "内容",
    "files": "文件",
    "file": "文件",
    "name": "名称",
    "version": "版本",
    "digest": "摘要",
    "note": "备注",
    "key": "指标",
    "label": "名称",
    "value": "数值",
    "values": "数值",
    "unit": "单位",
    "direction": "方向",
    "kind": "类型",
    "source": "来源",
    "plan": "计划投资",
    "photo": "照片",
    "sha256": "SHA-256",
    "flagged": "预警项目数",
    "projects": "项目数",
    "project": "项目编号",
    "objection_id": "异议",
    "changed_values": "变化的数值",
    "timezone": "时区",
    "industry_chains": "产业链",
    "notice_period": "公示期（天）",
    "notice_working_days": "按工作日计",
    "parameters": "参数",
    "document": "文书",
    "export": "导出内容",
    "format": "格式",
    "enterprises": "企业数",
    "rows": "行数",
    "endpoint": "接口",
    "page": "页码",
    "from": "起始日期",
    "to": "截止日期",
    "entries": "记录条数",
    "through_id": "清理至记录",
    "through_hash": "清理至记录的哈希",
    "purged_before": "清理此日期之前",
    "count": "条数",
    "filters": "筛选条件",
    "action": "操作",
    "actor_name": "操作人",
    "tables": "数据表数",
    "created_at": "备份时间",
    "entity": "对象",
    "entity_id": "对象编号",
    "temporary": "临时密码",
    "session": "会话",
    "since": "登录时间",
    "origin": "来源地址",
    "address": "来源地址",
    "blocked_until": "暂停登录至",
    # 问题清单 (a project's difficulty, zonehero.features.projects.convert.difficulty_json)
    "id": "编号",
    "project_code": "项目编号",
    "description": "问题描述",
    "category": "类别",
    "raised_on": "提出日期",
    "owner_unit": "责任单位",
    "deadline": "办结时限",
    "resolution": "办理结果",
    "resolved_on": "办结日期",
    # 招商线索 (zonehero.features.investment.service)
    "investor": "投资方",
    "investor_uscc": "投资方统一社会信用代码",
    "project_name": "拟建项目",
    "investment": "拟投资额",
    "chain": "产业链",
    "reporter": "报送人",
    "reported_on": "报送日期",
    "lead_stage": "阶段",
    "activity": "记录类型",
    "owner": "跟进人",
    "signed_on": "签约日期",
    "contract_investment": "合同投资额",
    "counted_investment": "计入新签约投资",
    "landed_on": "落地日期",
    "end_reason": "终止或退回原因",
    "duplicate_of": "重复线索（首报）",
    "happened_on": "日期",
    "staff": "参与人员",
    "counterpart": "对方人员",
    "outcome": "结果",
    # 项目 (a project's record, zonehero.features.projects.convert.row_json)
    "code": "项目编号",
    "industry_chain": "产业链",
    "total_investment": "总投资",
    "land_mu": "用地（亩）",
    "leader": "包挂领导",
    "contact": "联系人",
    "added_date": "入库日期",
    "planned_sign_date": "计划签约日期",
    "actual_sign_date": "实际签约日期",
    "planned_start_date": "计划开工日期",
    "actual_start_date": "实际开工日期",
    "planned_production_date": "计划投产日期",
    "actual_production_date": "实际投产日期",
    "counted_in_statistics": "纳统",
    "year_plan": "年度计划投资",
}

DOCUMENT_LABELS: dict[str, str] = {
    "annual_report": "年度评价报告",
    "result_notice": "评价结果告知书",
    "notices_zip": "评价结果告知书（全部）",
    "public_list": "公示名单",
    "briefing": "调度简报",
    "run_results": "评价结果表",
    "enterprise_list": "企业名单",
    "cultivation": "梯度培育表",
    "audit_log": "审计日志",
}

REASON_LABELS: dict[str, str] = {
    "unknown_user": "用户不存在",
    "inactive": "账户已停用",
    "locked": "账户锁定中",
    "wrong_password": "密码错误",
    "throttled": "来源地址登录失败过多",
    # Why a session ended (会话结束原因: zonehero.features.users.sessions.END_REASONS)
    "logout": "退出登录",
    "idle": "空闲超时",
    "expired": "超过会话有效期",
    "disabled": "账户已停用",
    "password_change": "修改了密码",
    "password_reset": "管理员重置了密码",
    "role_change": "角色已变更",
    "ended_by_admin": "安全管理员结束了会话",
}

_VALUE_LABELS: dict[str, dict[str, str]] = {
    "role": {role.value: label for role, label in ROLE_LABELS.items()},
    "reason": REASON_LABELS,
    "document": DOCUMENT_LABELS,
    "export": DOCUMENT_LABELS,
    # A status key is a run's, an objection's or a difficulty's; their codes do not collide but for "open"
    # (待处理 either way).
    "status": RUN_STATUS_LABELS | {s.value: s.label for s in DifficultyStatus} | OBJECTION_STATUS_LABELS,
    "category": {c.value: c.label for c in DifficultyCategory},
    "lead_stage": {stage.value: label for stage, label in _LEAD_STAGE_NAMES.items()},
    "activity": _ACTIVITY_NAMES,
}


def action_label(action: str) -> str:
    return ACTION_LABELS.get(action, action)


def entity_label(entity: str) -> str:
    return ENTITY_LABELS.get(entity, entity)


def field_label(key: str) -> str:
    """A snapshot key in words: this registry first, then the input field registry (figure corrections)."""
    parts = key.split(".")
    return " · ".join(FIELD_LABELS.get(p) or (f.label if (f := FIELDS_BY_KEY.get(p)) else p) for p in parts)


def value_text(key: str, value: Any) -> str:
    """One value as a person reads it: 是/否, a role's name, lists joined, nothing as an empty string."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, str):
        return _VALUE_LABELS.get(key.rsplit(".", 1)[-1], {}).get(value, value)
    if isinstance(value, list) and all(isinstance(v, str | int | float) for v in value):
        return "、".join(str(v) for v in value)
    if isinstance(value, dict | list):
        return json.dumps(value, ensure_ascii=False, default=str)
    return str(value)


@dataclass(frozen=True)
class Change:
    """One field of an entry: its label, the value before and after (text; "" for none)."""

    field: str
    before: str
    after: str


def _flat(value: Any, prefix: str = "") -> dict[str, Any]:
    """A snapshot as ``{dotted key: value}``, nested dicts opened one level at a time."""
    if not isinstance(value, dict):
        return {prefix or "value": value}
    flat: dict[str, Any] = {}
    for key, inner in value.items():
        name = f"{prefix}.{key}" if prefix else str(key)
        if isinstance(inner, dict) and inner:
            flat.update(_flat(inner, name))
        else:
            flat[name] = inner
    return flat


def changes(before: Any, after: Any) -> list[Change]:
    """What changed between two snapshots, field by field (a created thing lists its fields with nothing
    before, a deleted one with nothing after; a field equal on both sides is left out)."""
    old = {} if before is None else _flat(before)
    new = {} if after is None else _flat(after)
    keys = list(old) + [k for k in new if k not in old]
    return [
        Change(field_label(k), value_text(k, old.get(k)), value_text(k, new.get(k)))
        for k in keys
        if before is None or after is None or old.get(k) != new.get(k)
    ]
