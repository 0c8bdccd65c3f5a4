"""Receipt guessing is limited in a way that stays fair: one client cannot lock every reporter out, the
limits are counted once across gunicorn workers, and guessing the rest of one receipt has its own budget."""

from __future__ import annotations

import random
from collections.abc import Iterator
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient

from caseflow.extensions import limiter
from tests.reporting_support import form_token, receipt_of, submit
from tests.served_portal import call, served_portal, token_of

GUESSER, REPORTER = "198.51.100.66", "203.0.113.5"


@pytest.fixture
def limits_on(portal_app: Flask, monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    monkeypatch.setitem(portal_app.config, "CASEFLOW_LIMIT_FOLLOW_UP", "10 per 15 minutes")
    monkeypatch.setitem(portal_app.config, "CASEFLOW_LIMIT_FOLLOW_UP_RECEIPT", "5 per hour")
    monkeypatch.setitem(portal_app.config, "CASEFLOW_LIMIT_FOLLOW_UP_ALL", "30 per hour")
    limiter.reset()
    limiter.enabled = True
    yield
    limiter.enabled = False


def _login(client: FlaskClient, receipt: str, addr: str) -> int:
    page = client.get("/follow-up", environ_base={"REMOTE_ADDR": addr})
    response = client.post("/follow-up", data={"form_token": form_token(page.text), "receipt": receipt},
                           environ_base={"REMOTE_ADDR": addr})
    client.delete_cookie("caseflow_reporter", path="/follow-up")
    return response.status_code


def test_one_client_hammering_follow_up_does_not_lock_out_another_reporter(
        portal_app: Flask, limits_on: None) -> None:
    receipt = receipt_of(submit(portal_app.test_client()).text)
    guesser = portal_app.test_client()
    guesses = [f"{random.randrange(10**15, 10**16):016d}" for _ in range(200)]  # spread over many prefixes
    statuses = [_login(guesser, guess, GUESSER) for guess in guesses]
    assert statuses[:10] == [400] * 10 and set(statuses[10:]) == {429}
    assert _login(portal_app.test_client(), receipt, REPORTER) == 302  # the global budget was never spent


def test_guessing_the_rest_of_one_receipt_has_its_own_budget(portal_app: Flask, limits_on: None) -> None:
    receipt = receipt_of(submit(portal_app.test_client()).text).replace(" ", "")
    prefix = receipt[:8]
    wrong = [prefix + f"{(int(receipt[8:]) + n) % 10**8:08d}" for n in range(1, 8)]
    statuses = [_login(portal_app.test_client(), guess, f"192.0.2.{n}") for n, guess in enumerate(wrong)]
    assert statuses[:5] == [400] * 5 and set(statuses[5:]) == {429}  # from 7 different addresses
    other = receipt_of(submit(portal_app.test_client()).text)
    assert _login(portal_app.test_client(), other, REPORTER) == 302


def test_two_gunicorn_workers_do_not_double_a_limit(app: Any) -> None:
    env = {"CASEFLOW_LIMIT_FOLLOW_UP": "4 per hour", "CASEFLOW_RATELIMIT_ENABLED": "1"}
    limiter.reset()
    with served_portal(app, workers=2, **env) as (port, log):
        statuses = []
        for n in range(12):  # one connection each: gunicorn hands them to either worker
            token = token_of(call(port, "GET", "/follow-up")[1])
            guess = f"{n + 1}{random.randrange(10**14, 10**15)}"
            statuses.append(call(port, "POST", "/follow-up", {"form_token": token, "receipt": guess})[0])
    limiter.reset()
    assert statuses == [400] * 4 + [429] * 8, statuses


def _via_circuit(port: int, circuit: int, method: str, path: str, body: str = "") -> tuple[int, str]:
    """One request as Tor sends it with HiddenServiceExportCircuitID haproxy (a PROXY v1 header first)."""
    import socket

    header = f"PROXY TCP6 fc00:dead:beef:4dad::{circuit:x} ::1 {40000 + circuit} 80\r\n"
    extra = f"Content-Type: application/x-www-form-urlencoded\r\nContent-Length: {len(body)}\r\n" if body else ""
    raw = f"{header}{method} {path} HTTP/1.1\r\nHost: x.onion\r\nConnection: close\r\n{extra}\r\n{body}"
    with socket.create_connection(("127.0.0.1", port), timeout=30) as conn:
        conn.sendall(raw.encode())
        data = b""
        while chunk := conn.recv(65536):
            data += chunk
    text = data.decode("utf-8", "replace")
    return int(text.split(" ", 2)[1]), text


def test_behind_an_onion_service_each_tor_circuit_has_its_own_budget(app: Any) -> None:
    from urllib.parse import urlencode

    env = {"CASEFLOW_LIMIT_FOLLOW_UP": "3 per hour", "CASEFLOW_PROXY_PROTOCOL": "v1"}
    limiter.reset()

    def attempt(port: int, circuit: int) -> int:
        token = token_of(_via_circuit(port, circuit, "GET", "/follow-up")[1])
        body = urlencode({"form_token": token, "receipt": f"{random.randrange(10**15, 10**16)}"})
        return _via_circuit(port, circuit, "POST", "/follow-up", body)[0]

    with served_portal(app, workers=2, **env) as (port, _log):
        hammering = [attempt(port, 7) for _ in range(6)]
        other = attempt(port, 8)
    limiter.reset()
    assert hammering == [400] * 3 + [429] * 3
    assert other == 400  # another circuit (another visitor) is still heard: wrong code, not "too many"
