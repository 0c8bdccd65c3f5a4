"""CSV import's batched write path: numbering, sealed content the normal read paths open, one audit event per
case with the chain intact, acknowledgements, all-or-nothing on a failed write, idempotent re-import."""

from __future__ import annotations

import csv
import io
from typing import Any

import pytest
import sqlalchemy as sa
from cryptography.hazmat.primitives.keywrap import aes_key_unwrap

from caseflow import audit, casekeys, crypto, uow
from caseflow.channels import bulkimport
from caseflow.channels.csvimport import NAMES, import_csv
from caseflow.channels.outbound import queue_acknowledgement
from caseflow.channels.outboxseal import body_of, recipient
from caseflow.channels.receive import add_reporter_reply
from caseflow.enums import CaseState, Channel
from caseflow.extensions import db
from caseflow.models import AuditEvent, AuditHead, Case, CaseCounter, CaseParty, OutboxMail, Person
from caseflow.models.intake import CaseKey, ReportSubmission
from caseflow.reporting import operations as reporting
from tests import factories

ROWS = 320  # with the progress step of 100 rows the importer writes it in 4 batches


def _csv(rows: list[dict[str, str]]) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(NAMES)
    for row in rows:
        writer.writerow([row.get(h, "") for h in NAMES])
    return out.getvalue().encode("utf-8")


def _row(n: int) -> dict[str, str]:
    """A varied row: years 2025/2026, named with or without e-mail, e-mail only, anonymous, with a subject."""
    row = {"source_reference": f"BULK-{n:04d}", "title": f"Complaint {n}", "description": f"Détails n°{n}: cash",
           "received_at": f"{2025 + n % 2}-02-{1 + n % 27:02d} 10:{n % 60:02d}", "priority": "high"}
    kind = n % 5
    if kind == 0:
        row.update(reporter_name=f"Ana {n}", reporter_email=f"ana{n}@example.org", reporter_phone="555 0100")
    elif kind == 1:
        row.update(reporter_name=f"Rui {n}", reporter_phone="555 0177")
    elif kind == 2:
        row.update(reporter_email=f"only{n}@example.org")
    elif kind == 3:
        row.update(anonymous="yes")
    if n % 3 == 0:
        row.update(subject_name=f"Officer {n % 7}", subject_badge=f"B-{n % 7}")
    return row


def _import(data: bytes, actor: Any, **kw: Any) -> Any:
    """Import as the command does: one unit of work, committed at the end or rolled back."""
    with uow.unit_of_work():
        return import_csv(data, actor, **kw)


def _count(model: Any) -> int:
    return db.session.scalar(sa.select(sa.func.count()).select_from(model))


def _state() -> dict[str, Any]:
    """Row counts of every table the import writes, and the chain head."""
    db.session.expire_all()
    head = db.session.get(AuditHead, 1)
    return {model.__tablename__: _count(model) for model in
            (Case, CaseKey, ReportSubmission, Person, CaseParty, OutboxMail, AuditEvent, CaseCounter)} | {
        "head": (head.seq, head.last_hash) if head else None,
        "counters": sorted(db.session.execute(sa.select(CaseCounter.year, CaseCounter.last)).tuples())}


