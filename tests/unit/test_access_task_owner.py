"""Who may own a task or interview on a case: the one rule in access.py."""

from __future__ import annotations

from caseflow import access
from caseflow.cases import operations as ops
from caseflow.extensions import db
from caseflow.models import ConflictDeclaration
from tests.factories import make_case


def test_task_owner_rule(users):
    case = make_case()
    ops.assign_lead_investigator(case, users["investigator"], users["supervisor"])
    assert access.can_own_task(users["investigator"], case)  # on the team
    assert not access.can_own_task(users["investigator2"], case)  # investigator off the team
    assert access.can_own_task(users["supervisor"], case)
    assert not access.can_own_task(users["manager"], case)
    db.session.add(ConflictDeclaration(case_id=case.id, user_id=users["supervisor2"].id, has_conflict=True))
    db.session.flush()
    assert not access.can_own_task(users["supervisor2"], case)  # conflicted
    users["supervisor"].active = False
    assert not access.can_own_task(users["supervisor"], case)
