"""Attacks on letters: people who must not write or read a case's letters try it by crafted URLs.

The case names a supervisor as its subject (supervisors see every case they are not barred from); Iris was on
the team when a letter was issued, then taken off; Oscar is an investigator of another office, on no team of
this case. Each knows the case number and the letter's id (they are printed on the letter and in the URLs).
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

import pytest
import sqlalchemy as sa

from caseflow.cases import operations as case_ops
from caseflow.enums import CaseState, PartyRole, Role
from caseflow.extensions import db
from caseflow.models import ConflictDeclaration, Interview, Letter
from caseflow.models.reports import IssuedReport
from tests import factories
from tests.attacks.case_setup import investigation_case
from tests.conftest import login


@pytest.fixture
def world(users: dict[str, Any], clock: Any) -> dict[str, Any]:
    """A case with a supervisor as subject, an interview to come and a letter already issued by the lead."""
    named = factories.make_user(Role.SUPERVISOR, "kbenali", full_name="Karim Benali", badge_number="C-4471")
    case = investigation_case(users, subject_user=named)
    other = factories.make_case(title="Another office's case", commit=False)
    other.state, other.lead_investigator_id = CaseState.INVESTIGATION, None
    oscar = factories.make_user(Role.INVESTIGATOR, "oscar", full_name="Oscar Lindgren")
    other.lead_investigator_id = oscar.id
    db.session.add(ConflictDeclaration(case_id=other.id, user_id=oscar.id, has_conflict=False))
    interview = Interview(case_id=case.id, interviewee="Lucia Gomez", role=PartyRole.WITNESS,
                          held_at=datetime(2026, 3, 10, 10, 30), location="Headquarters, room 4")
    db.session.add(interview)
    db.session.commit()
    from caseflow.letters.operations import issue_letter
    from caseflow.models.letters import LetterKind

    issued, _letter = issue_letter(case, users["investigator"], LetterKind.INTERVIEW_INVITATION, "en",
                                   f"interview:{interview.id}")
    db.session.commit()
    return {"case": case, "named": named, "oscar": oscar, "other": other, "interview": interview,
            "issued": issued}


def _issue(client: Any, world: dict[str, Any], number: str | None = None) -> Any:
    return client.post(f"/cases/{number or world['case'].number}/letters", data={
        "kind": "interview_invitation", "language": "en", "recipient": f"interview:{world['interview'].id}",
        "action": "issue"})


def _letters() -> int:
    return db.session.scalar(sa.select(sa.func.count()).select_from(Letter))


def _attempts(client: Any, world: dict[str, Any]) -> None:
    """Issue a letter, preview one, open the letters page and download the issued letter: all refused."""
    case, issued = world["case"], world["issued"]
    before = _letters()
    assert _issue(client, world).status_code == 403
    assert client.get(f"/cases/{case.number}/letters").status_code == 403
    download = client.get(f"/cases/{case.number}/issued/{issued.id}")
    assert download.status_code == 403 and b"%PDF" not in download.data
    assert _letters() == before


def test_the_subject_of_the_case_cannot_issue_or_download_its_letters(client: Any, world: dict[str, Any]) -> None:
    login(client, world["named"])
    _attempts(client, world)


def test_an_investigator_taken_off_the_team_loses_the_letters_at_once(client: Any, users: dict[str, Any],
                                                                       world: dict[str, Any]) -> None:
    login(client, users["investigator2"])
    ok = client.get(f"/cases/{world['case'].number}/issued/{world['issued'].id}")
    assert ok.status_code == 200 and ok.data.startswith(b"%PDF")  # on the team: she may
    case_ops.remove_team_member(world["case"], users["investigator2"], users["supervisor"])
    db.session.commit()
    _attempts(client, world)


def test_another_offices_investigator_cannot_reach_the_letters(client: Any, world: dict[str, Any]) -> None:
    login(client, world["oscar"])
    _attempts(client, world)


def test_a_letter_of_one_case_cannot_be_fetched_through_a_case_one_may_see(client: Any,
                                                                           world: dict[str, Any]) -> None:
    """Oscar leads his own case and puts the other case's letter id in its URL."""
    login(client, world["oscar"])
    response = client.get(f"/cases/{world['other'].number}/issued/{world['issued'].id}")
    assert response.status_code == 404 and b"%PDF" not in response.data


def test_a_recipient_of_another_case_is_refused(client: Any, users: dict[str, Any], world: dict[str, Any]) -> None:
    """Ivan leads both cases and posts the other case's subject as the recipient of this case's notice."""
    stranger = factories.make_case(title="Unrelated", subject="Nadia Haddad", commit=False)
    stranger.lead_investigator_id = users["investigator"].id
    db.session.commit()
    party = factories.subject_party(stranger)
    login(client, users["investigator"])
    before = _letters()
    response = client.post(f"/cases/{world['case'].number}/letters", data={
        "kind": "subject_notice", "language": "en", "recipient": f"party:{party.id}", "action": "issue"})
    assert response.status_code == 409 and "Nadia Haddad" not in response.get_data(as_text=True)
    assert _letters() == before


def test_the_lead_cannot_write_to_the_complainant_without_the_reveal(client: Any, users: dict[str, Any],
                                                                           world: dict[str, Any]) -> None:
    """The acknowledgement prints the reporter's sealed identity: crafted recipient 'complainant' is refused."""
    from caseflow.intake.confidential import store_confidential_intake

    case = factories.make_case(title="Named complaint", commit=False)
    store_confidential_intake(case, None, content="They asked for cash.",
                              identity={"name": "Lucia Gomez", "contact": "12 rue des Docks"})
    case.state, case.lead_investigator_id = CaseState.INVESTIGATION, users["investigator"].id
    db.session.add(ConflictDeclaration(case_id=case.id, user_id=users["investigator"].id, has_conflict=False))
    db.session.commit()
    login(client, users["investigator"])
    response = client.post(f"/cases/{case.number}/letters", data={
        "kind": "acknowledgement", "language": "en", "recipient": "complainant", "action": "preview"})
    assert response.status_code == 403 and "Lucia Gomez" not in response.get_data(as_text=True)
    assert db.session.scalar(sa.select(sa.func.count()).select_from(IssuedReport)
                             .where(IssuedReport.case_id == case.id)) == 0
