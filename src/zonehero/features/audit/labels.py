"""What the audit log says in Chinese: every action and object as words, before/after as a list of changes.

Every action string passed to :func:`zonehero.features.audit.service.record` has a label here (a test reads the
source for every ``record`` call and fails on a missing one), so the page and the export never show a bare code.
An unknown field or value falls back to its code: a new snapshot key still shows, only less prettily.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from zonehero.core.chains.importer import TARGET_KIND_LABELS
from zonehero.core.domain.fields import FIELDS_BY_KEY
from zonehero.core.domain.labels import IMPORT_STATUS_LABELS, OBJECTION_STATUS_LABELS, RUN_STATUS_LABELS
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
    "confirmation_evidence.download": "下载企业确认异议证明材料",
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
    "confirmation.open": "开启企业确认",
    "confirmation.confirm": "企业确认数据无误",
    "confirmation.dispute": "企业对数据提出异议（企业确认）",
    "confirmation.accept": "采纳企业确认异议",
    "confirmation.reject": "驳回企业确认异议",
    "goal.create": "新建目标",
    "goal.update": "修改目标",
    "goal.delete": "删除目标",
    "goal.actual": "填报目标完成值",
    "goal.actual_delete": "删除目标完成值",
    "chain.create": "建立产业链图谱",
    "chain.links": "修改产业链环节",
    "chain.leader_add": "添加链主企业",
    "chain.leader_delete": "删除链主企业",
    "chain.tag": "标注企业所属产业链环节",
    "chain.untag": "取消企业产业链标注",
    "chain.tag_import": "导入企业产业链标注",
    "chain.project_link": "设置项目所属环节",
    "target.create": "新增目标企业",
    "target.update": "修改目标企业",
    "target.delete": "删除目标企业",
    "target.import": "导入目标企业库",
    "project.create": "新建项目",
    "project.update": "修改项目",
    "project.milestone": "更新项目节点",
    "project.year_plan": "设置年度计划投资",
    "progress.create": "填报项目进度",
    "progress.update": "修改项目进度",
    "progress.photo": "上传项目现场照片",
    "difficulty.create": "登记项目困难问题",
    "difficulty.update": "更新项目困难问题",
    "lowland.build": "生成低效用地台账",
    "lowland_measure.create": "登记低效用地处置措施",
    "lowland_measure.update": "更新低效用地处置措施",
    "lowland_plan.create": "制定一企一方案",
    "lowland_plan.update": "更新一企一方案",
    "schedule.close": "关账（月度调度）",
    "investment.lead.create": "报送招商线索",
    "investment.lead.move": "推进招商线索",
    "investment.lead.activity": "记录招商线索走访/会谈",
    "investment.lead.sign": "招商线索签约入库",
    "investment.lead.payment": "登记招商项目到位资金",
    "investment.lead.import": "导入招商线索",
    "investment.activity_file.download": "下载招商线索走访/会谈附件",
    "zone.update": "修改开发区设置",
    "job.submit": "提交后台任务",
    "job.cancel": "取消后台任务",
    "job.retry": "重试后台任务",
    "collection.open": "开启数据归集",
    "collection.deadline": "修改报送截止日期",
    "collection.department_add": "添加报送部门",
    "collection.department_edit": "修改报送部门",
    "collection.submit": "部门报送数据",
    "collection.remind": "催办部门报送",
    "collection.token_create": "生成部门接口令牌",
    "collection.token_revoke": "吊销部门接口令牌",
    "parcel.create": "新增宗地",
    "parcel.update": "修改宗地",
    "parcel.delete": "删除宗地",
    "lease.create": "新增租赁",
    "lease.delete": "删除租赁",
    "land.import": "导入宗地与租赁",
    "lease.contract": "上传租赁合同",
    "lease.contract_download": "下载租赁合同",
    "land_notice.publish": "发布用地面积公示",
    "land_notice.close": "结束用地面积公示",
    "parcel.correct": "按用地公示异议更正宗地",
    "lease.correct": "按用地公示异议更正租赁",
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
    "confirmation_round": "企业确认轮次",
    "confirmation_dispute": "企业确认异议",
    "confirmation_file": "企业确认证明材料",
    "import_batch": "导入批次",
    "scheme": "评价方案",
    "zone_goal": "目标",
    "industry_chain": "产业链",
    "enterprise_chain_tag": "企业产业链标注",
    "target_firm": "目标企业",
    "project": "项目",
    "project_photo": "项目现场照片",
    "difficulty": "困难问题",
    "lowland_register": "低效用地台账",
    "lowland_measure": "低效用地处置措施",
    "lowland_plan": "一企一方案",
    "schedule_month": "调度月份",
    "investment_lead": "招商线索",
    "lead_activity_file": "招商线索走访/会谈附件",
    "investment_month": "招商月报月份",
    "zone_profile": "开发区设置",
    "job": "后台任务",
    "collection_round": "归集轮次",
    "collection_expectation": "部门报送事项",
    "collection_department": "报送部门",
    "collection_submission": "部门报送",
    "collection_token": "部门接口令牌",
    "parcel": "宗地",
    "lease": "租赁",
    "land_register": "宗地与租赁登记",
    "land_notice": "用地面积公示",
}

FIELD_LABELS: dict[str, str] = {
    "username": "用户名",
    "role": "角色",
    "enterprise_uscc": "关联企业代码",
    "unit_name": "单位名称",
    "department": "部门",
    "departments": "部门",
    "reminded_at": "催办时间",
    "fields": "数据项",
    "prefix": "令牌编号",
    "channel": "报送方式",
    "batch_id": "导入批次",
    "problems": "错误数",
    "enterprises_new": "新增企业",
    "enterprises_total": "企业总数",
    "figures_inserted": "新增数据项",
    "figures_updated": "更新数据项",
    "values_changed": "数值变化",
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
    # 企业确认 (zonehero.features.confirmation)
    "field": "数据项",
    "current": "原数值",
    "proposed": "企业主张数值",
    "resolved_value": "更正后数值",
    "disputes": "异议数据项",
    # 低效用地台账 and 一企一方案 (zonehero.features.lowland.service)
    "case_id": "台账案例",
    "done_on": "完成日期",
    "problem": "存在问题",
    "measures": "整改措施",
    "cases": "案例数",
    "plans": "方案数",
    "total_potential": "挖潜空间合计",
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
    "paid_on": "到位日期",
    "amount": "金额",
    "paid_in": "累计到位资金",
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
    "investment_briefing": "招商月报",
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
    "status": RUN_STATUS_LABELS
    | {s.value: s.label for s in DifficultyStatus}
    | OBJECTION_STATUS_LABELS
    | {k: v for k, v in IMPORT_STATUS_LABELS.items() if k not in RUN_STATUS_LABELS}
    | {"done": "已完成"},  # a 低效用地 measure's or plan's
    "channel": {"upload": "网页上传", "api": "接口推送"},
    "category": {c.value: c.label for c in DifficultyCategory},
    "kind": dict(TARGET_KIND_LABELS),  # a target firm's 类别 (a goal's kind is not a registry key)
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
