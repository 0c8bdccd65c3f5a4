"""Administration: accounts (create, role, deactivate, password, sign-out, 2FA reset), categories, offices."""

from __future__ import annotations

import sqlalchemy as sa

from caseflow.auth import totp
from caseflow.cases.choices import category_choices, office_choices
from caseflow.enums import Role
from caseflow.extensions import db
from caseflow.models import AuditEvent, Category, Office, RecoveryCode, User
from tests.factories import PASSWORD, category, make_case

NEW = "Quiet harbour lights at nine"


def _actions() -> list[str]:
    return list(db.session.scalars(sa.select(AuditEvent.action).order_by(AuditEvent.seq)))


def _signed_in_elsewhere(app, user):
    other = app.test_client()
    assert other.post("/login", data={"username": user.username, "password": PASSWORD}).status_code == 302
    assert other.get("/account").status_code == 200
    return other


def test_only_admins_enter(client, users, login_as):
    login_as(users["supervisor"])
    assert client.get("/admin/users").status_code == 403
    assert client.post("/admin/categories", data={"code": "x", "name": "y"}).status_code == 403


def test_create_user_enforces_policy_and_refuses_hostile_names(client, users, login_as):
    login_as(users["admin"])
    base = {"full_name": "Nadia Haddad", "role": "investigator", "office_id": "0", "email": ""}
    r = client.post("/admin/users", data=base | {"username": "nadia", "password": "password2026!"})
    assert r.status_code == 400 and b"too common" in r.data
    r = client.post("/admin/users", data=base | {"username": "<script>x</script>", "password": NEW})
    assert r.status_code == 400 and b"<script>x" not in r.data
    r = client.post("/admin/users", data=base | {"username": "nadia", "role": "overlord", "password": NEW})
    assert r.status_code == 400
    hostile = base | {"username": "nadia", "password": NEW, "full_name": "<img src=x onerror=alert(1)>"}
    r = client.post("/admin/users", data=hostile)
    assert r.status_code == 302
    page = client.get("/admin/users").data
    assert b"<img src=x" not in page and b"&lt;img src=x onerror=alert(1)&gt;" in page
    nadia = db.session.scalar(sa.select(User).where(User.username == "nadia"))
    assert nadia.role == Role.INVESTIGATOR and nadia.password_hash.startswith("$argon2id$")
    assert "user.create" in _actions()
    r = client.post("/admin/users", data=hostile)
    assert r.status_code == 400 and b"already taken" in r.data


def test_role_change_ends_sessions(app, client, users, login_as):
    target = users["investigator"]
    other = _signed_in_elsewhere(app, target)
    login_as(users["admin"])
    r = client.post(f"/admin/users/{target.id}/role", data={"role": "supervisor"})
    assert r.status_code == 302
    db.session.refresh(target)
    assert target.role == Role.SUPERVISOR and "user.role_change" in _actions()
    assert other.get("/account").status_code == 302


def test_deactivate_signs_out_and_blocks_sign_in(app, client, users, login_as):
    target = users["intake"]
    other = _signed_in_elsewhere(app, target)
    login_as(users["admin"])
    client.post(f"/admin/users/{target.id}/active", data={"active": "0"})
    assert other.get("/account").status_code == 302
    fresh = app.test_client()
    r = fresh.post("/login", data={"username": target.username, "password": PASSWORD})
    assert b"Wrong username or password" in r.data
    client.post(f"/admin/users/{target.id}/active", data={"active": "1"})
    assert fresh.post("/login", data={"username": target.username, "password": PASSWORD}).status_code == 302


def test_admin_cannot_lock_themselves_out(client, users, login_as):
    me = users["admin"]
    login_as(me)
    r = client.post(f"/admin/users/{me.id}/active", data={"active": "0"}, follow_redirects=True)
    assert b"your own account" in r.data
    db.session.refresh(me)
    assert me.active


def test_reset_password_and_force_logout(app, client, users, login_as):
    target = users["supervisor"]
    other = _signed_in_elsewhere(app, target)
    login_as(users["admin"])
    client.post(f"/admin/users/{target.id}/logout")
    assert other.get("/account").status_code == 302
    other = _signed_in_elsewhere(app, target)
    r = client.post(f"/admin/users/{target.id}/password", data={"password": "sara-is-fine-2026"},
                    follow_redirects=True)
    assert b"must not contain your username" in r.data
    client.post(f"/admin/users/{target.id}/password", data={"password": NEW})
    assert other.get("/account").status_code == 302
    fresh = app.test_client()
    assert fresh.post("/login", data={"username": "sara", "password": NEW}).status_code == 302
    assert {"user.force_logout", "user.password_reset"} <= set(_actions())


def test_reset_two_step(client, users, login_as, clock):
    from caseflow.auth import operations as auth_ops

    target = users["investigator"]
    target.totp_secret = totp.new_secret()
    target.totp_enabled = True
    auth_ops.replace_recovery_codes(target)
    db.session.commit()
    login_as(users["admin"])
    client.post(f"/admin/users/{target.id}/reset-2fa")
    db.session.refresh(target)
    assert not target.totp_enabled and target.totp_secret is None
    assert db.session.scalar(sa.select(sa.func.count(RecoveryCode.id))) == 0
    assert "user.2fa_reset" in _actions()


def test_admin_never_sees_case_content(client, users, login_as):
    case = make_case(title="Deputy director takes kickbacks")
    login_as(users["admin"])
    assert client.get(f"/cases/{case.number}").status_code == 403
    assert b"kickbacks" not in client.get("/admin/users").data
    assert client.get("/cases").status_code == 403


def test_categories_add_rename_withdraw(client, users, login_as):
    category("bribery")
    login_as(users["admin"])
    r = client.post("/admin/categories", data={"code": "procurement_fraud", "name": "Procurement fraud"})
    assert r.status_code == 302
    r = client.post("/admin/categories", data={"code": "Bad Code!", "name": "x"})
    assert r.status_code == 400
    new = db.session.scalar(sa.select(Category).where(Category.code == "procurement_fraud"))
    client.post(f"/admin/categories/{new.id}", data={"name": "Procurement & tender fraud"})
    db.session.refresh(new)
    assert new.name == "Procurement & tender fraud"
    client.post(f"/admin/categories/{new.id}", data={"active": "0"})
    assert new.id not in [c for c, _ in category_choices()]
    assert {"category.add", "category.rename", "category.deactivate"} <= set(_actions())


def test_offices_add_rename_withdraw(client, users, login_as):
    login_as(users["admin"])
    client.post("/admin/offices", data={"code": "SOUTH-1", "name": "South Land Border Post"})
    office = db.session.scalar(sa.select(Office).where(Office.code == "SOUTH-1"))
    assert office is not None and office.id in [o for o, _ in office_choices()]
    client.post(f"/admin/offices/{office.id}", data={"name": ""})
    db.session.refresh(office)
    assert office.name == "South Land Border Post"
    client.post(f"/admin/offices/{office.id}", data={"active": "0"})
    assert office.id not in [o for o, _ in office_choices()]
