"""The CSV import's batched write path: cases, keys, sealed content, subjects, audit events and mail in bulk.

Everything runs in the caller's transaction (the importer commits once, or rolls everything back). Per
case it stores exactly what receive_complaint() stores for a CSV row (the case, its own wrapped data key,
the sealed description and identity in report_submissions, the subject), with one `case.receive` audit
event per case, but with one INSERT per table per batch of BATCH_SIZE rows instead of several per row.
"""

from __future__ import annotations

import enum
import functools
import json
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any, cast

import psycopg
import sqlalchemy as sa
from flask import current_app
from psycopg import sql as psql
from sqlalchemy.dialects import postgresql, sqlite

from caseflow import crypto, events
from caseflow.audit import GENESIS, SEP, encode_detail, event_hash
from caseflow.cases import subjects
from caseflow.channels.outbound import ack_language, acknowledgement_writer, new_message_id
from caseflow.channels.outboxseal import seal_with_key
from caseflow.channels.receive import identity_of
from caseflow.clock import utcnow
from caseflow.enums import Channel, PartyRole, Priority
from caseflow.extensions import db
from caseflow.intake.confidential import MAX_TEXT, clean_identity
from caseflow.intake.operations import new_case_values
from caseflow.models import (
    AuditEvent,
    AuditHead,
    Case,
    CaseCounter,
    CaseParty,
    OutboxMail,
    Person,
    PersonSound,
    PersonTerm,
    User,
)
from caseflow.models.base import table_of
from caseflow.models.intake import CaseKey, ReportSubmission
from caseflow.sqlcompat import insert_ignore, is_postgres

BATCH_SIZE = 1000


@dataclass(slots=True)
class NewCase:
    """One validated CSV row, ready to be written as a case."""

    source_reference: str
    title: str
    content: str
    received_at: datetime | None
    category_id: int | None
    office_id: int | None
    priority: Priority
    incident_date: str | None
    location_detail: str | None
    is_anonymous: bool
    subject_name: str
    subject_badge: str | None
    reporter_name: str
    reporter_email: str
    reporter_phone: str
    unit_id: int | None = None

    def identity(self) -> dict[str, str] | None:
        """Return the reporter's identity to seal, as the one-row path builds it; None if nobody is named."""
        return None if self.is_anonymous else clean_identity(
            identity_of(self.reporter_name, self.reporter_email, self.reporter_phone))

    def acknowledged(self) -> bool:
        """Return whether the complainant is named and gave an e-mail address (they get an acknowledgement)."""
        return bool(self.reporter_email and self.reporter_name)


@dataclass(slots=True)
class _Written:
    """What the audit event and the acknowledgement of one written case need."""

    case_id: int
    number: str
    sealed_identity: bool
    ack: bool


def allocate_numbers(years: list[int]) -> list[tuple[int, str]]:
    """Reserve a block of case numbers per year in one statement; return (seq, number) per row, in order."""
    if not years:
        return []
    counts = Counter(years)
    table = table_of(CaseCounter)
    insert = postgresql.insert if is_postgres() else sqlite.insert
    stmt = insert(table).values([{"year": y, "last": n} for y, n in sorted(counts.items())])
    stmt = stmt.on_conflict_do_update(index_elements=["year"], set_={"last": table.c.last + stmt.excluded.last})
    last = dict(db.session.execute(stmt.returning(table.c.year, table.c.last)).tuples().all())
    prefix = current_app.config.get("CASEFLOW_CASE_PREFIX", "IA")
    seq = {year: int(last[year]) - count for year, count in counts.items()}
    out: list[tuple[int, str]] = []
    for year in years:
        seq[year] += 1
        out.append((seq[year], f"{prefix}-{year}-{seq[year]:05d}"))
    return out


