"""Page latencies in-process (Flask test client, real templates, real queries) on a seeded database."""

from __future__ import annotations

import random
import time
from typing import Any

import sqlalchemy as sa
from flask import Flask

from bench.common import Table, pct_text, percentile, timed
from bench.seed import BENCH_PASSWORD

RARE_QUERIES = ["kilo17", "harbour230", "wharf99 cash", "puerto401", "depot12 officer", "borne77"]


def _login(app: Flask, username: str) -> Any:
    """Return a test client signed in as a seeded user."""
    client = app.test_client()
    response = client.post("/login", data={"username": username, "password": BENCH_PASSWORD})
    assert response.status_code == 302, response.data[:300]
    return client


def _dashboard_url(app: Flask) -> str | None:
    """Return the main dashboard's URL if the dashboards area is installed."""
    for rule in app.url_map.iter_rules():
        if rule.rule.startswith("/dashboard") and "GET" in (rule.methods or ()) and not rule.arguments:
            return rule.rule
    return None


class PageFailedError(Exception):
    """A page answered with an error (another area's page may be broken while it is being built)."""


def _get(client: Any, url: str) -> None:
    response = client.get(url)
    if response.status_code != 200:
        raise PageFailedError(f"{url} answered {response.status_code}")


def _safe(name: str, results: dict[str, Any], fn: Any, *args: Any, **kw: Any) -> None:
    """Time one page, recording a failure instead of stopping the run."""
    try:
        results[name] = fn(*args, **kw)
    except PageFailedError as exc:
        results[name] = str(exc)


def run_pages(app: Flask, label: str, table: Table, repeat: int, target_scale: bool) -> dict[str, list[float]]:
    """Time the case list (plain, filtered), search, case page and dashboard; add them to the table."""
    from caseflow.extensions import db
    from caseflow.models import Case, Office

    with app.app_context():
        numbers = list(db.session.scalars(sa.select(Case.number).where(Case.restricted.is_(False))
                                          .order_by(sa.func.random()).limit(repeat + 5)))
        office = db.session.scalar(sa.select(Office.id).order_by(Office.id).limit(1))
    supervisor = _login(app, "bench-supervisor")
    manager = _login(app, "bench-manager")
    rng = random.Random(7)
    results: dict[str, list[float]] = {}
    _safe("reference /healthz", results, timed, lambda: _get(supervisor, "/healthz"), repeat)
    _safe("case list, newest first", results, timed, lambda: _get(supervisor, "/cases"), repeat)
    _safe("case list, state+office filter", results, timed,
        lambda: _get(supervisor, f"/cases?state=investigation&office={office}"), repeat)
    _safe("case list, 2nd page, priority", results, timed,
          lambda: _get(supervisor, "/cases?priority=high&page=2"), repeat)
    _safe("search: place name (+ word)", results, timed,
        lambda: _get(supervisor, f"/cases?q={rng.choice(RARE_QUERIES).replace(' ', '+')}"), repeat)
    _safe("search + state filter", results, timed, lambda: _get(supervisor, "/cases?q=kilo17&state=closed"), repeat)
    _safe("search: very common word (~45% of cases)", results, timed, lambda: _get(supervisor, "/cases?q=tobacco"),
                                                                 max(5, repeat // 3), warmup=1)
    it = iter(numbers)
    _safe("case page", results, timed, lambda: _get(supervisor, f"/cases/{next(it)}"), repeat)
    dash = _dashboard_url(app)
    if dash:
        _safe("dashboard", results, timed, lambda: _get(manager, dash), max(5, repeat // 2), warmup=1)
    ref = results["reference /healthz"]
    ref_text = f"/healthz {pct_text(ref)}"
    for name, values in results.items():
        if name.startswith("reference"):
            continue
        if isinstance(values, str):
            table.add(f"pages {label}", name, "FAILED", values, "", None)
            continue
        target, limit = "", None
        if name == "dashboard":
            target, limit = "p95 <= 200 ms", 200.0
        elif "search" in name or "filter" in name:
            target, limit = "p95 <= 100 ms", 100.0
        if label.startswith("sqlite") and limit:
            target, limit = f"p95 <= {3 * limit:.0f} ms", 3 * limit
        ok = percentile(values, 95) <= limit if (limit and target_scale) else None
        table.add(f"pages {label}", name, pct_text(values), ref_text, target, ok)
    if not dash:
        table.add(f"pages {label}", "dashboard", "not measured", "", "p95 <= 200 ms", None)
        print("    (no /dashboard route is installed yet)")
    return results


def run_verify(app: Flask, table: Table, label: str) -> float:
    """Time a full audit-chain verification and add events/s to the table (SQLite: one-process figure beside it)."""
    from caseflow.audit import event_hash, verify_chain
    from caseflow.extensions import db

    def verify(**options: Any) -> tuple[int, float]:
        with app.app_context():
            t0 = time.perf_counter()
            result = verify_chain(**options)
            seconds = time.perf_counter() - t0
            db.session.remove()
        assert result.ok, result.message
        return result.count, result.count / seconds

    count, rate = verify()  # as auditors run it: SQLite splits long chains over two processes
    one = f"one process {verify(parallel_from=10**12)[1]:,.0f}/s; " if label.startswith("sqlite") else ""
    t0 = time.perf_counter()
    prev = "0" * 64
    for i in range(100_000):
        prev = event_hash(prev, i, "2026-01-01T00:00:00", 1, "user", 5, "case.view", "{}")
    hash_rate = 100_000 / (time.perf_counter() - t0)
    table.add("verify", f"audit-verify {label} ({count:,} events)", f"{rate:,.0f} events/s",
              f"{one}bare SHA-256 chain {hash_rate:,.0f}/s", ">= 200k/s", rate >= 200_000)
    return rate
