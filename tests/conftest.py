"""Shared fixtures: one app and database per xdist worker, emptied between tests."""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import datetime
from typing import Any

import pytest
from flask import Flask
from flask.globals import _cv_app
from flask.testing import FlaskClient

from caseflow.app import create_app
from caseflow.clock import FrozenClock, set_clock
from caseflow.enums import Role
from caseflow.extensions import db, limiter
from caseflow.portal import create_portal_app
from config import TestConfig
from tests import dbsetup, factories

pytest_plugins = ["tests.mailservers", "tests.redis_server"]  # loopback Dovecot, SMTP and redis-server


@pytest.fixture(scope="session")
def app(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Flask]:
    """The application under test, bound to this worker's own database."""
    tmp = tmp_path_factory.mktemp("instance")
    name = f"caseflow_test_{dbsetup.worker_id()}"
    url = dbsetup.make_database(name, str(tmp))
    cfg = TestConfig(str(tmp), url)
    cfg.WTF_CSRF_ENABLED = False
    application = create_app(cfg)
    application.test_client_class = StaffClient
    application.extensions["caseflow.test_config"] = cfg
    with application.app_context():
        db.create_all()
    yield application
    with application.app_context():
        db.session.remove()
        db.engine.dispose()
    dbsetup.drop_database(name)


@pytest.fixture(autouse=True)
def _clean(app: Flask) -> Iterator[None]:
    """Give every test an app context and empty tables; reset the real clock and rate limits."""
    ctx = app.app_context()
    ctx.push()
    try:
        yield
    finally:
        app.extensions.pop("caseflow.clock", None)
        dbsetup.empty_all_tables(db)
        try:
            limiter.reset()
        except Exception:  # noqa: BLE001,S110 - storage without reset support
            pass
        db.session.remove()
        ctx.pop()


class StaffClient(FlaskClient):
    """A test client of the staff app: each request gets a fresh `g`, as it has in production (its own app
    context), while it shares the test's database session (the test's app context stays pushed)."""

    def open(self, *args: Any, **kwargs: Any) -> Any:  # noqa: D102 - FlaskClient.open
        ctx = _cv_app.get(None)
        if ctx is None or ctx.app is not self.application:
            return super().open(*args, **kwargs)
        kept, ctx.g = ctx.g, self.application.app_ctx_globals_class()
        try:
            return super().open(*args, **kwargs)
        finally:
            ctx.g = kept


class PortalClient(FlaskClient):
    """A test client of the portal: what the test set up is committed first (the portal has its own session)."""

    def open(self, *args: Any, **kwargs: Any) -> Any:  # noqa: D102 - FlaskClient.open
        db.session.commit()
        return super().open(*args, **kwargs)


@pytest.fixture(scope="session")
def portal_app(app: Flask) -> Iterator[Flask]:
    """The reporter portal under test, over the same database as the staff app."""
    portal = create_portal_app(app.extensions["caseflow.test_config"])
    portal.test_client_class = PortalClient
    yield portal
    with portal.app_context():
        db.session.remove()
        db.engine.dispose()


@pytest.fixture
def client(app: Flask) -> FlaskClient:
    """A browser-like test client of the staff app."""
    return app.test_client()


@pytest.fixture
def portal_client(portal_app: Flask) -> FlaskClient:
    """A browser-like test client of the reporter portal."""
    return portal_app.test_client()


@pytest.fixture
def runner(app: Flask) -> Any:
    """A CLI runner for `flask caseflow ...` commands."""
    return app.test_cli_runner()


@pytest.fixture
def clock(app: Flask, portal_app: Flask) -> Iterator[FrozenClock]:
    """A frozen clock installed on both apps, to move time in tests."""
    frozen = FrozenClock(datetime(2026, 3, 2, 9, 0, 0))
    set_clock(app, frozen)
    set_clock(portal_app, frozen)
    yield frozen
    portal_app.extensions.pop("caseflow.clock", None)


@pytest.fixture
def users() -> dict[str, Any]:
    """One user per role, plus a second investigator and supervisor."""
    return {
        "intake": factories.make_user(Role.INTAKE_OFFICER, "intake"),
        "investigator": factories.make_user(Role.INVESTIGATOR, "ivan", full_name="Ivan Petrov"),
        "investigator2": factories.make_user(Role.INVESTIGATOR, "iris", full_name="Iris Okafor"),
        "supervisor": factories.make_user(Role.SUPERVISOR, "sara", full_name="Sara Lindqvist"),
        "supervisor2": factories.make_user(Role.SUPERVISOR, "samuel", full_name="Samuel Costa"),
        "manager": factories.make_user(Role.MANAGER, "maria"),
        "auditor": factories.make_user(Role.AUDITOR, "aude"),
        "admin": factories.make_user(Role.ADMIN, "adam"),
    }


def login(client: FlaskClient, user: Any, password: str = factories.PASSWORD) -> Any:
    """Sign a user in through the real login form; return the response."""
    return client.post("/login", data={"username": user.username, "password": password})


@pytest.fixture
def login_as(client: FlaskClient) -> Any:
    """Return a function that signs the client in as a user."""
    def _login(user: Any) -> FlaskClient:
        response = login(client, user)
        assert response.status_code == 302, response.data[:500]
        return client
    return _login


def csrf_token(html: bytes | str, name: str = "csrf_token") -> str:
    """Extract a CSRF token from a rendered form."""
    text = html.decode() if isinstance(html, bytes) else html
    match = re.search(rf'name="{re.escape(name)}"[^>]*value="([^"]+)"', text) or \
        re.search(rf'value="([^"]+)"[^>]*name="{re.escape(name)}"', text)
    assert match, f"no {name} in page"
    return match.group(1)
