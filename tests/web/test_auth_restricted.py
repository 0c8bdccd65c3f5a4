"""Restricted cases and need-to-know: named users only, removal takes effect at once, conflicts bar for good."""

from __future__ import annotations

import sqlalchemy as sa
from flask import url_for

from caseflow import workflow
from caseflow.cases import operations as case_ops
from caseflow.enums import CaseState
from caseflow.extensions import db
from caseflow.models import AuditEvent, ConflictDeclaration
from tests.factories import make_case


def _case(users):
    case = make_case(title="Deputy director's procurement kickbacks", commit=False)
    workflow.transition_case(case, CaseState.TRIAGE, users["supervisor"])
    case_ops.assign_lead_investigator(case, users["investigator"], users["supervisor"])
    db.session.add(ConflictDeclaration(case_id=case.id, user_id=users["investigator"].id, has_conflict=False))
    db.session.commit()
    return case


def _client_for(app, user):
    client = app.test_client()
    assert client.post("/login", data={"username": user.username, "password": "Correct-Horse-Battery-9"}) \
        .status_code == 302
    return client


def test_restrict_name_and_remove_users(app, client, users, login_as):
    case = _case(users)
    url = f"/cases/{case.number}"
    other_sup = _client_for(app, users["supervisor2"])
    intake = _client_for(app, users["intake"])
    assert other_sup.get(url).status_code == 200 and intake.get(url).status_code == 200
    login_as(users["supervisor"])
    assert client.get(f"{url}/access").status_code == 200
    client.post(f"{url}/access/restrict", data={"restricted": "1"})
    assert other_sup.get(url).status_code == 403 and intake.get(url).status_code == 403
    assert case.number.encode() not in other_sup.get("/cases").data
    assert _client_for(app, users["investigator"]).get(url).status_code == 200  # assignees are named
    page = client.get(f"{url}/access").data.decode()
    assert "Samuel Costa" in page and "Ivan Petrov" in page
    client.post(f"{url}/access/grant", data={"user_id": users["supervisor2"].id})
    assert other_sup.get(url).status_code == 200
    client.post(f"{url}/access/{users['supervisor2'].id}/revoke")
    assert other_sup.get(url).status_code == 403  # at once, same session
    r = client.post(f"{url}/access/{users['investigator'].id}/revoke", follow_redirects=True)
    assert b"take them off the team first" in r.data
    actions = set(db.session.scalars(sa.select(AuditEvent.action).where(AuditEvent.case_id == case.id)))
    assert {"case.restrict", "case.access_grant", "case.access_revoke"} <= actions
    client.post(f"{url}/access/restrict", data={"restricted": "0"})
    assert other_sup.get(url).status_code == 200


def test_conflicted_user_cannot_be_named(client, users, login_as):
    case = _case(users)
    db.session.add(ConflictDeclaration(case_id=case.id, user_id=users["supervisor2"].id, has_conflict=True))
    db.session.commit()
    login_as(users["supervisor"])
    client.post(f"/cases/{case.number}/access/restrict", data={"restricted": "1"})
    page = client.get(f"/cases/{case.number}/access").data.decode()
    assert f'value="{users["supervisor2"].id}"' not in page
    r = client.post(f"/cases/{case.number}/access/grant", data={"user_id": users["supervisor2"].id},
                    follow_redirects=True)
    assert b"conflict of interest" in r.data


def test_only_the_case_supervisors_manage_access(app, users):
    case = _case(users)
    for who, code in (("investigator", 403), ("intake", 403), ("manager", 403), ("admin", 403)):
        assert _client_for(app, users[who]).get(f"/cases/{case.number}/access").status_code == code


def test_removed_team_member_loses_access_at_once(app, client, users, login_as):
    case = _case(users)
    case_ops.add_team_member(case, users["investigator2"], users["supervisor"])
    db.session.add(ConflictDeclaration(case_id=case.id, user_id=users["investigator2"].id, has_conflict=False))
    db.session.commit()
    iris = _client_for(app, users["investigator2"])
    assert iris.get(f"/cases/{case.number}").status_code == 200
    login_as(users["supervisor"])
    client.post(f"/cases/{case.number}/team/{users['investigator2'].id}/remove")
    assert iris.get(f"/cases/{case.number}").status_code == 403
    assert case.number.encode() not in iris.get("/cases").data


def _sample(rule, arg):
    items = getattr(rule._converters.get(arg), "items", None)
    return sorted(items)[0] if items else 1


def test_conflicted_user_gets_403_on_every_route_of_the_case(app, users):
    """Walk every route taking a case number: a supervisor who declared a conflict never gets in."""
    case = _case(users)
    db.session.add(ConflictDeclaration(case_id=case.id, user_id=users["supervisor2"].id, has_conflict=True))
    db.session.commit()
    conflicted = _client_for(app, users["supervisor2"])
    checked = 0
    for rule in app.url_map.iter_rules():
        if "number" not in rule.arguments or rule.rule.startswith("/api/"):
            continue
        values = {arg: case.number if arg == "number" else _sample(rule, arg) for arg in rule.arguments}
        with app.test_request_context():
            url = url_for(rule.endpoint, **values)
        for method in sorted((rule.methods or set()) - {"HEAD", "OPTIONS"}):
            status = conflicted.open(url, method=method).status_code
            assert status in (403, 404), f"{method} {url} answered {status} to a conflicted user"
            checked += 1
    assert checked > 20
