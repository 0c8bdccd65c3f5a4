"""Denied and refused actions leave exactly one audit event each: who, which route or action, why."""

from __future__ import annotations

import json
from typing import Any

import sqlalchemy as sa

from caseflow.audit import verify_chain
from caseflow.enums import CaseState
from caseflow.extensions import db
from caseflow.models import AuditEvent, CaseTeamMember, ConflictDeclaration
from tests.attacks.case_setup import investigation_case


def _denials() -> list[AuditEvent]:
    return list(db.session.scalars(sa.select(AuditEvent).where(
        AuditEvent.action.in_(("access.denied", "access.refused"))).order_by(AuditEvent.seq)))


def test_a_removed_investigator_leaves_one_denial_per_request(clock: Any, users: dict[str, Any],
                                                              login_as: Any) -> None:
    case = investigation_case(users)
    client = login_as(users["investigator2"])
    assert client.get(f"/cases/{case.number}").status_code == 200
    db.session.execute(sa.delete(CaseTeamMember).where(CaseTeamMember.user_id == users["investigator2"].id))
    db.session.commit()
    assert client.get(f"/cases/{case.number}").status_code == 403
    events = _denials()
    assert len(events) == 1
    first = events[0]
    detail = json.loads(first.detail)
    assert first.actor_id == users["investigator2"].id and first.case_id == case.id
    assert detail["route"] == "cases.show_case" and detail["method"] == "GET" and detail["status"] == 403
    # a crafted POST (a note on a case she was taken off) writes one more, and nothing else
    r = client.post(f"/cases/{case.number}/notes", data={"note-body": "I am still here"})
    assert r.status_code == 403
    events = _denials()
    assert len(events) == 2 and json.loads(events[1].detail)["route"] == "cases.add_note"
    assert verify_chain().ok


def test_a_refused_close_writes_one_event(clock: Any, users: dict[str, Any], login_as: Any) -> None:
    case = investigation_case(users)
    case.state = CaseState.REPORTING
    db.session.commit()
    client = login_as(users["supervisor"])
    r = client.post(f"/cases/{case.number}/transition", data={"target": "closed", "t-closed-outcome": "Done"})
    assert r.status_code == 409
    db.session.refresh(case)
    assert case.state == CaseState.REPORTING
    events = _denials()
    assert len(events) == 1
    detail = json.loads(events[0].detail)
    assert events[0].action == "access.refused" and detail["refused"] == "transition reporting->closed"
    assert "report" in detail["why"] and events[0].actor_id == users["supervisor"].id


def test_a_refused_assignment_writes_one_event(clock: Any, users: dict[str, Any], login_as: Any) -> None:
    case = investigation_case(users)
    db.session.execute(sa.update(ConflictDeclaration).where(
        ConflictDeclaration.user_id == users["supervisor2"].id).values(has_conflict=True))
    db.session.commit()
    client = login_as(users["supervisor"])
    r = client.post(f"/cases/{case.number}/assign", data={"assign-user_id": users["supervisor2"].id})
    assert r.status_code in (400, 409)
    events = _denials()
    assert len(events) == 1
    assert json.loads(events[0].detail)["refused"] == "assign samuel"
    assert not any(m.user_id == users["supervisor2"].id for m in case.team)
