"""The staff workspace through HTTP: list filters, case page, forms, refusals, errors."""

from __future__ import annotations

import sqlalchemy as sa

from caseflow import workflow
from caseflow.enums import CaseState, Channel, Priority
from caseflow.extensions import db
from caseflow.models import AuditEvent, Case
from tests.factories import category, make_case, make_office


def _numbers(html: bytes) -> set[str]:
    import re
    return set(re.findall(r"/cases/(IA-\d{4}-\d{5})\"", html.decode()))


def test_login_required_redirects(client):
    r = client.get("/cases")
    assert r.status_code == 302 and "/login" in r.location


def test_wrong_password_is_refused(client, users):
    r = client.post("/login", data={"username": "sara", "password": "nope"})
    assert r.status_code == 200 and b"Wrong username or password" in r.data


def test_list_filters(client, users, login_as):
    office = make_office()
    a = make_case(channel=Channel.LETTER, priority=Priority.HIGH, category_id=category("fraud").id,
                  office_id=office.id, title="Falsified certificates")
    b = make_case(channel=Channel.PHONE, title="Rude officer")
    workflow.transition_case(b, CaseState.TRIAGE, users["supervisor"])
    db.session.commit()
    login_as(users["supervisor"])
    assert _numbers(client.get("/cases").data) == {a.number, b.number}
    assert _numbers(client.get("/cases?channel=letter").data) == {a.number}
    assert _numbers(client.get("/cases?state=triage").data) == {b.number}
    assert _numbers(client.get("/cases?priority=high").data) == {a.number}
    assert _numbers(client.get(f"/cases?category={a.category_id}").data) == {a.number}
    assert _numbers(client.get(f"/cases?office={office.id}").data) == {a.number}
    assert _numbers(client.get("/cases?q=falsified").data) == {a.number}
    assert _numbers(client.get("/cases?state=bogus&priority=9").data) == {a.number, b.number}


def test_overdue_filter_and_paging(client, users, login_as, clock, app, monkeypatch):
    old = make_case(title="Old one")
    clock.advance(days=20)
    fresh = make_case(title="Fresh one")
    login_as(users["supervisor"])
    assert _numbers(client.get("/cases?deadline=overdue").data) == {old.number}
    assert fresh.number not in _numbers(client.get("/cases?deadline=overdue").data)
    monkeypatch.setitem(app.config, "CASEFLOW_PAGE_SIZE", 1)
    first = _numbers(client.get("/cases").data)
    second = _numbers(client.get("/cases?page=2").data)
    assert len(first) == len(second) == 1 and first != second


def test_investigator_sees_only_assigned_cases(client, users, login_as):
    from caseflow.cases import operations as ops
    mine = make_case(title="Mine")
    make_case(title="Not mine")
    ops.assign_lead_investigator(mine, users["investigator"], users["supervisor"])
    db.session.commit()
    login_as(users["investigator"])
    assert _numbers(client.get("/cases").data) == {mine.number}


def test_case_page_shows_details_transitions_and_is_audited(client, users, login_as):
    case = make_case(title="Payment demanded", subject="Marc Dubois")
    login_as(users["supervisor"])
    r = client.get(f"/cases/{case.number}")
    assert r.status_code == 200
    page = r.data.decode()
    assert "Payment demanded" in page and "Marc Dubois" in page and "Start triage" in page
    assert "Acknowledgement" in page  # the legal clocks
    assert db.session.scalar(sa.select(sa.func.count()).where(AuditEvent.action == "case.view")) == 1


def test_transition_through_web_and_refusal_keeps_typed_text(client, users, login_as):
    case = make_case(title="Case X")
    login_as(users["supervisor"])
    r = client.post(f"/cases/{case.number}/transition", data={"target": "triage"})
    assert r.status_code == 302
    db.session.expire_all()
    assert db.session.get(Case, case.id).state == CaseState.TRIAGE
    r = client.post(f"/cases/{case.number}/transition",
                    data={"target": "referred", "t-referred-reason": "Criminal matter, keep this text"})
    assert r.status_code == 409
    assert b"Name the receiving body" in r.data and b"Criminal matter, keep this text" in r.data
    db.session.expire_all()
    assert db.session.get(Case, case.id).state == CaseState.TRIAGE


def test_manager_auditor_admin_cannot_open_cases(client, users):
    case = make_case()
    from tests.conftest import login
    for role in ("manager", "auditor", "admin"):
        c = client.application.test_client()
        login(c, users[role])
        assert c.get(f"/cases/{case.number}").status_code == 403
        assert c.get("/cases").status_code == 403


def test_edit_triage_fields(client, users, login_as):
    case = make_case()
    login_as(users["supervisor"])
    cat = category("extortion")
    r = client.post(f"/cases/{case.number}/edit", data={
        "title": "Renamed", "category_id": str(cat.id), "priority": "critical", "admissible": "yes",
        "retaliation_risk": "high"})
    assert r.status_code == 302
    db.session.expire_all()
    case = db.session.get(Case, case.id)
    assert (case.title, case.category_id, case.priority.value, case.admissible) == ("Renamed", cat.id, "critical", True)


def test_hostile_html_is_escaped(client, users, login_as):
    case = make_case(title="<script>alert(1)</script>", subject="<img src=x onerror=alert(2)>")
    login_as(users["supervisor"])
    page = client.get(f"/cases/{case.number}").data
    assert b"<script>alert(1)" not in page and b"&lt;script&gt;" in page
    assert b"<img src=x" not in page


def test_error_pages_are_friendly(client, users, login_as):
    login_as(users["supervisor"])
    r = client.get("/cases/IA-1999-00001")
    assert r.status_code == 404 and b"does not exist" in r.data and b"Traceback" not in r.data


def test_healthz(client):
    r = client.get("/healthz")
    assert r.status_code == 200 and r.json["database"] is True


def test_security_headers(client):
    r = client.get("/login")
    assert r.headers["Referrer-Policy"] == "no-referrer"
    assert "script-src 'self'" in r.headers["Content-Security-Policy"]
    assert r.headers["X-Frame-Options"] == "DENY" and r.headers["Cache-Control"] == "no-store"


def test_csrf_is_enforced(client, users, app, monkeypatch):
    monkeypatch.setitem(app.config, "WTF_CSRF_ENABLED", True)
    r = client.post("/login", data={"username": "sara", "password": "x"})
    assert r.status_code == 400 and b"expired" in r.data


def test_huge_or_negative_filter_numbers_are_ignored_not_500(client, users, login_as):
    case = make_case(title="Still listed")
    login_as(users["supervisor"])
    for query in ("category=99999999999999999999", "office=-3", "assignee=1e9", "page=99999999999999999999"):
        r = client.get(f"/cases?{query}")
        assert r.status_code == 200, query
    assert case.number in client.get("/cases?category=99999999999999999999").data.decode()


def test_a_post_with_a_message_redirects_to_the_message_region(client, users, login_as):
    from tests.factories import make_case

    case = make_case()
    login_as(users["supervisor"])
    r = client.post(f"/cases/{case.number}/transition", data={"target": "triage"})
    assert r.status_code == 302 and r.location.endswith(f"/cases/{case.number}#flash")
    page = client.get(f"/cases/{case.number}").get_data(as_text=True)
    assert 'id="flash" role="status" tabindex="-1"' in page and '<main id="main" tabindex="-1">' in page
    r = client.get(f"/cases/{case.number}/edit")  # a GET's redirect, if any, is left alone
    assert "#flash" not in (r.location or "")
