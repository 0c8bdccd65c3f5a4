"""Attacks on the case list's bulk actions: each case must go through the rule and operation of one by one.

Written as the attacker would try them: an investigator posts the supervisors' bulk form by hand; a supervisor
(or a forged post) slips a colleague named as a subject, or one who declared a conflict, into a batch of
assignments; the batch carries numbers of cases the supervisor may not see; the same post is sent twice.
"""

from __future__ import annotations

import re

import sqlalchemy as sa

from caseflow.extensions import db
from caseflow.models import AuditEvent, Case, ConflictDeclaration
from tests.factories import make_case


def _form_token(client) -> str:
    page = client.get("/cases").get_data(as_text=True)
    match = re.search(r'name="form_token"[^>]*value="([^"]+)"', page)
    assert match, "the supervisor's case list has no bulk form"
    return match.group(1)


def _bulk(client, numbers, action="assign_lead", token=None, **fields):
    data = {"case": list(numbers), "action": action, **fields}
    if token is not None:
        data["form_token"] = token
    return client.post("/cases/bulk", data=data)


def _lead(case: Case) -> int | None:
    db.session.expire_all()
    return db.session.get(Case, case.id).lead_investigator_id


def _events(case: Case, action: str) -> list[AuditEvent]:
    return list(db.session.scalars(sa.select(AuditEvent).where(AuditEvent.case_id == case.id,
                                                               AuditEvent.action == action)))


def test_an_investigator_cannot_post_the_bulk_form(client, users, login_as):
    case = make_case(title="Gate 4 cash")
    case.lead_investigator_id = users["investigator"].id
    db.session.commit()
    login_as(users["investigator"])
    r = _bulk(client, [case.number], lead=users["investigator2"].id, token="x")
    assert r.status_code == 403
    assert _lead(case) == users["investigator"].id
    r = _bulk(client, [case.number], action="priority", priority="critical", token="x")
    assert r.status_code == 403
    assert db.session.get(Case, case.id).priority.value != "critical"


def test_a_subject_of_the_case_is_refused_for_that_case_only(client, users, login_as):
    against_ivan = make_case(title="Ivan took cash", subject_user=users["investigator"])
    clean = make_case(title="Rude officer")
    login_as(users["supervisor"])
    r = _bulk(client, [against_ivan.number, clean.number], lead=users["investigator"].id, token=_form_token(client))
    assert r.status_code == 200
    page = r.get_data(as_text=True)
    assert _lead(against_ivan) is None and _lead(clean) == users["investigator"].id
    refused = page.split('id="bulk-refused"')[1]
    assert against_ivan.number in refused and "is a subject of this case" in refused
    assert clean.number in page.split('id="bulk-done"')[1].split('id="bulk-refused"')[0]
    assert not _events(against_ivan, "case.assign_lead") and len(_events(clean, "case.assign_lead")) == 1
    assert [e.detail for e in _events(against_ivan, "access.refused")]


def test_a_declared_conflict_is_refused_for_that_case(client, users, login_as):
    conflicted = make_case(title="Broker complaint")
    other = make_case(title="Another one")
    db.session.add(ConflictDeclaration(case_id=conflicted.id, user_id=users["investigator2"].id, has_conflict=True))
    db.session.commit()
    login_as(users["supervisor"])
    r = _bulk(client, [conflicted.number, other.number], lead=users["investigator2"].id, token=_form_token(client))
    assert r.status_code == 200
    refused = r.get_data(as_text=True).split('id="bulk-refused"')[1]
    assert conflicted.number in refused and "declared a conflict of interest" in refused
    assert _lead(conflicted) is None and _lead(other) == users["investigator2"].id


def test_cases_the_supervisor_may_not_see_are_refused_without_saying_they_exist(client, users, login_as):
    hidden = make_case(title="Director's file, restricted")
    hidden.restricted = True
    db.session.commit()
    visible = make_case(title="Ordinary case")
    login_as(users["supervisor"])
    r = _bulk(client, [hidden.number, "IA-2099-99999", visible.number], action="priority", priority="critical",
              token=_form_token(client))
    assert r.status_code == 200
    page = r.get_data(as_text=True)
    refused = page.split('id="bulk-refused"')[1]
    assert hidden.number in refused and "IA-2099-99999" in refused
    assert "Director's file" not in page
    # the same words for a case that exists and one that does not: the answer reveals nothing
    reasons = re.findall(r'<li[^>]*>.*?(?:IA-\d{4}-\d{5}).*?</li>', refused, re.S)
    assert len({re.sub(r"IA-\d{4}-\d{5}", "N", x) for x in reasons}) == 1
    db.session.expire_all()
    assert db.session.get(Case, hidden.id).priority.value != "critical"
    assert db.session.get(Case, visible.id).priority.value == "critical"
    r = _bulk(client, [hidden.number], action="export", token=_form_token(client))
    assert "Director's file" not in r.get_data(as_text=True)


def test_a_replayed_bulk_form_does_nothing_twice(client, users, login_as):
    cases = [make_case(title=f"Case {i}") for i in range(2)]
    login_as(users["supervisor"])
    token = _form_token(client)
    first = _bulk(client, [c.number for c in cases], lead=users["investigator"].id, token=token)
    assert first.status_code == 200
    replay = _bulk(client, [c.number for c in cases], lead=users["investigator2"].id, token=token)
    assert replay.status_code == 409 and "already sent" in replay.get_data(as_text=True)
    for case in cases:
        assert _lead(case) == users["investigator"].id
        assert len(_events(case, "case.assign_lead")) == 1
    missing = _bulk(client, [cases[0].number], lead=users["investigator2"].id)
    assert missing.status_code in (400, 409) and _lead(cases[0]) == users["investigator"].id
