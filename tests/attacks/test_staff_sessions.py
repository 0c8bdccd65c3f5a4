"""A staff cookie copied by an attacker must stop working once the session ends, however it ends."""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa

from caseflow.extensions import db
from caseflow.models import StaffSession, User
from tests import factories


def _signed_in(app: Any, user: User) -> Any:
    client = app.test_client()
    r = client.post("/login", data={"username": user.username, "password": factories.PASSWORD})
    assert r.status_code == 302
    assert client.get("/cases").status_code == 200
    return client


def _thief(app: Any, victim: Any) -> Any:
    """A second browser holding a copy of the victim's session cookie."""
    name = app.config["SESSION_COOKIE_NAME"]
    cookie = victim.get_cookie(name)
    assert cookie is not None
    thief = app.test_client()
    thief.set_cookie(name, cookie.value)
    return thief


def _opens_cases(client: Any) -> bool:
    r = client.get("/cases")
    return r.status_code == 200


def test_cookie_copied_before_logout_no_longer_opens_cases(app, users):
    victim = _signed_in(app, users["supervisor"])
    thief = _thief(app, victim)
    assert _opens_cases(thief)  # the copy works while the session stands...
    assert victim.post("/logout").status_code == 302
    assert not _opens_cases(thief)  # ...and not after sign-out
    row = db.session.scalar(sa.select(StaffSession).where(StaffSession.user_id == users["supervisor"].id))
    assert row.revoked_at is not None and row.revoked_reason == "signed_out"


def test_the_cookie_holds_a_random_session_id_not_the_account(app, users):
    victim = _signed_in(app, users["supervisor"])
    with victim.session_transaction() as stored:
        assert stored["_user_id"].startswith("s.") and len(stored["_user_id"]) > 40
        assert str(users["supervisor"].id) + ":" not in stored["_user_id"]


def test_idle_timeout_revokes_the_session_on_the_server(app, users, clock, monkeypatch):
    monkeypatch.setitem(app.config, "CASEFLOW_IDLE_MINUTES", 30)
    victim = _signed_in(app, users["supervisor"])
    thief = _thief(app, victim)
    clock.advance(minutes=31)
    assert not _opens_cases(victim)
    assert not _opens_cases(thief)
    row = db.session.scalar(sa.select(StaffSession).where(StaffSession.user_id == users["supervisor"].id))
    assert row.revoked_reason == "idle"


def test_password_change_ends_the_other_sessions(app, users):
    user = users["supervisor"]
    victim = _signed_in(app, user)
    other = _signed_in(app, user)
    thief = _thief(app, other)
    r = victim.post("/account/password", data={"current": factories.PASSWORD, "new": "a much newer passphrase 9",
                                               "confirm": "a much newer passphrase 9"})
    assert r.status_code == 302
    assert _opens_cases(victim)  # the browser that changed it stays signed in, on a new session
    assert not _opens_cases(other) and not _opens_cases(thief)


def test_admin_deactivation_ends_the_session(app, users):
    user = users["supervisor"]
    victim = _signed_in(app, user)
    admin = app.test_client()
    admin.post("/login", data={"username": users["admin"].username, "password": factories.PASSWORD})
    r = admin.post(f"/admin/users/{user.id}/active", data={"active": "0"})
    assert r.status_code in (302, 303)
    assert not db.session.get(User, user.id).active
    assert not _opens_cases(victim)
    rows = db.session.scalars(sa.select(StaffSession).where(StaffSession.user_id == user.id)).all()
    assert rows and all(row.revoked_at is not None for row in rows)
