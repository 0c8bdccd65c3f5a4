"""The one intake operation every channel ends in: receive_complaint()."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

import sqlalchemy as sa
from flask import current_app
from flask_babel import gettext as _
from flask_babel import ngettext

from caseflow import audit, events
from caseflow.cases.subjects import match_case_subjects, new_person
from caseflow.clock import utcnow
from caseflow.enums import CaseState, Channel, PartyRole, Priority
from caseflow.errors import ValidationError
from caseflow.extensions import db
from caseflow.incident import incident_band
from caseflow.intake.confidential import store_confidential_intake
from caseflow.models import Case, CaseCounter, CaseParty, Category, Office, User
from caseflow.models.base import table_of
from caseflow.models.units import ReportingUnit
from caseflow.sqlcompat import increment_counter
from caseflow.units.operations import check_unit_accepts

MAX_TITLE = 200


@dataclass(frozen=True)
class Received:
    """A case just received, and the receipt code issued with it (its digits, shown once and never stored)."""

    case: Case
    receipt: str | None = None


def next_case_number(year: int) -> tuple[int, str]:
    """Reserve the next sequence number of a year atomically and return it with its case number."""
    seq = increment_counter(table_of(CaseCounter), "year", year, "last")
    prefix = current_app.config.get("CASEFLOW_CASE_PREFIX", "IA")
    return seq, f"{prefix}-{year}-{seq:05d}"


def new_case_values(*, channel: Channel, title: str, received_at: datetime, number: str, seq: int,
                    actor: User | None, category_id: int | None = None, office_id: int | None = None,
                    priority: Priority = Priority.MEDIUM, is_anonymous: bool = False, summary: str = "",
                    incident_date: str | None = None, location_detail: str | None = None,
                    source_reference: str | None = None, unit_id: int | None = None) -> dict[str, Any]:
    """Return the columns of a newly received case: the one definition both intake paths (one by one, bulk) write."""
    return {"number": number, "year": received_at.year, "seq": seq, "channel": Channel(channel),
            "received_at": received_at, "category_id": category_id, "office_id": office_id,
            "priority": Priority(priority), "title": title, "summary": (summary or "").strip(),
            "state": CaseState.RECEIVED, "state_changed_at": received_at,
            "created_by_id": actor.id if actor is not None else None, "is_anonymous": is_anonymous,
            "incident_date": incident_date or None, "location_detail": location_detail or None,
            "incident_band": incident_band(incident_date, received_at),
            "source_reference": source_reference or None, "unit_id": unit_id}


def source_reference_taken(source_reference: str, unit: ReportingUnit | None) -> bool:
    """Return whether a case of this unit (or, with None, a unit-less case) already has this source reference.

    The reference is unique per unit only: an integration walled to one unit must not learn, by a refusal,
    that another unit holds a case with it.
    """
    same_unit = Case.unit_id.is_(None) if unit is None else Case.unit_id == unit.id
    stmt = sa.select(Case.id).where(Case.source_reference == source_reference, same_unit)
    return db.session.scalar(stmt) is not None


def receive_complaint(*, channel: Channel, title: str, summary: str = "", actor: User | None = None,
                      received_at: datetime | None = None, category_id: int | None = None,
                      office_id: int | None = None, priority: Priority = Priority.MEDIUM,
                      is_anonymous: bool = False, incident_date: str | None = None,
                      location_detail: str | None = None, subjects: list[dict[str, Any]] | None = None,
                      source_reference: str | None = None, detail: dict[str, Any] | None = None,
                      content: str | None = None, identity: dict[str, str] | None = None,
                      attachments: list[tuple[str, Any]] | None = None, issue_receipt: bool = False,
                      unit: ReportingUnit | None = None) -> Received:
    """Create a case from a complaint received on any channel, numbered and audited.

    With a `unit`, the case goes to that reporting unit (behind its wall), which must accept this kind of
    report (named or anonymous).

    The complaint text (`content`), the reporter's `identity` and `attachments` are stored encrypted
    with the case's key; with `issue_receipt` a receipt code is made, returned in the result (digits, to
    show once) and stored only as its argon2id hash.
    """
    channel = Channel(channel)
    title = (title or "").strip()
    if not title:
        raise ValidationError(_("Give the complaint a short title."))
    if len(title) > MAX_TITLE:
        raise ValidationError(ngettext("The title is longer than %(n)d character.",
                                       "The title is longer than %(n)d characters.", MAX_TITLE,
                                        n=MAX_TITLE))
    if category_id is not None and db.session.get(Category, category_id) is None:
        raise ValidationError(_("Unknown category."))
    if office_id is not None and db.session.get(Office, office_id) is None:
        raise ValidationError(_("Unknown office."))
    check_unit_accepts(unit, is_anonymous)
    if source_reference and source_reference_taken(source_reference, unit):
        raise ValidationError(_("A complaint with source reference %(ref)s was already received.",
                                ref=source_reference))
    now = utcnow()
    received_at = received_at or now
    seq, number = next_case_number(received_at.year)
    case = Case(**new_case_values(
        channel=channel, title=title, received_at=received_at, number=number, seq=seq, actor=actor,
        category_id=category_id, office_id=office_id, priority=priority, is_anonymous=is_anonymous,
        summary=summary, incident_date=incident_date, location_detail=location_detail,
        source_reference=source_reference, unit_id=unit.id if unit is not None else None))
    db.session.add(case)
    db.session.flush()
    for subject in subjects or []:
        name = (subject.get("full_name") or "").strip()
        badge = (subject.get("badge_number") or "").strip()
        if name or badge:  # a badge alone names a colleague as surely as a name does
            person = new_person(name[:200], badge or None, subject.get("position"),
                                office_id=office_id, user_id=subject.get("user_id"))
            db.session.add(CaseParty(case=case, person=person, role=PartyRole.SUBJECT))
    received = {"channel": channel.value, "number": number, **({"unit": unit.key} if unit is not None else {})}
    audit.record("case.receive", actor, case, {**received, **(detail or {})})
    if subjects:
        match_case_subjects(case, actor)
    receipt = None
    if content or identity or attachments or issue_receipt:
        receipt = store_confidential_intake(case, actor, content=content, identity=identity,
                                            attachments=attachments, issue_receipt=issue_receipt)
    db.session.flush()
    events.case_received.send(case, actor=actor)
    return Received(case, receipt)


def acknowledge_case(case: Case, actor: User | None) -> None:
    """Record that receipt was acknowledged to the reporter (starts the feedback clock); once only."""
    if case.acknowledged_at is not None:
        return
    case.acknowledged_at = utcnow()
    audit.record("case.acknowledge", actor, case)
    db.session.flush()
    events.case_acknowledged.send(case, actor=actor)
