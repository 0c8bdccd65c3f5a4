"""Staff authentication: two-step sign-in, enrolment, lockout, throttling, timeouts, password policy."""

from __future__ import annotations

import re

import pytest
import sqlalchemy as sa

from caseflow.auth import totp
from caseflow.auth.passwords import hash_password, verify_password
from caseflow.auth.policy import password_problems
from caseflow.extensions import db, limiter
from caseflow.models import AuditEvent, RecoveryCode, User
from tests.factories import PASSWORD


def _actions() -> list[str]:
    return list(db.session.scalars(sa.select(AuditEvent.action).order_by(AuditEvent.seq)))


def _password(client, user, password=PASSWORD):
    return client.post("/login", data={"username": user.username, "password": password})


@pytest.fixture
def require_2fa(app, monkeypatch):
    monkeypatch.setitem(app.config, "CASEFLOW_REQUIRE_2FA", True)


def _enrolled(user, clock) -> str:
    user.totp_secret = totp.new_secret()
    user.totp_enabled = True
    db.session.commit()
    return user.totp_secret


def test_argon2_hash_is_upgraded_when_parameters_change(client, app, users, monkeypatch):
    user = users["supervisor"]
    monkeypatch.setitem(app.config, "CASEFLOW_ARGON2", {"time_cost": 1, "memory_cost": 4096, "parallelism": 1})
    user.password_hash = hash_password(PASSWORD)
    db.session.commit()
    old = user.password_hash
    monkeypatch.setitem(app.config, "CASEFLOW_ARGON2", {"time_cost": 2, "memory_cost": 8192, "parallelism": 1})
    assert _password(client, user).status_code == 302
    db.session.refresh(user)
    assert user.password_hash != old and "$argon2id$" in user.password_hash and "m=8192,t=2" in user.password_hash
    assert verify_password(user.password_hash, PASSWORD)


def test_first_sign_in_leads_to_enrolment_and_no_access_before(client, users, require_2fa, clock):
    user = users["investigator"]
    r = _password(client, user)
    assert r.status_code == 302 and r.location.endswith("/login/enrol")
    assert client.get("/cases").status_code == 302  # not signed in yet
    assert client.get("/account").status_code == 302
    page = client.get("/login/enrol")
    html = page.data.decode()
    assert page.status_code == 200 and "<svg" in html and "<script" not in html
    db.session.refresh(user)
    secret = user.totp_secret
    assert secret and secret in html and not user.totp_enabled
    r = client.post("/login/enrol", data={"code": "000000" if totp.code_at_now(secret) != "000000" else "111111"})
    assert b"not right" in r.data and client.get("/cases").status_code == 302
    r = client.post("/login/enrol", data={"code": totp.code_at_now(secret)})
    codes = re.findall(r"<code>([a-z0-9]{5}-[a-z0-9]{5})</code>", r.data.decode())
    assert r.status_code == 200 and len(codes) == 10 and len(set(codes)) == 10
    assert client.get("/cases").status_code == 200
    stored = list(db.session.scalars(sa.select(RecoveryCode.code_hash).where(RecoveryCode.user_id == user.id)))
    assert len(stored) == 10 and not set(codes) & set(stored)
    # the TOTP seed is stored sealed under the key-encryption key, never as the seed itself
    raw = db.session.scalar(sa.text("SELECT totp_secret FROM users WHERE id = :id"), {"id": user.id})
    assert raw.startswith("s1:") and secret not in raw and len(raw) <= 160
    assert "auth.2fa_enrol" in _actions()


def test_every_role_is_sent_to_enrolment(client, users, require_2fa):
    from caseflow.enums import Role

    seen = set()
    for user in users.values():
        r = _password(client.application.test_client(), user)
        assert r.status_code == 302 and r.location.endswith("/login/enrol"), user.role
        seen.add(user.role)
    assert seen == set(Role)


