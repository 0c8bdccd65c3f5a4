"""Receipt guessing spread over several app hosts gets one budget, not one per host: the hosts count on one Redis
(CASEFLOW_LIMITER_URL), while each keeps its own instance folder; another reporter still gets in."""

from __future__ import annotations

import random
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from flask import Flask

from tests.redis_server import RedisServer
from tests.reporting_support import receipt_of, submit
from tests.served_hosts import STAFF, receipt_login, staff_sign_in, two_hosts

GUESSER, REPORTER = "198.51.100.66", "203.0.113.5"
BUDGETS = {"CASEFLOW_LIMIT_FOLLOW_UP": "4 per hour", "CASEFLOW_LIMIT_FOLLOW_UP_RECEIPT": "50 per hour",
           "CASEFLOW_LIMIT_FOLLOW_UP_ALL": "6 per hour"}


def _guess() -> str:
    return f"{random.randrange(10**15, 10**16):016d}"


@pytest.fixture(scope="module")
def portal_hosts(app: Flask, redis_server: RedisServer,
                 tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[int, int]]:
    """Two portal hosts (own instance folders, 2 workers each) over one database and this worker's Redis."""
    with two_hosts(app, tmp_path_factory.mktemp("hosts"), redis_server.url, **BUDGETS) as ports:
        yield ports


@pytest.fixture
def receipt(portal_app: Flask, redis_server: RedisServer) -> str:
    """A real reporter's receipt; the shared counters start empty."""
    redis_server.flush()
    return receipt_of(submit(portal_app.test_client()).text)


def test_a_receipt_guesser_alternating_between_two_hosts_gets_one_budget_not_two(
        portal_hosts: tuple[int, int], receipt: str) -> None:
    a, b = portal_hosts
    statuses = [receipt_login((a, b)[n % 2], _guess(), GUESSER) for n in range(12)]
    assert statuses == [400] * 4 + [429] * 8, statuses  # the budget of 4 summed across both hosts, not 4 each
    assert receipt_login(b, receipt, REPORTER) == 302  # the guesser never reached the shared budgets
    assert receipt_login(a, receipt, "192.0.2.77") == 302


def test_guessers_from_many_addresses_on_two_hosts_share_one_global_budget(
        portal_hosts: tuple[int, int], receipt: str) -> None:
    a, b = portal_hosts
    statuses = [receipt_login((a, b)[n % 2], _guess(), f"192.0.2.{n + 1}") for n in range(9)]
    assert statuses == [400] * 6 + [429] * 3, statuses  # 6 wrong codes in all, wherever they were sent


def test_staff_sign_in_guesses_alternating_between_two_staff_hosts_get_one_budget(
        app: Any, redis_server: RedisServer, tmp_path: Path) -> None:
    redis_server.flush()
    with two_hosts(app, tmp_path, redis_server.url, wsgi=STAFF, ready=("/login", 200)) as (a, b):
        statuses = [staff_sign_in((a, b)[n % 2], "admin", f"guess-{n}", GUESSER) for n in range(12)]
    assert statuses == [200] * 10 + [429] * 2, statuses  # "10 per minute" per address, across both hosts
