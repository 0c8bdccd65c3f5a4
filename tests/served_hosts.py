"""Several app hosts under gunicorn: their own instance folders, one database, keys, secret and limit store."""

from __future__ import annotations

import contextlib
import re
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

from tests.served_portal import call, served_portal, token_of

PORTAL, STAFF = "tests.host_app:portal()", "tests.host_app:staff()"  # portal_wsgi:app and wsgi:app, cheap hashes


def host_env(app: Any, instance: Path, limiter_url: str | None, **env: str) -> dict[str, str]:
    """One host's environment: an instance folder of its own (nothing shared on disk but the key files)."""
    instance.mkdir(parents=True, exist_ok=True)
    base = {"CASEFLOW_INSTANCE": str(instance), "CASEFLOW_KEK_FILE": str(app.config["CASEFLOW_KEK_FILE"]),
            "CASEFLOW_RECEIPT_SALT_FILE": str(app.config["CASEFLOW_RECEIPT_SALT_FILE"]),
            "CASEFLOW_BEHIND_PROXY": "1", "CASEFLOW_RATELIMIT_ENABLED": "1", "CASEFLOW_LIMITER_URL": limiter_url or ""}
    return {**base, **env}


@contextlib.contextmanager
def two_hosts(app: Any, folder: Path, limiter_url: str | None, wsgi: str = PORTAL,
              ready: tuple[str, int] = ("/favicon.ico", 204), **env: str) -> Iterator[tuple[int, int]]:
    """Serve the app on two hosts of 2 gunicorn workers each (started side by side); yield their ports."""
    hosts = [served_portal(app, 2, wsgi, ready, **host_env(app, folder / name, limiter_url, **env))
             for name in ("host-a", "host-b")]
    with contextlib.ExitStack() as stack, ThreadPoolExecutor(2) as pool:
        started = [pool.submit(host.__enter__) for host in hosts]
        outcomes = [future.exception() or future.result() for future in started]
        for host, outcome in zip(hosts, outcomes, strict=True):
            if not isinstance(outcome, BaseException):
                stack.push(host.__exit__)  # a host that started is stopped even if the other did not
        for outcome in outcomes:
            if isinstance(outcome, BaseException):
                raise outcome
        yield outcomes[0][0], outcomes[1][0]


def receipt_login(port: int, receipt: str, address: str) -> int:
    """Open the follow-up page and send a receipt from a client address (the proxy's X-Forwarded-For)."""
    via = {"X-Forwarded-For": address}
    token = token_of(call(port, "GET", "/follow-up", headers=via)[1])
    return call(port, "POST", "/follow-up", {"form_token": token, "receipt": receipt}, headers=via)[0]


def staff_sign_in(port: int, username: str, password: str, address: str) -> int:
    """Open the staff sign-in page and send a username and password from a client address."""
    status, page, response = call(port, "GET", "/login", headers={"X-Forwarded-For": address})
    assert status == 200, page[:300]
    cookie = (response.getheader("Set-Cookie") or "").split(";", 1)[0]
    match = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', page)
    assert match, "no CSRF token on the sign-in page"
    form = {"csrf_token": match.group(1), "username": username, "password": password}
    return call(port, "POST", "/login", form, headers={"X-Forwarded-For": address, "Cookie": cookie})[0]
