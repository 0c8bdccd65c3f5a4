"""The auditor's audit-log view: filters, paging, CSV export (formula-safe), chain verification; all audited."""

from __future__ import annotations

import csv
import io

import sqlalchemy as sa

from caseflow import audit
from caseflow.auditlog import queries
from caseflow.extensions import db
from caseflow.models import AuditEvent
from tests.factories import make_case


def _body(response) -> str:
    html = response.data.decode()
    return html.split("<tbody>", 1)[1] if "<tbody>" in html else ""


def _seed(users, clock):
    first = make_case(title="Customs bribe at gate 4")
    clock.advance(days=3)
    second = make_case(title="=HYPERLINK(\"http://evil\")")
    audit.record("note.add", users["investigator"], second, {"note": "=1+1"})
    audit.record("mail.receive", None, second, {"from": "x"}, actor_label="=cmd|' /C calc'!A0")
    db.session.commit()
    return first, second


def test_only_auditors_see_the_log(client, users, login_as):
    login_as(users["admin"])
    assert client.get("/audit").status_code == 403


def test_filters_by_user_case_action_and_dates(client, users, login_as, clock):
    first, second = _seed(users, clock)
    login_as(users["auditor"])
    page = _body(client.get("/audit"))
    assert "case.receive" in page and "note.add" in page
    by_user = _body(client.get("/audit?user=ivan"))
    assert "note.add" in by_user and "case.receive" not in by_user
    by_case = _body(client.get(f"/audit?case={first.number}"))
    assert first.number in by_case and second.number not in by_case
    assert "note.add" not in _body(client.get("/audit?action=case.receive"))
    day_one = _body(client.get("/audit?from=2026-03-02&to=2026-03-02"))
    assert first.number in day_one and second.number not in day_one
    later = _body(client.get("/audit?from=2026-03-05"))
    assert second.number in later and first.number not in later
    assert client.get("/audit?from=not-a-date&page=-4").status_code == 200


def test_paging(client, users, login_as, monkeypatch):
    monkeypatch.setattr(queries, "PER_PAGE", 3)
    for i in range(7):
        audit.record("test.event", users["admin"], detail={"i": i})
    db.session.commit()
    login_as(users["auditor"])
    one = client.get("/audit?action=test.event").data.decode()
    three = client.get("/audit?action=test.event&page=3").data.decode()
    assert one.count("<td>test.event</td>") == 3 and three.count("<td>test.event</td>") == 1
    assert 'rel="next"' in one and 'rel="next"' not in three


def test_csv_export_is_formula_safe_and_audited(client, users, login_as, clock):
    _, second = _seed(users, clock)
    login_as(users["auditor"])
    r = client.get(f"/audit/export.csv?case={second.number}")
    assert r.status_code == 200 and r.headers["Content-Disposition"].startswith("attachment;")
    assert r.headers["X-Content-Type-Options"] == "nosniff"
    rows = list(csv.reader(io.StringIO(r.data.decode("utf-8-sig"))))
    assert rows[0][0] == "Sequence" and len(rows) >= 3
    cells = [c for row in rows[1:] for c in row]
    assert not any(c.startswith(("=", "+", "-", "@")) for c in cells)
    assert "'=cmd|' /C calc'!A0" in cells
    exported = db.session.scalar(sa.select(AuditEvent).where(AuditEvent.action == "audit.export"))
    assert exported is not None and second.number in exported.detail and exported.actor_label == "aude"


def test_verify_button_reports_intact_then_broken_chain(client, users, login_as, clock):
    _seed(users, clock)
    login_as(users["auditor"])
    r = client.post("/audit/verify")
    assert r.status_code == 200 and b"The chain is intact" in r.data
    victim = db.session.scalar(sa.select(AuditEvent).where(AuditEvent.action == "note.add"))
    db.session.execute(sa.update(AuditEvent).where(AuditEvent.id == victim.id).values(detail='{"note":"edited"}'))
    db.session.commit()
    r = client.post("/audit/verify")
    assert b"BROKEN" in r.data and f"#{victim.seq}".encode() in r.data
    verifies = list(db.session.scalars(sa.select(AuditEvent.detail).where(AuditEvent.action == "audit.verify")))
    assert len(verifies) == 2 and '"ok":true' in verifies[0] and '"ok":false' in verifies[1]


def test_action_filter_shows_labels_in_the_readers_language(client, users, login_as, clock):
    _seed(users, clock)
    login_as(users["auditor"])
    html = client.get("/audit?lang=ar").data.decode()
    select = html.split('name="action"', 1)[1].split("</select>", 1)[0]
    assert 'value="case.receive"' in select and ">case.receive<" not in select
    assert ">تم استلام الشكوى<" in select  # "Complaint received"
