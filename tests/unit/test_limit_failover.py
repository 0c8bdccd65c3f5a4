"""The limit counters on a real Redis: shared by hosts with their own files, and handed to the host's file while
Redis is down (a warning, no error), then back to Redis when it answers again."""

from __future__ import annotations

import logging
import time
from pathlib import Path

import pytest
from limits import parse
from limits.strategies import FixedWindowRateLimiter

from caseflow.limitstore import FailoverStorage
from tests.redis_server import RedisServer

FIVE = parse("5 per hour")


def _host(url: str, folder: Path, retry: float = 5.0) -> FixedWindowRateLimiter:
    folder.mkdir(exist_ok=True)
    return FixedWindowRateLimiter(FailoverStorage("caseflow+failover://", shared=url,
                                                  local=f"caseflow+sqlite://{folder / 'limits.sqlite'}",
                                                  retry_seconds=retry))


def test_two_hosts_with_their_own_files_count_one_budget_on_redis(redis_url: str, tmp_path: Path) -> None:
    a, b = _host(redis_url, tmp_path / "a"), _host(redis_url, tmp_path / "b")
    allowed = [(a, b)[n % 2].hit(FIVE, "guesser") for n in range(8)]
    assert allowed == [True] * 5 + [False] * 3


def test_a_redis_outage_counts_on_the_host_file_then_redis_again(
        own_redis: RedisServer, tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    host = _host(own_redis.url, tmp_path / "a", retry=0.2)
    assert [host.hit(FIVE, "k") for _ in range(3)] == [True] * 3
    own_redis.stop()
    with caplog.at_level(logging.WARNING, logger="caseflow.limits"):
        started = time.monotonic()
        during = [host.hit(FIVE, "k") for _ in range(7)]
        assert time.monotonic() - started < 2  # no request waits on the dead server
    assert during == [True] * 5 + [False] * 2  # still limited: the host's own count, from zero
    assert "rate-limit storage unreachable" in caplog.text
    own_redis.start()  # empty: nothing was persisted
    time.sleep(0.3)
    with caplog.at_level(logging.WARNING, logger="caseflow.limits"):
        assert host.hit(FIVE, "k") is True
    assert "reachable again" in caplog.text
    assert own_redis.command("KEYS", "*") != "*0"  # the count is on Redis again
    assert host.storage.get(FIVE.key_for("k")) == 1