def test_two_step_sign_in_with_code_and_replay_refused(client, users, clock):
    user = users["supervisor"]
    secret = _enrolled(user, clock)
    r = _password(client, user)
    assert r.location.endswith("/login/code")
    assert client.get("/cases").status_code == 302
    code = totp.code_at_now(secret)
    r = client.post("/login/code", data={"code": code})
    assert r.status_code == 302 and client.get("/cases").status_code == 200
    logins = [d for a, d in db.session.execute(sa.select(AuditEvent.action, AuditEvent.detail)) if a == "auth.login"]
    assert logins and '"second_factor":"totp"' in logins[-1]
    other = client.application.test_client()
    _password(other, user)
    r = other.post("/login/code", data={"code": code})  # the same code a second time
    assert b"not right" in r.data and other.get("/cases").status_code == 302
    clock.advance(seconds=30)
    other.post("/login/code", data={"code": totp.code_at_now(secret)})
    assert other.get("/cases").status_code == 200


def test_recovery_code_works_once(client, app, users, clock):
    from caseflow.auth import operations as ops

    user = users["investigator"]
    _enrolled(user, clock)
    codes = ops.replace_recovery_codes(user)
    db.session.commit()
    _password(client, user)
    client.post("/login/code", data={"code": codes[3].upper().replace("-", " ")})
    assert client.get("/account").status_code == 200
    assert b"9 recovery codes left" in client.get("/account").data
    again = app.test_client()
    _password(again, user)
    r = again.post("/login/code", data={"code": codes[3]})
    assert b"not right" in r.data and again.get("/account").status_code == 302


def test_lockout_after_failures_same_message_and_audited(client, app, users, clock, monkeypatch):
    monkeypatch.setitem(app.config, "CASEFLOW_LOCKOUT_ATTEMPTS", 3)
    monkeypatch.setitem(app.config, "CASEFLOW_LOCKOUT_MINUTES", 15)
    user = users["supervisor"]
    for _ in range(3):
        r = _password(client, user, "Wrong-password-guess")
        assert b"Wrong username or password" in r.data
    r = _password(client, user)  # the right password, while locked
    assert r.status_code == 200 and b"Wrong username or password" in r.data
    assert client.get("/cases").status_code == 302
    actions = _actions()
    assert actions.count("auth.login_failed") == 3 and "auth.lockout" in actions and "auth.login_locked" in actions
    clock.advance(minutes=16)
    assert _password(client, user).status_code == 302 and client.get("/cases").status_code == 200


def test_wrong_totp_codes_count_towards_lockout(client, app, users, clock, monkeypatch):
    monkeypatch.setitem(app.config, "CASEFLOW_LOCKOUT_ATTEMPTS", 3)
    user = users["investigator"]
    secret = _enrolled(user, clock)
    _password(client, user)
    wrong = "123456" if totp.code_at_now(secret) != "123456" else "654321"
    client.post("/login/code", data={"code": wrong})
    client.post("/login/code", data={"code": wrong})
    r = client.post("/login/code", data={"code": wrong})
    assert r.status_code == 302 and r.location.endswith("/login#flash")  # the message is where the page opens
    db.session.refresh(user)
    assert user.locked_until is not None
    r = _password(client, user)
    assert b"Wrong username or password" in r.data


@pytest.fixture
def throttled(monkeypatch):
    monkeypatch.setattr(limiter, "enabled", True)
    limiter.reset()
    yield
    limiter.reset()


def test_login_brute_force_is_throttled(client, users, throttled, app, monkeypatch):
    monkeypatch.setitem(app.config, "CASEFLOW_LOCKOUT_ATTEMPTS", 1000)
    codes = [_password(client, users["auditor"], f"guess-number-{i:04d}").status_code for i in range(12)]
    assert codes[:10] == [200] * 10 and codes[10:] == [429, 429]


