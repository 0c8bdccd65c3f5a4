"""Bulk loader: N realistic cases with subjects, allegations and a valid audit chain, fast.

SQLite gets executemany on the raw DB-API connection; PostgreSQL gets COPY (psycopg cursor.copy).
Every audit event is hashed with caseflow.audit.event_hash, so `flask caseflow audit-verify` passes.
"""

from __future__ import annotations

import json
import random
import time
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

import sqlalchemy as sa

from caseflow.audit import GENESIS, encode_detail, event_hash
from caseflow.auth.operations import create_user
from caseflow.enums import Role
from caseflow.extensions import db
from caseflow.models import AuditHead, Category, Office, User
from caseflow.reference import ensure_categories

BENCH_PASSWORD = "Bench!CaseFlow-2026"  # noqa: S105 - benchmark data only
BATCH = 5000
WORDS = ("officer cash bribe gate container clearance inspector invoice undervalued tariff smuggling "
         "tobacco fuel cigarettes perfume electronics seizure receipt payment demanded threatened "
         "driver truck port warehouse broker declaration forged stamp certificate night shift "
         "supervisor border crossing import export quota customs duty refund fraud extortion "
         "douane agent paiement faux certificat camion frontera soborno aduana funcionario "
         "pagamento fronteira carga despacho mercadoria").split()
PLACE_ROOTS = ["harbour", "kilo", "puerto", "borne", "depot", "wharf"]
PLACES = 500  # place names like "kilo123": 3,000 distinct, each in ~1/3,000 of the cases
STATES = [("closed", 50), ("dismissed", 14), ("investigation", 10), ("triage", 5), ("received", 4),
          ("on_hold", 2), ("reporting", 3), ("referred", 6), ("archived", 6)]
CHANNELS = ["web", "whistleblower", "email", "phone", "hotline", "letter", "walk_in", "api", "csv", "internal"]
PRIORITIES = ["low", "medium", "medium", "medium", "high", "critical"]
FINDINGS = ["sustained", "not_sustained", "unfounded", "exonerated", "policy_failure"]
FIRST = "Ana Luis Maria Jean Pierre Fatima Omar Carlos Ines Joao Sofia Amina Paulo Lucia Ahmed".split()
LAST = "Silva Dupont Garcia Mensah Haddad Costa Moreau Lopez Pereira Diallo Benali Santos Rossi".split()


@dataclass
class SeedResult:
    """What a seed run loaded and how long it took."""

    cases: int
    rows: int
    events: int
    seconds: float

    @property
    def rows_per_s(self) -> float:
        """Return the load rate in rows per second."""
        return self.rows / self.seconds if self.seconds else 0.0


def _reference(n_offices: int = 60, n_investigators: int = 120) -> tuple[list[int], list[int], list[int], int]:
    """Create categories, offices and staff (one real password hash, shared); return their ids."""
    ensure_categories()
    offices = [Office(code=f"B{i:03d}", name=f"Customs office {i}") for i in range(n_offices)]
    db.session.add_all(offices)
    admin = create_user("bench-supervisor", "Bench Supervisor", Role.SUPERVISOR, BENCH_PASSWORD)
    create_user("bench-manager", "Bench Manager", Role.MANAGER, BENCH_PASSWORD)
    create_user("bench-intake", "Bench Intake", Role.INTAKE_OFFICER, BENCH_PASSWORD)
    investigator = create_user("bench-investigator", "Bench Investigator", Role.INVESTIGATOR, BENCH_PASSWORD)
    staff = [User(username=f"inv{i:04d}", full_name=f"Investigator {i}", role=Role.INVESTIGATOR,
                  password_hash=investigator.password_hash) for i in range(n_investigators)]
    db.session.add_all(staff)
    db.session.commit()
    cats = list(db.session.scalars(sa.select(Category.id)))
    return cats, [o.id for o in offices], [investigator.id] + [u.id for u in staff], admin.id


def _text(rng: random.Random, k: int) -> str:
    """Return k random words."""
    return " ".join(rng.choices(WORDS, k=k))


