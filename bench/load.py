"""Load test: concurrent anonymous reporters and signed-in staff against gunicorn on loopback.

    python -m bench.load --reporters 50 --investigators 10 --seconds 60

Pass criteria: no errors, and every receipt issued opens exactly one stored case, with no case stored
that no receipt opens (nothing lost, nothing duplicated). Rate limits are off (all clients share one
address); 2FA is off for the staff clients.
"""

from __future__ import annotations

import argparse
import re
import sys
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.client import Client, reporter_login, send_message, staff_login, submit_report  # noqa: E402
from bench.common import pct_text  # noqa: E402


@dataclass
class LoadResult:
    """What a load run did."""

    receipts: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    report_ms: list[float] = field(default_factory=list)
    staff_ms: list[float] = field(default_factory=list)
    requests: int = 0
    seconds: float = 0.0


def _reporter(port: int, until: float, result: LoadResult, lock: threading.Lock) -> None:
    """Report, come back with the receipt and add a message, until the time is up."""
    client = Client(port)
    while time.monotonic() < until:
        mine: list[float] = []
        try:
            receipt = submit_report(client, mine)
            with lock:
                result.receipts.append(receipt)
                result.report_ms.extend(mine)
                result.requests += 2
            if time.monotonic() < until:
                reporter_login(client, receipt)
                send_message(client, "One more detail for the investigators.")
                with lock:
                    result.requests += 4
            client.cookies.clear()
        except Exception as exc:  # noqa: BLE001 - every failure is counted and reported
            with lock:
                result.errors.append(f"reporter: {type(exc).__name__}: {str(exc)[:160]}")
            client.close()
            client.cookies.clear()
    client.close()


def _investigator(port: int, until: float, username: str, password: str, result: LoadResult,
                  lock: threading.Lock) -> None:
    """Work the case list: newest, filtered, searched, and open cases from it."""
    client = Client(port)
    try:
        staff_login(client, username, password)
    except Exception as exc:  # noqa: BLE001
        with lock:
            result.errors.append(f"staff login: {exc}")
        return
    urls = ["/cases", "/cases?state=received", "/cases?q=officer+night", "/cases?channel=whistleblower"]
    i = 0
    while time.monotonic() < until:
        try:
            t0 = time.perf_counter()
            _, page, _ = client.request("GET", urls[i % len(urls)])
            numbers = re.findall(r'href="/cases/([A-Z]+-\d{4}-\d+)"', page)
            spent = [(time.perf_counter() - t0) * 1000]
            if numbers:
                t0 = time.perf_counter()
                client.request("GET", f"/cases/{numbers[i % len(numbers)]}")
                spent.append((time.perf_counter() - t0) * 1000)
            with lock:
                result.staff_ms.extend(spent)
                result.requests += len(spent)
        except Exception as exc:  # noqa: BLE001
            with lock:
                result.errors.append(f"staff: {type(exc).__name__}: {str(exc)[:160]}")
            client.close()
        i += 1
    client.close()


def run_load(port: int, reporters: int, investigators: int, seconds: float,
             staff: list[tuple[str, str]], portal_port: int | None = None) -> LoadResult:
    """Run the staff clients against the staff app on port and the reporters against the portal, for `seconds`."""
    result = LoadResult()
    lock = threading.Lock()
    until = time.monotonic() + seconds
    public = portal_port or port
    threads = [threading.Thread(target=_reporter, args=(public, until, result, lock)) for _ in range(reporters)]
    threads += [threading.Thread(target=_investigator, args=(port, until, *staff[i % len(staff)], result, lock))
                for i in range(investigators)]
    t0 = time.perf_counter()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    result.seconds = time.perf_counter() - t0
    return result


def check_receipts(receipts: list[str]) -> list[str]:
    """Return the problems found: a receipt opening no case, two receipts on one case, unclaimed cases."""
    import sqlalchemy as sa

    from caseflow.enums import Channel
    from caseflow.extensions import db
    from caseflow.models import Case
    from caseflow.reporting.operations import find_submission

    problems, seen = [], set()
    for code in receipts:
        submission = find_submission(code)
        if submission is None:
            problems.append(f"receipt {code[-4:]} opens no case")
        elif submission.case_id in seen:
            problems.append(f"case {submission.case_id} is opened by two receipts")
        else:
            seen.add(submission.case_id)
    stored = set(db.session.scalars(sa.select(Case.id).where(Case.channel == Channel.WHISTLEBLOWER)))
    if stored - seen:
        problems.append(f"{len(stored - seen)} stored reports have no issued receipt (duplicates or lost answers)")
    return problems


def main(argv: list[str] | None = None) -> int:
    """Prepare a database, serve it with gunicorn, run the load, check every receipt."""
    from bench.client import gunicorn
    from bench.common import make_app
    from bench.intake import _prepare
    from bench.run import WORK, _pg_url
    from bench.seed import BENCH_PASSWORD

    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--reporters", type=int, default=50)
    parser.add_argument("--investigators", type=int, default=10)
    parser.add_argument("--seconds", type=float, default=60)
    args = parser.parse_args(argv)
    work = WORK / "load"
    work.mkdir(parents=True, exist_ok=True)
    url = _pg_url("caseflow_bench_load") or f"sqlite:///{work / 'load.db'}"
    env = _prepare(url, work)
    app = make_app(url, str(work))
    from caseflow.auth.operations import create_user
    from caseflow.enums import Role
    from caseflow.extensions import db

    with app.app_context():
        staff = [create_user(f"staff{i}", f"Staff {i}", Role.SUPERVISOR, BENCH_PASSWORD) for i in range(3)]
        db.session.commit()
        logins = [(u.username, BENCH_PASSWORD) for u in staff]
        db.engine.dispose()
    with gunicorn("bench.wsgi_bench:app", env, work / "gunicorn.log") as (port, _), \
            gunicorn("portal_wsgi:app", env, work / "portal.log", probe="/") as (portal_port, _):
        result = run_load(port, args.reporters, args.investigators, args.seconds, logins, portal_port)
    with app.app_context():
        problems = check_receipts(result.receipts)
    print(f"{args.reporters} reporters + {args.investigators} staff for {result.seconds:.0f} s on "
          f"{url.split(':')[0]}: {result.requests} requests ({result.requests / result.seconds:.1f}/s), "
          f"{len(result.receipts)} reports, {len(result.errors)} errors")
    print(f"  report POST {pct_text(result.report_ms)}; staff pages {pct_text(result.staff_ms)}")
    for line in (result.errors[:10] + problems):
        print("  PROBLEM:", line)
    print("PASS" if not result.errors and not problems else "FAIL")
    return 0 if not result.errors and not problems else 1


if __name__ == "__main__":
    raise SystemExit(main())