def test_batched_import_numbers_seals_audits_and_acknowledges(users: dict[str, Any], clock: Any) -> None:
    boss = users["supervisor"]
    before = factories.make_case(title="Received by phone before the import")  # IA-2026-00001, events 1..n
    rows = [_row(n) for n in range(ROWS)]
    events_before = _count(AuditEvent)
    report = _import(_csv(rows), boss)
    assert report.created == ROWS and not report.errors
    assert audit.verify_chain().ok
    assert _count(AuditEvent) == events_before + ROWS + 1  # one case.receive per case, one csv.import

    cases = {c.source_reference: c for c in db.session.scalars(sa.select(Case).where(Case.id != before.id))}
    # Numbers: per year, in file order, after the numbers already issued (2026 already had one).
    for year, first in ((2025, 1), (2026, 2)):
        refs = [r["source_reference"] for r in rows if r["received_at"].startswith(str(year))]
        assert [cases[ref].number for ref in refs] == [f"IA-{year}-{s:05d}" for s in range(first, first + len(refs))]
        assert [cases[ref].seq for ref in refs] == list(range(first, first + len(refs)))
    assert report.numbers == [cases[r["source_reference"]].number for r in rows]
    assert dict(db.session.execute(sa.select(CaseCounter.year, CaseCounter.last)).tuples().all()) == \
        {2025: ROWS // 2, 2026: ROWS // 2 + 1}
    assert factories.make_case(title="After the import").number == f"IA-2026-{ROWS // 2 + 2:05d}"

    # Each case has its own data key, wrapped by the KEK, and its content opens through the read functions.
    keys = list(db.session.scalars(sa.select(CaseKey).where(CaseKey.case_id != before.id)))
    assert len(keys) == ROWS and len({k.wrapped_key for k in keys}) == ROWS
    assert {k.kek_id for k in keys} == {crypto.kek_fingerprint()}
    kek = crypto._material()["kek"]
    assert len({aes_key_unwrap(kek, k.wrapped_key) for k in keys}) == ROWS
    for n in (0, 1, 2, 3, 5):
        case, row = cases[f"BULK-{n:04d}"], rows[n]
        assert case.channel == Channel.CSV and case.state == CaseState.RECEIVED and case.created_by_id == boss.id
        assert case.is_anonymous == (n % 5 == 3)
        assert reporting.read_complaint(case, boss) == row["description"]
    named = cases["BULK-0000"]
    assert reporting.submission_of(cases["BULK-0003"]).identity_blob is None
    reveal = reporting.request_reveal(named, boss, "Court order 12/2026 needs the name")
    reporting.decide_reveal(reveal, users["supervisor2"], approve=True)
    assert reporting.read_identity(named, boss) == {"name": "Ana 0", "contact": "ana0@example.org / 555 0100",
                                                    "relationship": ""}
    assert add_reporter_reply(named, "More details", [], "mail", sender="ana0@example.org")
    assert [text for _m, text in reporting.thread(named)] == ["More details"]
    subjects = cases["BULK-0006"].parties
    assert [(p.role.value, p.person.full_name, p.person.badge_number) for p in subjects] == \
        [("subject", "Officer 6", "B-6")]

    # Acknowledgements: exactly the named complainants who gave an address, worded as the one-row path words them.
    mails = list(db.session.scalars(sa.select(OutboxMail).order_by(OutboxMail.id)))
    expected = {cases[r["source_reference"]].id: r["reporter_email"] for r in rows
                if r.get("reporter_name") and r.get("reporter_email")}
    assert {m.case_id: recipient(m) for m in mails} == expected and len(mails) == ROWS // 5
    queue_acknowledgement(named, "ana0@example.org", "Ana 0")
    one_row = db.session.scalars(sa.select(OutboxMail).order_by(OutboxMail.id.desc())).first()
    bulk = next(m for m in mails if m.case_id == named.id)
    assert (bulk.subject, body_of(bulk), bulk.kind) == (one_row.subject, body_of(one_row), one_row.kind)
    assert named.number in body_of(bulk) and bulk.body_sealed.startswith("c1:")  # under the case key

    received = db.session.scalars(sa.select(AuditEvent).where(AuditEvent.action == "case.receive",
                                                              AuditEvent.case_id == named.id)).one()
    assert received.actor_id == boss.id and '"identity":"sealed"' in received.detail
    assert audit.verify_chain().ok


def test_crypto_helpers_make_keys_and_blobs_the_one_row_path_opens(clock: Any) -> None:
    case = factories.make_case()
    (key, wrapped), (other, _w) = crypto.new_data_keys(2)
    assert key != other and aes_key_unwrap(crypto._material()["kek"], wrapped) == key
    db.session.add(CaseKey(case_id=case.id, wrapped_key=wrapped, kek_id=crypto.kek_fingerprint()))
    blob, none = crypto.seal_texts_with_key(key, case.id, ["Ça va", None])
    assert none is None and casekeys.open_text(case, blob) == "Ça va"
    foreign = crypto.seal_texts_with_key(key, case.id + 1, ["x"])[0]
    with pytest.raises(crypto.DecryptionError):
        casekeys.open_text(case, foreign)


@pytest.mark.parametrize("failing", ["cases", "audit_events", "duplicate"])
def test_a_failed_write_leaves_nothing_and_the_chain_intact(monkeypatch: pytest.MonkeyPatch, clock: Any,
                                                             failing: str) -> None:
    """An error raised for the 2nd batch of cases or for the audit events, or a real unique-constraint
    violation from the database in the 2nd batch (COPY on PostgreSQL), rolls the whole import back."""
    factories.make_case()
    before = _state()
    real = bulkimport.insert_batch
    seen: list[list[dict[str, Any]]] = []

    def flaky(table: sa.Table, rows: list[dict[str, Any]]) -> None:
        if table.name == failing or (failing == "duplicate" and table.name == "cases"):
            seen.append(rows)
            if failing == "duplicate" and len(seen) == 2:
                rows[0]["number"] = seen[0][0]["number"]  # the database refuses the second IA-2025-00001
            elif len(seen) == 2 or failing == "audit_events":
                raise sa.exc.OperationalError("INSERT", {}, RuntimeError("disk full"))
        real(table, rows)

    monkeypatch.setattr(bulkimport, "insert_batch", flaky)
    with pytest.raises(sa.exc.IntegrityError if failing == "duplicate" else sa.exc.OperationalError):
        _import(_csv([_row(n) for n in range(ROWS)]), None)
    assert seen
    assert _state() == before
    assert audit.verify_chain().ok

    monkeypatch.setattr(bulkimport, "insert_batch", real)
    report = _import(_csv([_row(n) for n in range(ROWS)]), None)
    assert report.created == ROWS and audit.verify_chain().ok
    assert db.session.scalar(sa.select(sa.func.max(Case.seq)).where(Case.year == 2026)) == ROWS // 2 + 1


def test_reimport_creates_nothing(users: dict[str, Any], clock: Any) -> None:
    data = _csv([_row(n) for n in range(250)])
    assert _import(data, users["intake"]).created == 250
    before = _state()
    again = _import(data, users["intake"])
    assert again.created == 0 and again.skipped_existing == 250 and not again.errors
    after = _state()
    assert after.pop("audit_events") == before.pop("audit_events") + 1  # the csv.import summary only
    after.pop("head"), before.pop("head")
    assert after == before
    assert audit.verify_chain().ok


def test_limits_apply_to_the_neutralised_value(clock: Any) -> None:
    """A 200-character title starting with = would be stored as 201 characters: refused at validation."""
    report = _import(_csv([{**_row(1), "title": "=" + "x" * 199}, {**_row(2), "title": "=" + "x" * 198}]), None)
    assert report.aborted and [(e.line, e.column) for e in report.errors] == [(2, "title")]
    assert _count(Case) == 0



def _columns(obj: Any, skip: set[str]) -> dict[str, Any]:
    table = obj.__table__
    return {c.name: getattr(obj, c.key if hasattr(obj, c.key) else c.name) for c in table.columns
            if c.name not in skip}


def test_a_case_imported_in_bulk_equals_the_same_case_received_one_by_one(users: dict[str, Any],
                                                                         clock: Any) -> None:
    """Column by column: the case, its sealed complaint and identity, its subject, its audit detail."""
    from datetime import datetime

    from caseflow.enums import Priority
    from caseflow.intake.operations import receive_complaint

    boss = users["supervisor"]
    row = {"source_reference": "SAME-1", "title": "Cash at gate 4", "description": "Asked for 200 at gate 4",
           "received_at": "2026-02-03 10:15", "priority": "high", "reporter_name": "Ana Lopes",
           "reporter_phone": "555 0100", "subject_name": "Karim Haddad", "subject_badge": "C-4471"}
    _import(_csv([row]), boss)
    bulk = db.session.scalar(sa.select(Case).where(Case.source_reference == "SAME-1"))
    single = receive_complaint(
        channel=Channel.CSV, title="Cash at gate 4", actor=boss, received_at=datetime(2026, 2, 3, 10, 15),
        priority=Priority.HIGH, source_reference="SAME-2", content="Asked for 200 at gate 4",
        identity={"name": "Ana Lopes", "contact": "555 0100", "relationship": ""},
        subjects=[{"full_name": "Karim Haddad", "badge_number": "C-4471"}]).case
    db.session.commit()
    db.session.expire_all()
    skip = {"id", "number", "seq", "source_reference", "created_at", "updated_at", "search_vector"}
    assert _columns(bulk, skip) == _columns(single, skip)
    assert reporting.read_complaint(bulk, boss) == reporting.read_complaint(single, boss)
    bulk_sub, single_sub = reporting.submission_of(bulk), reporting.submission_of(single)
    assert casekeys.open_text(bulk, bulk_sub.identity_blob) == casekeys.open_text(single, single_sub.identity_blob)
    assert (bulk_sub.receipt_hash, bulk_sub.identity_added_at is None) == \
        (single_sub.receipt_hash, single_sub.identity_added_at is None)
    people = [(p.role, _columns(p.person, {"id", "created_at"})) for case in (bulk, single) for p in case.parties]
    assert people[0] == people[1]
    details = [db.session.scalar(sa.select(AuditEvent.detail).where(AuditEvent.case_id == case.id,
                                                                    AuditEvent.action == "case.receive"))
               for case in (bulk, single)]
    keys = [sorted(__import__("json").loads(d)) for d in details]
    assert {"channel", "number"} <= set(keys[0]) & set(keys[1])
