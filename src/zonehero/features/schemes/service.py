"""Schemes: seed the packaged default, save new versions (validated), read them.

A version's text is never edited: saving makes version n+1, so every run
can name the exact text it used (and keeps a copy of it too).
"""

from __future__ import annotations

import dataclasses
import hashlib
from typing import Any

from sqlalchemy.orm import Session

from zonehero.clock import utcnow
from zonehero.core.evaluation.scheme import (
    WEIGHT_TOTAL,
    default_scheme_text,
    parse_scheme,
    scheme_from_data,
    scheme_to_toml,
)
from zonehero.core.evaluation.scheme import Scheme as ParsedScheme
from zonehero.errors import Conflict, InputError, InputProblem, NotFound
from zonehero.features.audit import service as audit
from zonehero.features.roles import SYSTEM, Actor, require_editor, require_staff
from zonehero.features.schemes import repository
from zonehero.features.schemes.models import Scheme, SchemeVersion
from zonehero.features.schemes.schemas import SchemeRead, SchemeVersionRead

DEFAULT_SCHEME_NAME = "默认方案"


def digest(text: str) -> str:
    """sha256 of the scheme text (UTF-8)."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def validate_text(text: str, *, source: str = "方案", weight_total: float | None = None) -> ParsedScheme:
    """Parse and validate a scheme; SchemeError lists every problem with its key.

    ``weight_total``: each group's weights must add up to it (new versions from the scheme pages); reading a
    stored version never asks, so a version saved before that rule stays readable.
    """
    return parse_scheme(text, source=source, weight_total=weight_total)


def ensure_default_scheme(session: Session) -> SchemeVersionRead | None:
    """On an empty store, add the packaged default scheme as 默认方案 version 1; None when schemes exist."""
    if repository.count(session):
        return None
    text = default_scheme_text()
    validate_text(text, source="zonehero/data/default_scheme.toml")
    scheme = Scheme(name=DEFAULT_SCHEME_NAME, created_at=utcnow())
    repository.add(session, scheme)
    version = SchemeVersion(
        scheme_id=scheme.id, version=1, text=text, digest=digest(text), note="内置默认方案", created_at=utcnow()
    )
    repository.add(session, version)
    audit.record(session, SYSTEM, "scheme.seed", "scheme", scheme.id, after={"name": scheme.name, "version": 1})
    return SchemeVersionRead.model_validate(version)


def create_scheme(
    session: Session, actor: Actor, name: str, text: str, *, note: str | None = None
) -> SchemeVersionRead:
    """A new named scheme with its first version."""
    require_editor(actor)
    name = name.strip()
    if not name:
        raise InputError(InputProblem("方案名称不能为空", column="name"))
    validate_text(text)
    if repository.by_name(session, name) is not None:
        raise Conflict(f"方案「{name}」已存在")
    scheme = Scheme(name=name, created_at=utcnow())
    repository.add(session, scheme)
    version = SchemeVersion(
        scheme_id=scheme.id,
        version=1,
        text=text,
        digest=digest(text),
        note=note,
        created_by=actor.id,
        created_at=utcnow(),
    )
    repository.add(session, version)
    audit.record(
        session,
        actor,
        "scheme.create",
        "scheme",
        scheme.id,
        after={"name": name, "version": 1, "digest": version.digest},
    )
    return SchemeVersionRead.model_validate(version)


def save_version(
    session: Session,
    actor: Actor,
    scheme_id: int,
    text: str,
    *,
    note: str | None = None,
    weight_total: float | None = None,
) -> SchemeVersionRead:
    """Validate ``text`` and store it as the next version; Conflict when it equals the latest version.

    The scheme pages (form and TOML alike) pass ``weight_total=WEIGHT_TOTAL``: 100 per group (spec §4).
    """
    require_editor(actor)
    scheme = repository.get(session, scheme_id, for_update=True)
    if scheme is None:
        raise NotFound(f"方案 #{scheme_id} 不存在")
    validate_text(text, weight_total=weight_total)
    latest = scheme.versions[-1] if scheme.versions else None
    new_digest = digest(text)
    if latest is not None and latest.digest == new_digest:
        raise Conflict("方案内容没有变化")
    version = SchemeVersion(
        scheme_id=scheme.id,
        version=(latest.version if latest else 0) + 1,
        text=text,
        digest=new_digest,
        note=note,
        created_by=actor.id,
        created_at=utcnow(),
    )
    repository.add(session, version)
    audit.record(
        session,
        actor,
        "scheme.save_version",
        "scheme",
        scheme.id,
        before={"version": latest.version, "digest": latest.digest} if latest else None,
        after={"version": version.version, "digest": new_digest, "note": note},
    )
    return SchemeVersionRead.model_validate(version)


def save_form_version(
    session: Session, actor: Actor, scheme_id: int, data: dict[str, Any], *, note: str | None = None
) -> SchemeVersionRead:
    """Save the scheme form's content (the dict the same TOML would parse to) as the next version.

    The form's scheme is validated by the parser's rules (weights 100 per group included) and stored as its
    canonical TOML, through :func:`save_version` like a TOML edit; SchemeError names each problem's key path.
    """
    require_editor(actor)
    scheme = repository.get(session, scheme_id)
    if scheme is None:
        raise NotFound(f"方案 #{scheme_id} 不存在")
    if scheme.versions and ("land" not in data or "inefficient_land" not in data):
        # The form edits neither the land rules (用地认定规则) nor the 低效用地 rules yet: a form save keeps the
        # latest version's [land] and [inefficient_land].
        latest = parse_scheme(scheme.versions[-1].text, source="最新版本")
        if latest.land is not None and "land" not in data:
            data = {**data, "land": dataclasses.asdict(latest.land)}
        if latest.inefficient_land is not None and "inefficient_land" not in data:
            data = {**data, "inefficient_land": dataclasses.asdict(latest.inefficient_land)}
    parsed = scheme_from_data(data, source="方案表单", weight_total=WEIGHT_TOTAL)
    if scheme.versions:
        # The latest text may carry comments the form does not keep: compare rules, not bytes.
        latest = parse_scheme(scheme.versions[-1].text, source="最新版本")
        if scheme_to_toml(latest) == parsed.text:
            raise Conflict("方案内容没有变化")
    return save_version(session, actor, scheme_id, parsed.text, note=note, weight_total=WEIGHT_TOTAL)


def list_schemes(session: Session, actor: Actor) -> list[SchemeRead]:
    """Every scheme with its version history (staff)."""
    require_staff(actor)
    return [SchemeRead.model_validate(s) for s in repository.all_with_versions(session)]


def get_version(session: Session, actor: Actor, version_id: int) -> SchemeVersionRead:
    """One version with its full text (staff)."""
    require_staff(actor)
    version = repository.version(session, version_id)
    if version is None:
        raise NotFound(f"方案版本 #{version_id} 不存在")
    return SchemeVersionRead.model_validate(version)


def version_for_run(session: Session, version_id: int) -> tuple[SchemeVersionRead, ParsedScheme]:
    """The version and its parsed scheme, for the runs service (which has checked permissions)."""
    version = repository.version(session, version_id)
    if version is None:
        raise NotFound(f"方案版本 #{version_id} 不存在")
    return SchemeVersionRead.model_validate(version), validate_text(version.text, source=f"方案版本 #{version_id}")