def allocate_ids(table: sa.Table, count: int) -> list[int]:
    """Reserve `count` new primary keys of a table, for rows inserted with explicit ids."""
    if count <= 0:
        return []
    if is_postgres():
        return list(db.session.scalars(sa.text("SELECT nextval(pg_get_serial_sequence(:name, 'id')) "
                                               "FROM generate_series(1, :count)"),
                                       {"name": table.name, "count": count}))
    # SQLite: allocate_numbers() wrote first, so this transaction holds the database's write lock until it
    # ends; nobody else can insert, and the ids after the current largest are ours.
    top = db.session.scalar(sa.select(sa.func.max(table.c.id))) or 0
    return list(range(top + 1, top + count + 1))


def _bound_rows(table: sa.Table, columns: list[str], rows: list[dict[str, Any]],
                dialect: sa.Dialect) -> list[tuple[Any, ...]]:
    """Return the rows as driver tuples, each value through its column's bind processing (sealing included)."""
    processors = [_processor(table.c[c].type, dialect) for c in columns]
    if not any(processors):
        return [tuple(row[c] for c in columns) for row in rows]
    pairs = list(zip(columns, processors, strict=True))
    return [tuple(row[c] if p is None else p(row[c]) for c, p in pairs) for row in rows]


def _processor(kind: sa.types.TypeEngine[Any], dialect: sa.Dialect) -> Callable[[Any], Any] | None:
    """Return a column's bind processor; a pure one (dates: most rows of a batch carry the same) is memoised.

    A sealing processor is never memoised: each value gets its own nonce.
    """
    process = kind.dialect_impl(dialect).bind_processor(dialect)
    if process is None or isinstance(kind, sa.types.TypeDecorator):
        return process
    done: dict[Any, Any] = {}

    def memoised(value: Any) -> Any:
        try:
            if value not in done:
                done[value] = process(value)
            return done[value]
        except TypeError:  # an unhashable value (none of the imported columns today) is processed as it is
            return process(value)

    return memoised


def insert_batch(table: sa.Table, rows: list[dict[str, Any]]) -> None:
    """Insert rows (all with the same keys) in one go: COPY on PostgreSQL, one driver executemany elsewhere.

    Both bypass SQLAlchemy's per-row parameter building (half the import's time); each column's bind
    processor (sealing, dates) runs here instead, so what is stored is what an ORM insert would store.
    """
    if not rows:
        return
    columns = list(rows[0])
    connection = db.session.connection()
    dialect = connection.dialect
    values = _bound_rows(table, columns, rows, dialect)
    quote = dialect.identifier_preparer.quote
    if not is_postgres():
        names, marks = ", ".join(quote(c) for c in columns), ", ".join("?" for _ in columns)
        statement = f"INSERT INTO {quote(table.name)} ({names}) VALUES ({marks})"  # noqa: S608 - the model's names
        connection.exec_driver_sql(statement, values)
        return
    copy_in = psql.SQL("COPY {} ({}) FROM STDIN").format(
        psql.Identifier(table.name), psql.SQL(", ").join(psql.Identifier(c) for c in columns))
    driver = cast(psycopg.Connection, connection.connection.driver_connection)  # same transaction
    try:
        with driver.cursor() as cursor, cursor.copy(copy_in) as copy:
            for row in values:
                copy.write_row(row)
    except psycopg.Error as exc:  # raised as SQLAlchemy raises driver errors (IntegrityError, ...)
        raise sa.exc.DBAPIError.instance(f"COPY {table.name}", None, exc, psycopg.Error) from exc


def with_defaults(table: sa.Table, row: dict[str, Any]) -> dict[str, Any]:
    """Return the row with every missing column set from the model's own default (COPY applies none)."""
    out = {k: (v.value if isinstance(v, enum.Enum) else v) for k, v in row.items()}
    for column in table.columns:
        default = column.default
        if column.name in out or default is None or not isinstance(default, sa.ColumnDefault):
            continue
        out[column.name] = default.arg(None) if default.is_callable else default.arg  # type: ignore[operator]
    return out


