"""Intake under gunicorn (2 workers): the anonymous report and the reporter's follow-up message, with 1 and 4
concurrent clients, beside a hello-world endpoint served by the same gunicorn in the same run."""

from __future__ import annotations

import os
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from bench.client import Client, gunicorn, reporter_login, send_message, submit_report, worker_rss_mb
from bench.common import Table, make_app, pct_text, percentile


def _prepare(url: str, instance: Path) -> dict[str, str]:
    """Create the schema, the default categories and the key files; return gunicorn's environment."""
    from caseflow import crypto
    from caseflow.extensions import db
    from caseflow.reference import ensure_categories

    app = make_app(url, str(instance))
    with app.app_context():
        db.drop_all()
        db.create_all()
        ensure_categories()
        db.session.commit()
        crypto.kek_fingerprint()
        db.engine.dispose()
    return {"DATABASE_URL": url, "CASEFLOW_INSTANCE": str(instance), "CASEFLOW_SECRET_KEY": "bench-secret-key",
            "CASEFLOW_RATELIMIT_ENABLED": "0", "CASEFLOW_REQUIRE_2FA": "0"}


def _concurrent(clients: int, per_client: int, work: Callable[[Client, list[float]], None],
                port: int, setup: Callable[[Client], Any] | None = None) -> tuple[list[float], float, int]:
    """Run `work` per_client times in each of `clients` threads; return latencies, throughput, errors."""
    latencies: list[float] = []
    errors = [0]
    lock = threading.Lock()
    barrier = threading.Barrier(clients + 1)

    def run() -> None:
        client = Client(port)
        if setup:
            setup(client)
        mine: list[float] = []
        barrier.wait()
        for _ in range(per_client):
            try:
                work(client, mine)
            except Exception:  # noqa: BLE001 - counted and reported
                errors[0] += 1
                client.close()
        with lock:
            latencies.extend(mine)
        client.close()

    threads = [threading.Thread(target=run) for _ in range(clients)]
    for t in threads:
        t.start()
    barrier.wait()
    t0 = time.perf_counter()
    for t in threads:
        t.join()
    elapsed = time.perf_counter() - t0
    return latencies, len(latencies) / elapsed if elapsed else 0.0, errors[0]


def _argon2_ms(repeat: int) -> list[float]:
    """Time the slow receipt hash alone, with the production parameters, in this process."""
    from argon2.low_level import Type, hash_secret_raw

    from config import Config

    params = Config().CASEFLOW_RECEIPT_ARGON2
    out = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        hash_secret_raw(b"1234567812345678", b"bench-salt-16byt", time_cost=params["time_cost"],
                        memory_cost=params["memory_cost"], parallelism=params["parallelism"], hash_len=32,
                        type=Type.ID)
        out.append((time.perf_counter() - t0) * 1000)
    return out


def _hello(client: Client, out: list[float]) -> None:
    t0 = time.perf_counter()
    client.request("GET", "/_bench/hello")
    out.append((time.perf_counter() - t0) * 1000)


def _report(client: Client, out: list[float]) -> None:
    submit_report(client, out)


def _message(client: Client, out: list[float]) -> None:
    send_message(client, "More detail: the same officer was there again on Tuesday night.", out)


def _login_reporter(client: Client) -> None:
    reporter_login(client, submit_report(client))


def run_intake(table: Table, work: Path, reports: int = 12, messages: int = 30) -> None:
    """Measure intake on PostgreSQL if configured, else SQLite; add the figures to the table."""
    from bench.run import _pg_url

    work.mkdir(parents=True, exist_ok=True)
    url = _pg_url("caseflow_bench_intake") or f"sqlite:///{work / 'intake.db'}"
    label = "postgres" if url.startswith("postgresql") else "sqlite"
    env = _prepare(url, work)
    slow = _argon2_ms(5)
    table.add(f"intake {label}", "argon2id receipt hash alone (production params)", pct_text(slow),
              "CASEFLOW_RECEIPT_ARGON2: t=3, m=64 MiB, p=2", "", None)
    # Reports and follow-ups go to the reporter portal, its own app; hello-world stays on the staff bench app.
    with gunicorn("bench.wsgi_bench:app", env, work / "gunicorn.log", workers=2) as (port, _staff), \
            gunicorn("portal_wsgi:app", env, work / "portal.log", workers=2, probe="/") as (portal, master):
        for clients in (1, 4):
            hello, hello_rps, _ = _concurrent(clients, 200 // clients * (2 if clients == 4 else 1), _hello, port)
            ref = f"hello {pct_text(hello)}, {hello_rps:,.0f}/s"
            lat, rps, errors = _concurrent(clients, max(3, reports // clients), _report, portal)
            ok = percentile(lat, 50) <= 150 if clients == 1 else None
            table.add(f"intake {label}", f"anonymous report, {clients} client(s)",
                      f"{pct_text(lat)}, {rps:,.1f}/s, {errors} err", ref, "p50 <= 150 ms" if clients == 1 else "", ok)
            lat, rps, errors = _concurrent(clients, max(5, messages // clients), _message, portal, _login_reporter)
            ok = percentile(lat, 50) <= 25 if clients == 1 else None
            table.add(f"intake {label}", f"follow-up message, {clients} client(s)",
                      f"{pct_text(lat)}, {rps:,.1f}/s, {errors} err", ref, "p50 <= 25 ms" if clients == 1 else "", ok)
        rss = worker_rss_mb(master)
        table.add(f"intake {label}", "gunicorn worker RSS after the run", ", ".join(f"{r:.0f} MB" for r in rss),
                  f"portal: {len(rss)} workers, preload_app", "<= 150 MB", bool(rss) and max(rss) <= 150)
    os.environ.pop("CASEFLOW_INSTANCE", None)
