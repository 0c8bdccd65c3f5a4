"""Attacks on the outbox at rest: someone with a copy of the database (a stolen disk, an old backup) and,
later, the installation's remaining keys, looking for a complainant's name and address in the mail sent to them.

A case's mail is sealed with the case's own data key, so once the case is purged (its key destroyed) a copy of
the row taken before the purge no longer opens with anything the installation still holds.
"""

from __future__ import annotations

import base64
import os

import pytest
import sqlalchemy as sa

from caseflow import crypto
from caseflow.channels.outboxseal import body_of, recipient
from caseflow.extensions import db
from caseflow.investigation.purge import destroy_case_content
from caseflow.models import Case, CaseKey, OutboxMail
from tests.factories import make_case

NAME, ADDRESS = "Ottilie Brandvold-Achterberg", "ottilie.brandvold@example.org"
COMPLAINT = (f"From: {NAME} <{ADDRESS}>\r\nTo: integrity@example.gov\r\nSubject: Goods held at the port\r\n"
             "Message-ID: <seal1@example.org>\r\n\r\nThe officer asked me for money to release my goods.\r\n")


def _raw_values() -> list[tuple[str, str]]:
    """(table, value) for every stored value, as the database holds it (no type decoding)."""
    out = []
    with db.engine.connect() as conn:
        for table in db.metadata.sorted_tables:
            for row in conn.execute(sa.text(f"SELECT * FROM {table.name}")):  # noqa: S608 - our own table names
                out += [(table.name, v.decode("latin-1") if isinstance(v, bytes) else str(v)) for v in row]
    return out


def _sqlite_bytes() -> bytes:
    path = db.engine.url.database or ""
    return b"".join(open(p, "rb").read() for p in (path, path + "-wal") if os.path.exists(p))  # noqa: SIM115


def _openings(stored: str) -> list[str]:
    """Everything the remaining keys make of a stored outbox value: the KEK-derived outbox key and every
    case key still in the database, tried under every case id."""
    found = []
    try:
        found.append(crypto.open_secret("outbox", stored))
    except crypto.DecryptionError:
        pass
    blob = base64.urlsafe_b64decode(stored[3:]) if stored[:3] in ("c1:", "s1:") else stored.encode()
    case_ids = list(db.session.scalars(sa.select(Case.id)))
    for row in db.session.scalars(sa.select(CaseKey)):
        key = crypto.unwrap_key(row.wrapped_key)
        for case_id in case_ids:
            try:
                found.append(crypto.decrypt_with_key(key, case_id, blob).decode(errors="replace"))
            except crypto.DecryptionError:
                pass
    return found


def _old_copy() -> tuple[str, str]:
    with db.engine.connect() as conn:
        return tuple(conn.execute(sa.text("SELECT to_addr, body FROM outbox_mails")).one())  # type: ignore[return-value]


def _purge(case: Case) -> None:
    destroy_case_content(case)
    db.session.commit()
    assert db.session.scalar(sa.select(sa.func.count(OutboxMail.id))) == 0


def test_after_purge_an_old_copy_of_the_acknowledgement_does_not_open_with_the_remaining_keys(
        app, runner, dovecot, smtp_server):
    make_case(title="Another case")  # its key stays: it must not open this one's mail either
    db.session.commit()
    user = dovecot.new_user()
    dovecot.configure(app, user)
    dovecot.append(user, COMPLAINT)
    assert runner.invoke(args=["caseflow", "fetch-mail"]).exit_code == 0
    assert NAME in smtp_server.messages[0].get_content()  # the acknowledgement went out, naming her
    db.session.commit()
    # a copy of the database holds neither her name nor her address, in any table or in the file itself
    leaks = [(t, s) for t, v in _raw_values() for s in (NAME, "Brandvold", ADDRESS) if s.lower() in v.lower()]
    assert not leaks, leaks
    if db.engine.dialect.name == "sqlite":
        raw = _sqlite_bytes()
        assert b"Brandvold" not in raw and ADDRESS.encode() not in raw
    old = _old_copy()  # the row as an old backup holds it
    case = db.session.scalars(sa.select(Case).where(Case.title == "Goods held at the port")).one()
    _purge(case)
    opened = [text for value in old for text in _openings(value)]
    assert not [t for t in opened if "Brandvold" in t or ADDRESS in t], opened


@pytest.mark.parametrize("legacy", ["kek-sealed", "clear"])
def test_an_outbox_row_from_before_the_upgrade_is_resealed_by_init_so_purge_shreds_it(app, runner, legacy):
    case = make_case(title="Queued before the upgrade")
    body = f"Dear {NAME}, we have received your complaint."
    store = (lambda v: crypto.seal_secret("outbox", v)) if legacy == "kek-sealed" else (lambda v: v)
    db.session.flush()
    db.session.execute(sa.insert(OutboxMail.__table__).values(
        to_addr=store(ADDRESS), subject="Complaint received", body=store(body), kind="ack", case_id=case.id,
        attempts=0, next_attempt_at=sa.func.current_timestamp(), created_at=sa.func.current_timestamp()))
    db.session.commit()
    mail = db.session.scalars(sa.select(OutboxMail)).one()
    assert (recipient(mail), body_of(mail)) == (ADDRESS, body)  # the old format still reads
    result = runner.invoke(args=["caseflow", "init"])
    assert result.exit_code == 0 and "1 outbox mails re-sealed" in result.output, result.output
    db.session.expire_all()
    mail = db.session.scalars(sa.select(OutboxMail)).one()
    assert (recipient(mail), body_of(mail)) == (ADDRESS, body)
    assert "re-sealed" not in runner.invoke(args=["caseflow", "init"]).output  # once only
    old = _old_copy()  # a backup taken after the upgrade
    _purge(db.session.get(Case, case.id))
    opened = [text for value in old for text in _openings(value)]
    assert not [t for t in opened if "Brandvold" in t or ADDRESS in t], opened


def test_a_refused_recipient_quoted_by_the_server_is_not_kept_in_clear_in_the_outbox(app, runner, smtp_server,
                                                                                     caplog):
    from caseflow.channels.outbound import queue_acknowledgement

    case = make_case(title="Goods held at the port")
    queue_acknowledgement(case, ADDRESS, NAME)
    db.session.commit()
    smtp_server.refuse_recipients = True  # "550 5.1.1 <ottilie.brandvold@example.org>: ... User unknown"
    result = runner.invoke(args=["caseflow", "send-mail"])
    assert result.exit_code == 2 and "1 failed" in result.output
    mail = db.session.scalars(sa.select(OutboxMail)).one()
    assert mail.sent_at is None and "550" in mail.last_error and "User unknown" in mail.last_error
    leaks = [(t, s) for t, v in _raw_values() for s in ("Brandvold", ADDRESS) if s.lower() in v.lower()]
    assert not leaks, leaks
    assert not [r for r in caplog.records if ADDRESS in r.getMessage() and not r.name.startswith("mail.log")]