@dataclass(frozen=True)
class _Ack:
    """The acknowledgement every imported complainant gets: in the installation's language, translated once."""

    language: str
    write: Callable[[str, str | None], tuple[str, str]]


def _ack_mail(email: str, name: str, case_id: int, key: bytes, number: str, now: datetime,
              ack: _Ack) -> dict[str, Any]:
    """Return the outbox row of one acknowledgement, as queue_acknowledgement() would queue it (sealed with the
    case's key)."""
    language = ack.language
    subject, body = ack.write(number, name or None)
    to_sealed, body_sealed = seal_with_key(key, case_id, [email.strip()[:320], body])
    return {"to_addr": to_sealed, "subject": " ".join(subject.split())[:300], "body": body_sealed,
            "kind": "ack", "case_id": case_id, "created_at": now, "attempts": 0, "next_attempt_at": now,
            "language": language, "message_id": new_message_id()}


def _write_batch(rows: list[NewCase], numbers: list[tuple[int, str]], actor: User | None, now: datetime,
                 kek_id: str, staff: subjects.StaffIndex, ack: _Ack,
                 index_person: Callable[[str, str | None], subjects.PersonIndex]) -> list[_Written]:
    """Write one batch of cases and everything that belongs to them; return what the audit needs."""
    case_ids = allocate_ids(table_of(Case), len(rows))
    insert_batch(table_of(Case), [with_defaults(table_of(Case), {"id": case_id, **new_case_values(
        channel=Channel.CSV, title=row.title, received_at=row.received_at or now, number=number, seq=seq,
        actor=actor, category_id=row.category_id, office_id=row.office_id, priority=row.priority,
        is_anonymous=row.is_anonymous, incident_date=row.incident_date, location_detail=row.location_detail,
        source_reference=row.source_reference, unit_id=row.unit_id)})
        for row, case_id, (seq, number) in zip(rows, case_ids, numbers, strict=True)])
    keys: list[dict[str, Any]] = []
    submissions: list[dict[str, Any]] = []
    mails: list[dict[str, Any]] = []
    written: list[_Written] = []
    for row, case_id, (_seq, number), (key, wrapped) in zip(rows, case_ids, numbers,
                                                             crypto.new_data_keys(len(rows)), strict=True):
        identity = row.identity()
        identity_text = json.dumps(identity, ensure_ascii=False) if identity else None
        content_blob, = crypto.seal_texts_with_key(key, case_id, [row.content[:MAX_TEXT * 2]])
        identity_blob, = crypto.seal_texts_with_key(key, case_id, [identity_text], crypto.IDENTITY_BUCKET)
        keys.append({"case_id": case_id, "wrapped_key": wrapped, "kek_id": kek_id, "created_at": now})
        submissions.append({"case_id": case_id, "content_blob": content_blob, "identity_blob": identity_blob,
                            "identity_added_at": now if identity else None, "created_at": now})
        if row.acknowledged():
            mails.append(_ack_mail(row.reporter_email, row.reporter_name, case_id, key, number, now, ack))
        written.append(_Written(case_id, number, identity is not None, row.acknowledged()))
    insert_batch(table_of(CaseKey), keys)
    insert_batch(table_of(ReportSubmission), submissions)
    named = [(row, case_id) for row, case_id in zip(rows, case_ids, strict=True)
             if row.subject_name or row.subject_badge]
    person_ids = allocate_ids(table_of(Person), len(named))
    indexes = [index_person(row.subject_name[:200], row.subject_badge) for row, _case_id in named]
    insert_batch(table_of(Person), [{
        "id": person_id, "full_name": row.subject_name[:200], "badge_number": row.subject_badge or None,
        "position": None, "name_key": index.name_key, "badge_key": index.badge_key,
        "office_id": row.office_id, "user_ref": None, "created_at": now,
    } for (row, _case_id), person_id, index in zip(named, person_ids, indexes, strict=True)])
    insert_batch(table_of(PersonSound), [{"person_id": person_id, "key": key}
                                         for person_id, index in zip(person_ids, indexes, strict=True)
                                         for key in sorted(index.sounds)])
    insert_batch(table_of(PersonTerm), [{"person_id": person_id, "key": key}
                                        for person_id, index in zip(person_ids, indexes, strict=True)
                                        for key in sorted(index.terms)])
    insert_batch(table_of(CaseParty), [
        {"case_id": case_id, "person_id": person_id, "role": PartyRole.SUBJECT.value, "created_at": now}
        for (_row, case_id), person_id in zip(named, person_ids, strict=True)])
    insert_batch(table_of(OutboxMail), mails)
    # The few subjects who name a colleague go through the one matching operation.
    hits = [case_id for (_row, case_id), index in zip(named, indexes, strict=True)
            if subjects.index_matches(index, staff)]
    for case in db.session.scalars(sa.select(Case).where(Case.id.in_(hits))) if hits else []:
        subjects.match_case_subjects(case, actor, staff)
    return written