def _title(rng: random.Random) -> str:
    """Return a title: common words plus a rarer place name (1 in PLACES), as real titles have."""
    return f"{_text(rng, rng.randint(3, 7)).capitalize()} at {rng.choice(PLACE_ROOTS)}{rng.randint(1, PLACES)}"[:200]


class _Writer:
    """Append rows per table and flush them in bulk (COPY on PostgreSQL, executemany on SQLite)."""

    def __init__(self, connection: Any, dialect: str) -> None:
        self.connection = connection
        self.dialect = dialect
        self.rows: dict[str, tuple[list[str], list[tuple[Any, ...]]]] = {}
        self.count = 0

    def add(self, table: str, columns: list[str], row: tuple[Any, ...]) -> None:
        """Queue one row."""
        self.rows.setdefault(table, (columns, []))[1].append(row)

    def flush(self) -> None:
        """Write every queued row, tables in dependency order, and commit."""
        cur = self.connection.cursor()
        for table in ("people", "cases", "case_parties", "allegations", "audit_events"):
            if table not in self.rows:
                continue
            columns, rows = self.rows[table]
            if self.dialect == "postgresql":
                with cur.copy(f"COPY {table} ({', '.join(columns)}) FROM STDIN") as copy:
                    for row in rows:
                        copy.write_row(row)
            else:
                marks = ", ".join("?" for _ in columns)
                cur.executemany(f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({marks})",  # noqa: S608
                                rows)
            self.count += len(rows)
        self.connection.commit()
        self.rows.clear()


CASE_COLS = ["id", "number", "year", "seq", "channel", "received_at", "category_id", "priority", "office_id",
             "title", "summary", "state", "state_changed_at", "lead_investigator_id", "is_anonymous",
             "restricted", "legal_hold", "acknowledged_at", "triage_started_at", "triaged_at",
             "investigation_started_at", "closed_at", "archived_at", "outcome", "created_at", "updated_at"]
EVENT_COLS = ["seq", "occurred_at", "actor_id", "actor_label", "case_id", "action", "detail", "prev_hash", "hash"]


def _case_rows(rng: random.Random, n: int, start: datetime, span_days: int) -> Iterator[tuple[int, datetime]]:
    """Yield (case id, received_at) in chronological order."""
    step = span_days * 86400 / max(n, 1)
    for i in range(n):
        yield i + 1, start + timedelta(seconds=int(i * step + rng.random() * step))


