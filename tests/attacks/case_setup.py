"""A case in investigation with a lead, a team member, a sustained allegation, ready to be attacked."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from caseflow.enums import CaseState, Finding, PartyRole, Sanction
from caseflow.extensions import db
from caseflow.models import Allegation, CaseTeamMember, ConflictDeclaration
from tests.factories import make_case


def investigation_case(users: dict[str, Any], **kw: Any) -> Any:
    """Return a case in investigation led by Ivan, with Iris on the team and one sustained allegation."""
    case = make_case(title=kw.pop("title", "Cash demanded at gate 4"), subject=kw.pop("subject", "Karim Benali"),
                     commit=False, **kw)
    case.state = CaseState.INVESTIGATION
    case.lead_investigator_id = users["investigator"].id
    db.session.add(CaseTeamMember(case_id=case.id, user_id=users["investigator2"].id))
    party = next(p for p in case.parties if p.role == PartyRole.SUBJECT)
    db.session.add(Allegation(case_id=case.id, subject_party_id=party.id, conduct="Solicited a bribe",
                              finding=Finding.SUSTAINED, finding_reasoning="He admitted it in interview.",
                              finding_at=datetime(2026, 2, 20), recommended_sanction=Sanction.DISMISSAL))
    for who in ("investigator", "investigator2", "supervisor", "supervisor2"):
        db.session.add(ConflictDeclaration(case_id=case.id, user_id=users[who].id, has_conflict=False))
    db.session.commit()
    return case
