"""Person search and the landing page on a seeded database (the person index built in bulk first)."""

from __future__ import annotations

import time
from datetime import date, timedelta
from typing import Any

import sqlalchemy as sa
from flask import Flask

from bench.common import Table, pct_text, percentile, timed
from bench.pages import _get, _login, _safe

OPEN_CASES = 200
TASKS = 1000


def index_terms(app: Flask) -> tuple[int, float]:
    """Compute every seeded person's search terms (as set_person_identity would) and insert them in bulk."""
    from caseflow import search_terms
    from caseflow.extensions import db

    people = sa.table("people", sa.column("id"), sa.column("full_name"), sa.column("badge_number"))
    terms = sa.table("person_terms", sa.column("key"), sa.column("person_id"))
    t0 = time.perf_counter()
    count = 0
    with app.app_context():
        with db.engine.begin() as conn:
            if conn.execute(sa.select(sa.func.count()).select_from(terms)).scalar():
                return 0, 0.0
            rows = conn.execute(sa.select(people.c.id, people.c.full_name, people.c.badge_number)).all()
            batch: list[dict[str, Any]] = []
            for pid, name, badge in rows:
                batch.extend({"key": k, "person_id": pid} for k in search_terms.person_keys(name or "", badge))
                if len(batch) >= 20_000:
                    conn.execute(terms.insert(), batch)
                    count += len(batch)
                    batch = []
            if batch:
                conn.execute(terms.insert(), batch)
                count += len(batch)
    return count, time.perf_counter() - t0


def give_work(app: Flask) -> str:
    """Make bench-investigator lead of 200 open cases with 1,000 open tasks; return a badge to search for."""
    from caseflow.extensions import db
    from caseflow.models import Case, CaseParty, Person, Task, User

    with app.app_context():
        user = db.session.scalar(sa.select(User).where(User.username == "bench-investigator"))
        ids = list(db.session.scalars(sa.select(Case.id).where(Case.state.in_(("investigation", "on_hold")))
                                      .order_by(Case.id).limit(OPEN_CASES)))
        db.session.execute(sa.update(Case).where(Case.id.in_(ids)).values(lead_investigator_id=user.id))
        if not db.session.scalar(sa.select(sa.func.count(Task.id)).where(Task.owner_id == user.id)):
            today = date(2026, 11, 1)
            db.session.execute(sa.insert(Task), [
                {"case_id": ids[i % len(ids)], "title": f"Task {i}", "owner_id": user.id,
                 "due_date": today + timedelta(days=(i % 60) - 20)} for i in range(TASKS)])
        badge_col = sa.table("people", sa.column("id"), sa.column("badge_number")).c
        badge = db.session.execute(sa.select(badge_col.badge_number).join(
            CaseParty, CaseParty.person_id == badge_col.id).where(CaseParty.case_id == ids[0])).scalar()
        assert Person  # the people table is read raw: the seed stored names as the pre-sealing rows are
        db.session.commit()
        return str(badge)


def run_people(app: Flask, label: str, table: Table, repeat: int, target_scale: bool) -> None:
    """Time person search (name, prefix, badge) and the landing pages; add them to the table."""
    count, seconds = index_terms(app)
    if count:
        table.add(f"people {label}", "person index built (bulk)", f"{count:,} terms", f"{seconds:.1f} s")
    badge = give_work(app)
    supervisor = _login(app, "bench-supervisor")
    investigator = _login(app, "bench-investigator")
    results: dict[str, Any] = {}
    _safe("reference /healthz", results, timed, lambda: _get(supervisor, "/healthz"), repeat)
    _safe("person search: surname (1 in 13 people)", results, timed,
          lambda: _get(supervisor, "/people?q=Haddad"), repeat)
    _safe("person search: first name + surname", results, timed,
          lambda: _get(supervisor, "/people?q=Omar+Haddad"), repeat)
    _safe("person search: prefix", results, timed, lambda: _get(supervisor, "/people?q=hadd"), repeat)
    _safe("person search: badge", results, timed, lambda: _get(supervisor, f"/people?q={badge}"), repeat)
    _safe("person search: badge (investigator)", results, timed,
          lambda: _get(investigator, f"/people?q={badge}"), repeat)
    _safe("my work: investigator, 200 cases, 1,000 tasks", results, timed,
          lambda: _get(investigator, "/my-work"), repeat)
    _safe("my work: supervisor", results, timed, lambda: _get(supervisor, "/my-work"), repeat)
    ref = results["reference /healthz"]
    for name, values in results.items():
        if name.startswith("reference"):
            continue
        if isinstance(values, str):
            table.add(f"people {label}", name, "FAILED", values)
            continue
        limit = 100.0 * (2 if label.startswith("sqlite") else 1)
        target = f"p95 <= {limit:.0f} ms" if "supervisor" not in name or "search" in name else ""
        ok = percentile(values, 95) <= limit if (target and target_scale) else None
        table.add(f"people {label}", name, pct_text(values), f"/healthz {pct_text(ref)}", target, ok)
