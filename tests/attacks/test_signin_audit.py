"""A password typed into the username field must never reach the audit log."""

from __future__ import annotations

import sqlalchemy as sa

from caseflow.extensions import db
from caseflow.models import AuditEvent


def test_failed_sign_in_with_an_unknown_username_records_no_typed_text(client, users):
    typed = "Winter-Sunrise-2026!"  # the user's password, typed into the username field by mistake
    r = client.post("/login", data={"username": typed, "password": "anything"})
    assert r.status_code == 200 and b"Wrong username or password" in r.data
    events = db.session.scalars(sa.select(AuditEvent).where(AuditEvent.action == "auth.login_failed")).all()
    assert len(events) == 1
    for event in events:
        row = " ".join(str(v) for v in (event.actor_label, event.detail, event.action))
        assert typed not in row and "Winter" not in row
    raw = db.session.execute(sa.text("SELECT * FROM audit_events")).all()
    assert not any(typed in str(value) for line in raw for value in line)


def test_failed_sign_in_of_a_known_account_is_still_attributed(client, users):
    client.post("/login", data={"username": users["supervisor"].username, "password": "wrong password"})
    event = db.session.scalars(sa.select(AuditEvent).where(AuditEvent.action == "auth.login_failed")).one()
    assert event.actor_id == users["supervisor"].id
