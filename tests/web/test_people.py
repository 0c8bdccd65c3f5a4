"""People across cases: search by name, badge, plate or phone; the person page; edit and merge."""

from __future__ import annotations

import sqlalchemy as sa

from caseflow import workflow
from caseflow.cases import operations as case_ops
from caseflow.crypto import user_ref
from caseflow.enums import CaseState, MatchStatus, Role
from caseflow.extensions import db
from caseflow.models import AuditEvent, CaseParty, ConflictDeclaration, Person, PersonTerm, SubjectMatch
from caseflow.people import operations as ops
from tests import factories
from tests.factories import make_case, subject_party


def _lead_case(users, title="Cash at the border", subject="Samir Haddad", badge=None):
    case = make_case(title=title, subject=subject, commit=False)
    if badge:
        person = subject_party(case).person
        from caseflow.cases.subjects import set_person_identity
        set_person_identity(person, person.full_name, badge, None)
    workflow.transition_case(case, CaseState.TRIAGE, users["supervisor"])
    case_ops.assign_lead_investigator(case, users["investigator"], users["supervisor"])
    db.session.add(ConflictDeclaration(case_id=case.id, user_id=users["investigator"].id, has_conflict=False))
    db.session.commit()
    return case


def test_terms_are_blind_and_found_by_prefix_and_word_order(users, login_as):
    case = _lead_case(users, badge="CU-4471")
    person = subject_party(case).person
    keys = set(db.session.scalars(sa.select(PersonTerm.key).where(PersonTerm.person_id == person.id)))
    assert keys and all(len(k) == 32 and "haddad" not in k for k in keys)
    client = login_as(users["investigator"])
    for query in ("Haddad", "hadd", "HADDAD samir", "Sámir", "cu4471", "CU 4471", "cu-44"):
        page = client.get("/people", query_string={"q": query}).get_data(as_text=True)
        assert "Samir Haddad" in page, query
    for query in ("addad", "Hadid", "4471x"):
        assert "Samir Haddad" not in client.get("/people", query_string={"q": query}).get_data(as_text=True)


def test_plate_and_phone_find_the_case_and_the_person(users, login_as):
    case = _lead_case(users)
    person_id = subject_party(case).person_id
    ops.add_identifier(case, users["investigator"], "plate", "12-ABC-345", person_id)
    ops.add_identifier(case, users["investigator"], "phone", "+212 600 12 34 56")
    db.session.commit()
    client = login_as(users["investigator"])
    page = client.get("/people", query_string={"q": "12abc345"}).get_data(as_text=True)
    assert case.number in page and "12-ABC-345" in page and "Samir Haddad" in page
    page = client.get("/people", query_string={"q": "0600 123456"}).get_data(as_text=True)
    assert "+212 600 12 34 56" in page
    page = client.get(f"/people/{person_id}").get_data(as_text=True)
    assert "12-ABC-345" in page and case.number in page


def test_identifier_recorded_through_the_case_tab(users, login_as):
    case = _lead_case(users)
    client = login_as(users["investigator"])
    assert client.get(f"/people/cases/{case.number}/identifiers").status_code == 200
    response = client.post(f"/people/cases/{case.number}/identifiers",
                           data={"ident-kind": "company", "ident-value": "Haddad Freight SARL", "ident-person_id": ""})
    assert response.status_code == 302
    page = client.get("/people", query_string={"q": "freig"}).get_data(as_text=True)
    assert "Haddad Freight SARL" in page
    bad = client.post(f"/people/cases/{case.number}/identifiers",
                      data={"ident-kind": "company", "ident-value": "--", "ident-person_id": ""})
    assert bad.status_code == 409


def test_person_page_lists_roles_allegations_and_findings(users, login_as):
    case = _lead_case(users)
    subject = subject_party(case)
    case_ops.add_allegation(case, users["supervisor"], subject, "Asked for cash at gate 4")
    db.session.commit()
    page = login_as(users["supervisor"]).get(f"/people/{subject.person_id}").get_data(as_text=True)
    assert "Asked for cash at gate 4" in page and "no finding yet" in page and case.number in page
    assert "Early warning" in page and "exact name" in page