def seed(n: int, years: int = 5, seed_value: int = 1, end: datetime | None = None) -> SeedResult:
    """Load n cases (and their people, allegations and audit events) into an empty schema."""
    rng = random.Random(seed_value)
    cats, offices, investigators, supervisor = _reference()
    head = db.session.get(AuditHead, 1)
    seq, prev = (head.seq, head.last_hash) if head else (0, GENESIS)
    end = end or datetime(2026, 11, 1)
    start = end - timedelta(days=365 * years)
    states = [s for s, w in STATES for _ in range(w)]
    counters: dict[int, int] = {}
    raw = db.engine.raw_connection()
    dialect = db.engine.dialect.name
    writer = _Writer(raw.driver_connection, dialect)
    t0 = time.perf_counter()
    person_id = party_id = 0
    for case_id, received in _case_rows(rng, n, start, 365 * years):
        year = received.year
        counters[year] = counters.get(year, 0) + 1
        number = f"IA-{year}-{counters[year]:05d}"
        state = rng.choice(states)
        age = (end - received).days
        if state in ("received", "triage", "investigation", "on_hold", "reporting") and age > 400:
            state = "closed"
        lead = rng.choice(investigators) if state not in ("received", "triage", "dismissed") else None
        triage_at = received + timedelta(days=rng.randint(1, 10)) if state != "received" else None
        inv_at = triage_at + timedelta(days=rng.randint(3, 20)) if lead and triage_at else None
        closed_at = (inv_at or triage_at or received) + timedelta(days=rng.randint(30, 300)) \
            if state in ("closed", "dismissed", "referred", "archived") else None
        if closed_at and closed_at > end:
            closed_at = end - timedelta(days=1)
        changed = closed_at or inv_at or triage_at or received
        category = rng.choice(cats)
        writer.add("cases", CASE_COLS, (
            case_id, number, year, counters[year], rng.choice(CHANNELS), received, category, rng.choice(PRIORITIES),
            rng.choice(offices), _title(rng), _text(rng, rng.randint(20, 60)),
            state, changed, lead, rng.random() < 0.3, rng.random() < 0.01, False,
            received + timedelta(days=rng.randint(0, 6)), triage_at, inv_at, inv_at, closed_at,
            closed_at + timedelta(days=800) if state == "archived" and closed_at else None,
            "Outcome recorded" if state == "closed" else None, received, changed))
        person_id += 1
        party_id += 1
        writer.add("people", ["id", "full_name", "badge_number", "office_id", "created_at"], (
            person_id, f"{rng.choice(FIRST)} {rng.choice(LAST)}", f"B{rng.randint(1000, 99999)}",
            rng.choice(offices), received))
        writer.add("case_parties", ["id", "case_id", "person_id", "role", "created_at"],
                   (party_id, case_id, person_id, "subject", received))
        finding = rng.choice(FINDINGS) if state in ("closed", "reporting", "archived") else None
        writer.add("allegations", ["case_id", "subject_party_id", "category_id", "conduct", "finding",
                                   "created_at"], (case_id, party_id, category, _text(rng, 12), finding, received))
        events = [(received, None, "system", "case.receive", {"channel": "web", "number": number})]
        if triage_at:
            events.append((triage_at, supervisor, "bench-supervisor", "case.transition",
                           {"from": "received", "to": "triage"}))
        if inv_at:
            events.append((inv_at, supervisor, "bench-supervisor", "case.assign", {"lead": lead}))
            events.append((inv_at, supervisor, "bench-supervisor", "case.transition",
                           {"from": "triage", "to": "investigation"}))
        if closed_at:
            events.append((closed_at, supervisor, "bench-supervisor", "case.transition", {"to": state}))
        for occurred, actor_id, label, action, detail in events:
            seq += 1
            text = encode_detail(detail)
            digest = event_hash(prev, seq, occurred, actor_id, label, case_id, action, text)
            writer.add("audit_events", EVENT_COLS,
                       (seq, occurred, actor_id, label, case_id, action, text, prev, digest))
            prev = digest
        if case_id % BATCH == 0:
            writer.flush()
    writer.flush()
    raw.close()
    _finish(dialect, counters, seq, prev)
    return SeedResult(cases=n, rows=writer.count, events=seq, seconds=time.perf_counter() - t0)


def _finish(dialect: str, counters: dict[int, int], seq: int, prev: str) -> None:
    """Set the case counters, the audit head and (PostgreSQL) the id sequences; refresh statistics."""
    table = sa.table("case_counters", sa.column("year"), sa.column("last"))
    for year, last in counters.items():
        db.session.execute(table.insert().values(year=year, last=last))
    head = db.session.get(AuditHead, 1)
    if head is None:
        db.session.add(AuditHead(id=1, seq=seq, last_hash=prev))
    else:
        head.seq, head.last_hash = seq, prev
    db.session.commit()
    with db.engine.connect() as conn:
        if dialect == "postgresql":
            for name in ("cases", "people", "case_parties", "allegations", "audit_events"):
                conn.exec_driver_sql(f"SELECT setval(pg_get_serial_sequence('{name}', 'id'), "
                                     f"(SELECT coalesce(max(id), 1) FROM {name}))")
            conn.commit()
            # after a bulk load, as an operator would: statistics, and the visibility map that lets the
            # dashboard's covering index answer without visiting the table (autovacuum does it later anyway)
            conn.execution_options(isolation_level="AUTOCOMMIT").exec_driver_sql("VACUUM (ANALYZE)")
        else:
            conn.exec_driver_sql("ANALYZE")
            conn.commit()


def describe(result: SeedResult) -> dict[str, Any]:
    """Return a seed result as a JSON-friendly dict."""
    return json.loads(json.dumps({**result.__dict__, "rows_per_s": round(result.rows_per_s)}))

