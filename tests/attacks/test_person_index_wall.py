"""Attack: learn about a case one may not see through the person index (search, person page, merge)."""

from __future__ import annotations

from caseflow import workflow
from caseflow.cases import operations as case_ops
from caseflow.enums import CaseState
from caseflow.extensions import db
from caseflow.models import ConflictDeclaration
from caseflow.people import operations as ops
from tests.factories import make_case, subject_party


def _case(users, title, subject, lead):
    case = make_case(title=title, subject=subject, commit=False)
    workflow.transition_case(case, CaseState.TRIAGE, users["supervisor"])
    case_ops.assign_lead_investigator(case, lead, users["supervisor"])
    db.session.add(ConflictDeclaration(case_id=case.id, user_id=lead.id, has_conflict=False))
    db.session.commit()
    return case


def test_an_investigator_cannot_find_or_open_a_person_on_someone_elses_case(users, login_as):
    secret = _case(users, "Secret inquiry", "Karim Bennani", users["investigator2"])
    ops.add_identifier(secret, users["investigator2"], "plate", "99-XYZ-01", subject_party(secret).person_id)
    db.session.commit()
    client = login_as(users["investigator"])
    for query in ("Bennani", "benn", "99xyz01"):
        page = client.get("/people", query_string={"q": query}).get_data(as_text=True)
        assert "Karim" not in page and secret.number not in page and "99-XYZ-01" not in page
        assert "Nobody found." in page
    assert client.get(f"/people/{subject_party(secret).person_id}").status_code == 404


def test_a_shared_person_page_never_lists_the_hidden_case(users, login_as):
    mine = _case(users, "My inquiry", "Karim Bennani", users["investigator"])
    secret = _case(users, "Secret inquiry", "Karim Bennani", users["investigator2"])
    ops.merge_people(subject_party(mine).person, subject_party(secret).person, users["supervisor"])
    case_ops.add_allegation(secret, users["supervisor"], subject_party(secret), "Took a bribe at the quay")
    db.session.commit()
    page = login_as(users["investigator"]).get(f"/people/{subject_party(mine).person_id}").get_data(as_text=True)
    assert mine.number in page
    assert secret.number not in page and "Secret inquiry" not in page and "Took a bribe" not in page


def test_a_conflicted_supervisor_sees_no_trace_and_cannot_merge(users, login_as):
    secret = _case(users, "Secret inquiry", "Karim Bennani", users["investigator"])
    other = _case(users, "Other inquiry", "K. Bennani", users["investigator"])
    db.session.add(ConflictDeclaration(case_id=secret.id, user_id=users["supervisor2"].id, has_conflict=True,
                                       statement="My cousin."))
    db.session.commit()
    client = login_as(users["supervisor2"])
    page = client.get("/people", query_string={"q": "Karim Bennani"}).get_data(as_text=True)
    assert secret.number not in page
    assert client.get(f"/people/{subject_party(secret).person_id}").status_code == 404
    response = client.post(f"/people/{subject_party(other).person_id}/merge",
                           data={"merge-duplicate_id": subject_party(secret).person_id})
    assert response.status_code == 404


def test_an_assignee_who_has_not_declared_cannot_open_or_edit_the_cases_subject(client, users, login_as):
    """Added to the team, Omar is gated on every case page until he declares; the person pages are gated too."""
    from caseflow.enums import PartyRole
    from caseflow.models import CaseTeamMember
    from tests.factories import make_case

    case = make_case(title="Cash at gate 9", subject="Pieter Vos")
    db.session.add(CaseTeamMember(case_id=case.id, user_id=users["investigator2"].id))
    db.session.commit()
    person = next(p.person for p in case.parties if p.role == PartyRole.SUBJECT)
    login_as(users["investigator2"])
    assert client.get(f"/cases/{case.number}").status_code == 302  # the declaration page first
    assert client.get(f"/people/{person.id}").status_code in (403, 404)
    assert "Pieter Vos" not in client.get("/people?q=Vos").text
    edited = client.post(f"/people/{person.id}/edit", data={"person-full_name": "Someone Else",
                                                             "person-badge_number": ""})
    assert edited.status_code in (403, 404)
    db.session.expire_all()
    assert person.full_name == "Pieter Vos"