def test_edit_rebuilds_terms_and_rematches_staff(users, login_as):
    case = _lead_case(users)
    person_id = subject_party(case).person_id
    colleague = factories.make_user(Role.INVESTIGATOR, "okafor2", full_name="Iris Okafor", badge_number="B-77")
    client = login_as(users["investigator"])
    response = client.post(f"/people/{person_id}/edit", data={"person-full_name": "Samir El-Haddad",
                                                             "person-badge_number": "b 77", "person-position": ""})
    assert response.status_code == 302
    assert "Samir El-Haddad" in client.get("/people", query_string={"q": "b77"}).get_data(as_text=True)
    match = db.session.scalar(sa.select(SubjectMatch).where(SubjectMatch.user_ref == user_ref(colleague.id)))
    assert match is not None and match.status == MatchStatus.LINKED
    detail = db.session.scalar(sa.select(AuditEvent.detail).where(AuditEvent.action == "person.update"))
    assert "Haddad" not in detail and "badge" in detail


def test_merge_moves_parties_keeps_exclusions_and_is_supervisors_only(users, login_as):
    first = _lead_case(users, subject="Samir Haddad")
    second = _lead_case(users, title="Second complaint", subject="S. Hadad")
    namesake = factories.make_user(Role.INVESTIGATOR, "shadad", full_name="S. Hadad")
    keep, dup = subject_party(first).person_id, subject_party(second).person_id
    from caseflow.cases.subjects import rematch_user
    rematch_user(namesake, None)
    db.session.commit()
    namesake_ref = user_ref(namesake.id)
    assert db.session.scalar(sa.select(SubjectMatch.id).where(SubjectMatch.case_id == second.id,
                                                              SubjectMatch.user_ref == namesake_ref)) is not None
    assert db.session.scalar(sa.select(SubjectMatch.id).where(SubjectMatch.case_id == first.id,
                                                              SubjectMatch.user_ref == namesake_ref)) is None
    inv = login_as(users["investigator"])
    assert inv.post(f"/people/{keep}/merge", data={"merge-duplicate_id": dup}).status_code == 403
    inv.post("/logout")
    sup = login_as(users["supervisor"])
    assert sup.post(f"/people/{keep}/merge", data={"merge-duplicate_id": dup}).status_code == 302
    db.session.expire_all()
    assert {p.person_id for p in db.session.scalars(sa.select(CaseParty).where(
        CaseParty.case_id.in_([first.id, second.id])))} == {keep}
    assert db.session.get(Person, dup).merged_into_id == keep
    # the namesake matched on the second case is now kept off the first one too
    assert db.session.scalar(sa.select(SubjectMatch.id).where(SubjectMatch.case_id == first.id,
                                                              SubjectMatch.user_ref == namesake_ref)) is not None
    page = sup.get(f"/people/{keep}").get_data(as_text=True)
    assert first.number in page and second.number in page
    assert sup.get(f"/people/{dup}").status_code == 302  # the duplicate's page leads to the survivor
    detail = db.session.scalar(sa.select(AuditEvent.detail).where(AuditEvent.action == "person.merge"))
    assert f'"merged":{dup}' in detail and "Hadad" not in detail


def test_a_query_matching_too_many_people_searches_the_newest_and_says_so(users, login_as, monkeypatch):
    from caseflow.people import queries

    monkeypatch.setattr(queries, "MAX_PEOPLE", 2)
    old, middle, new = (_lead_case(users, title=f"Case {n}", subject=f"{first} Silva")
                        for n, first in ((1, "Rui"), (2, "Ines"), (3, "Tiago")))
    page = login_as(users["investigator"]).get("/people", query_string={"q": "silva"}).get_data(as_text=True)
    assert "Tiago Silva" in page and "Ines Silva" in page and "Rui Silva" not in page
    assert "More than 2 people match" in page
    narrowed = login_as(users["investigator"]).get("/people", query_string={"q": "rui silva"}).get_data(as_text=True)
    assert "Rui Silva" in narrowed and old.number in narrowed and "More than" not in narrowed
    assert middle.number not in narrowed and new.number not in narrowed