def append_receive_events(written: list[_Written], actor: User | None, now: datetime,
                          detail: dict[str, Any]) -> None:
    """Append one `case.receive` event per case after the chain head, hashed here, under the head's lock."""
    if not written:
        return
    head = table_of(AuditHead)
    bump = (sa.update(head).where(head.c.id == 1).values(seq=head.c.seq + len(written))
            .returning(head.c.seq, head.c.last_hash))
    row = db.session.execute(bump).one_or_none()  # the row lock serialises every appender until commit
    if row is None:
        insert_ignore(head, id=1, seq=0, last_hash=GENESIS)
        row = db.session.execute(bump).one()
    seq, prev = int(row[0]) - len(written), row[1] or GENESIS
    actor_id = actor.id if actor is not None else None
    label = (actor.username if actor is not None else "system").replace(SEP, " ")[:120]
    audit_rows: list[dict[str, Any]] = []
    for item in written:
        seq += 1
        text = encode_detail({"channel": Channel.CSV.value, "number": item.number, **detail, "content": True,
                              "identity": "sealed" if item.sealed_identity else "none", "ack": item.ack})
        digest = event_hash(prev, seq, now, actor_id, label, item.case_id, "case.receive", text)
        audit_rows.append({"seq": seq, "occurred_at": now, "actor_id": actor_id, "actor_label": label,
                           "case_id": item.case_id, "action": "case.receive", "detail": text, "prev_hash": prev,
                           "hash": digest})
        prev = digest
        if len(audit_rows) == BATCH_SIZE:
            insert_batch(table_of(AuditEvent), audit_rows)
            audit_rows = []
    insert_batch(table_of(AuditEvent), audit_rows)
    db.session.execute(sa.update(head).where(head.c.id == 1).values(last_hash=prev))


def create_cases(rows: list[NewCase], actor: User | None, detail: dict[str, Any],
                 progress: Callable[[int], None] | None = None, batch_size: int = BATCH_SIZE) -> list[str]:
    """Write validated rows as cases in batches, in the caller's transaction; return their numbers."""
    now = utcnow()
    numbers = allocate_numbers([(row.received_at or now).year for row in rows])
    kek_id = crypto.kek_fingerprint()
    staff = subjects.build_staff_index()
    language = ack_language(None)
    ack = _Ack(language, acknowledgement_writer(language))
    # An export names the same officers again and again; each one's ~15 keys are computed once per import.
    index_person = functools.cache(subjects.index_person)
    written: list[_Written] = []
    for start in range(0, len(rows), batch_size):
        end = start + batch_size
        written += _write_batch(rows[start:end], numbers[start:end], actor, now, kek_id, staff, ack, index_person)
        if progress is not None:
            progress(len(written))
    append_receive_events(written, actor, now, detail)
    events.cases_imported.send(received=sorted({row.received_at or now for row in rows}), actor=actor)
    return [number for _seq, number in numbers]
