"""Redis going down under a running portal: receipt logins are neither failed (no 500) nor unlimited; the host
counts on its own file meanwhile and says so in its log."""

from __future__ import annotations

import random
from pathlib import Path

from flask import Flask

from tests.redis_server import RedisServer
from tests.reporting_support import receipt_of, submit
from tests.served_hosts import PORTAL, host_env, receipt_login
from tests.served_portal import served_portal


def test_a_redis_outage_mid_run_keeps_the_follow_up_limit_on_the_host_and_never_answers_500(
        app: Flask, portal_app: Flask, own_redis: RedisServer, tmp_path: Path) -> None:
    receipt = receipt_of(submit(portal_app.test_client()).text)
    env = host_env(app, tmp_path / "host", own_redis.url, CASEFLOW_LIMIT_FOLLOW_UP="4 per hour")
    with served_portal(app, 2, PORTAL, **env) as (port, log):
        def guess() -> int:
            return receipt_login(port, f"{random.randrange(10**15, 10**16)}", "198.51.100.66")

        before = [guess() for _ in range(2)]  # counted on Redis
        own_redis.stop()
        during = [guess() for _ in range(6)]  # counted on this host's file, by both workers together
        reporter = receipt_login(port, receipt, "203.0.113.5")
        text = log.read_text()
    assert before == [400, 400]
    assert during == [400] * 4 + [429] * 2, during
    assert reporter == 302
    assert "rate-limit storage unreachable" in text and "Traceback" not in text