def test_totp_brute_force_is_throttled(client, users, throttled, app, clock, monkeypatch):
    monkeypatch.setitem(app.config, "CASEFLOW_LOCKOUT_ATTEMPTS", 1000)
    user = users["supervisor"]
    _enrolled(user, clock)
    _password(client, user)
    codes = [client.post("/login/code", data={"code": f"{i:06d}"}).status_code for i in range(12)]
    assert 429 in codes and codes.count(429) >= 2 and codes[0] == 200


def test_idle_session_is_refused(client, app, users, clock, login_as, monkeypatch):
    monkeypatch.setitem(app.config, "CASEFLOW_IDLE_MINUTES", 30)
    login_as(users["supervisor"])
    clock.advance(minutes=29)
    assert client.get("/cases").status_code == 200  # activity keeps the session alive
    clock.advance(minutes=29)
    assert client.get("/cases").status_code == 200
    clock.advance(minutes=31)
    r = client.get("/cases?state=triage")
    assert r.status_code == 302 and "/login" in r.location and "next=" in r.location
    page = client.get(r.location)
    assert b"inactivity" in page.data
    assert client.get("/cases").status_code == 302
    assert "auth.session_expired" in _actions()


def test_absolute_session_lifetime(client, app, users, clock, login_as, monkeypatch):
    monkeypatch.setitem(app.config, "CASEFLOW_IDLE_MINUTES", 30)
    monkeypatch.setitem(app.config, "CASEFLOW_SESSION_HOURS", 2)
    login_as(users["supervisor"])
    for _ in range(4):
        clock.advance(minutes=25)
        assert client.get("/cases").status_code == 200
    clock.advance(minutes=25)  # 125 minutes after sign-in, though never idle
    r = client.get("/cases")
    assert r.status_code == 302 and "/login" in r.location


@pytest.mark.parametrize(("password", "problem"), [
    ("short-pw", "at least 12"),
    ("Password2025!", "too common"),
    ("qwertyuiop123", "too common"),
    ("aaaaaaaaaaaaaa", "too common"),
    ("my-name-is-sara-ok", "username"),
])
def test_password_policy_refuses(password, problem):
    assert any(problem in p for p in password_problems(password, "sara"))


def test_password_policy_accepts_a_passphrase():
    assert password_problems("violet tram rides at dawn", "sara") == []


def test_change_password_ends_other_sessions(app, users, login_as, client):
    user = users["investigator"]
    login_as(user)
    other = app.test_client()
    _password(other, user)
    assert other.get("/account").status_code == 200
    r = client.post("/account/password", data={"current": PASSWORD, "new": "short", "confirm": "short"})
    assert r.status_code == 400
    r = client.post("/account/password", data={"current": PASSWORD, "new": "password123456",
                                                "confirm": "password123456"})
    assert r.status_code == 400 and b"too common" in r.data
    new = "Seven blue lanterns over Tallinn"
    r = client.post("/account/password", data={"current": "not-it-at-all", "new": new, "confirm": new})
    assert r.status_code == 400 and b"current password is not right" in r.data
    r = client.post("/account/password", data={"current": PASSWORD, "new": new, "confirm": new})
    assert r.status_code == 302
    assert client.get("/account").status_code == 200  # this session continues
    with app.app_context():
        assert other.get("/account").status_code == 302  # the other one is gone
    fresh = app.test_client()
    assert _password(fresh, user, PASSWORD).status_code == 200
    assert _password(fresh, user, new).status_code == 302
    assert "auth.password_change" in _actions()


def test_enrol_from_account_page(client, users, login_as, clock):
    user = users["manager"]
    login_as(user)
    page = client.get("/account/two-step")
    assert page.status_code == 200 and b"<svg" in page.data
    db.session.refresh(user)
    r = client.post("/account/two-step", data={"code": totp.code_at_now(user.totp_secret)})
    assert r.status_code == 200 and r.data.count(b"<code>") == 10
    db.session.refresh(user)
    assert user.totp_enabled
    assert db.session.scalar(sa.select(sa.func.count(User.id)).where(User.totp_enabled.is_(True))) == 1
