"""Attacks on the mail channel: mail that must never become a case nor be answered, and clear text at rest.

Each test sends what an autoresponder, a mail server, a mailing list or a broken mailer really sends into the
real Dovecot of the suite and runs fetch-mail: nothing may become a case or a thread entry, and nothing may be
sent back (a reply to an autoresponder is how mail loops start, RFC 3834).
"""

from __future__ import annotations

import sqlalchemy as sa

from caseflow.extensions import db
from caseflow.models import Case, Note, OutboxMail, ProcessedMail
from caseflow.models.channels import MailOutcome

COMPLAINT = ("From: Claire Martin <claire@example.org>\r\nTo: integrity@example.gov\r\n"
             "Subject: Racket at the port\r\nMessage-ID: <c1@example.org>\r\n\r\n"
             "The officer asked me for money to release my goods.\r\n")


def _fetch(app, runner, dovecot, *raws: str | bytes) -> str:
    user = dovecot.new_user()
    dovecot.configure(app, user)
    for raw in raws:
        dovecot.append(user, raw)
    result = runner.invoke(args=["caseflow", "fetch-mail"])
    assert result.exit_code == 0, result.output
    return user


def _ignored() -> dict[str, str]:
    return {p.message_id: p.reason for p in db.session.scalars(
        sa.select(ProcessedMail).where(ProcessedMail.outcome == MailOutcome.IGNORED))}


def test_an_out_of_office_reply_is_neither_a_case_nor_answered(app, runner, dovecot, smtp_server):
    _fetch(app, runner, dovecot,
           "From: Bob <bob@example.org>\r\nSubject: Out of office\r\nAuto-Submitted: auto-replied\r\n"
           "Message-ID: <ooo@example.org>\r\n\r\nI am away until Monday.\r\n",
           "From: Eve <eve@example.org>\r\nSubject: Away\r\nX-Autoreply: yes\r\nMessage-ID: <xa@example.org>\r\n"
           "\r\nAway.\r\n",
           "From: Ed <ed@example.org>\r\nSubject: Away\r\nX-Autorespond: yes\r\nMessage-ID: <xr@example.org>\r\n"
           "\r\nAway.\r\n")
    assert db.session.scalar(sa.select(sa.func.count(Case.id))) == 0
    assert smtp_server.messages == []
    assert db.session.scalar(sa.select(sa.func.count(OutboxMail.id))) == 0
    ignored = _ignored()
    assert ignored["<ooo@example.org>"] == "auto-reply (Auto-Submitted: auto-replied)"
    assert ignored["<xa@example.org>"] == "auto-reply (X-Autoreply)"
    assert ignored["<xr@example.org>"] == "auto-reply (X-Autorespond)"


def test_an_auto_reply_from_the_reporter_does_not_join_the_thread(app, runner, dovecot, smtp_server):
    user = _fetch(app, runner, dovecot, COMPLAINT)
    case = db.session.scalars(sa.select(Case)).one()
    dovecot.append(user, f"From: Claire Martin <claire@example.org>\r\nSubject: Re: Complaint {case.number} "
                         "received\r\nAuto-Submitted: auto-replied\r\nMessage-ID: <away@example.org>\r\n\r\n"
                         "I am on holiday.\r\n")
    sent = len(smtp_server.messages)
    assert runner.invoke(args=["caseflow", "fetch-mail"]).exit_code == 0
    from caseflow.reporting.operations import thread
    assert thread(case) == []
    assert db.session.scalar(sa.select(sa.func.count(Note.id)).where(Note.case_id == case.id)) == 0
    assert len(smtp_server.messages) == sent


def test_a_bounce_of_the_acknowledgement_is_not_a_case_and_flags_the_contact(app, runner, dovecot, smtp_server):
    user = _fetch(app, runner, dovecot, COMPLAINT)
    case = db.session.scalars(sa.select(Case)).one()
    ack = smtp_server.messages[0]
    dsn = ("From: Mail Delivery System <MAILER-DAEMON@mx.example.org>\r\nReturn-Path: <>\r\n"
           "To: integrity@example.gov\r\nSubject: Undelivered Mail Returned to Sender\r\n"
           "Message-ID: <dsn1@mx.example.org>\r\nMIME-Version: 1.0\r\n"
           "Content-Type: multipart/report; report-type=delivery-status; boundary=\"B\"\r\n\r\n"
           "--B\r\nContent-Type: text/plain\r\n\r\nThis is the mail system. Your message could not be delivered.\r\n"
           "--B\r\nContent-Type: message/delivery-status\r\n\r\nReporting-MTA: dns; mx.example.org\r\n\r\n"
           "Final-Recipient: rfc822; claire@example.org\r\nAction: failed\r\nStatus: 5.1.1\r\n\r\n"
           f"--B\r\nContent-Type: text/rfc822-headers\r\n\r\nMessage-ID: {ack['Message-ID']}\r\n"
           f"Subject: {ack['Subject']}\r\n\r\n--B--\r\n")
    dovecot.append(user, dsn)
    result = runner.invoke(args=["caseflow", "fetch-mail"])
    assert result.exit_code == 0 and "1 not a complaint" in result.output, result.output
    assert db.session.scalar(sa.select(sa.func.count(Case.id))) == 1
    assert len(smtp_server.messages) == 1  # the bounce was not answered
    assert _ignored()["<dsn1@mx.example.org>"] == "bounce (delivery status notification)"
    notes = list(db.session.scalars(sa.select(Note.body).where(Note.case_id == case.id)))
    assert len(notes) == 1 and "undeliverable" in notes[0]
    assert db.session.scalars(sa.select(OutboxMail)).one().bounced_at is not None


def test_list_and_bulk_mail_are_not_cases(app, runner, dovecot, smtp_server):
    _fetch(app, runner, dovecot,
           "From: News <news@lists.example.org>\r\nSubject: Weekly digest\r\nList-Id: <digest.example.org>\r\n"
           "Message-ID: <l1@example.org>\r\n\r\nThis week...\r\n",
           "From: Shop <shop@example.org>\r\nSubject: Sale\r\nList-Unsubscribe: <mailto:u@example.org>\r\n"
           "Message-ID: <l2@example.org>\r\n\r\nSale!\r\n",
           "From: Promo <promo@example.org>\r\nSubject: Offer\r\nPrecedence: bulk\r\n"
           "Message-ID: <l3@example.org>\r\n\r\nOffer!\r\n",
           "From: Spam <spam@example.org>\r\nSubject: Win\r\nPrecedence: junk\r\n"
           "Message-ID: <l4@example.org>\r\n\r\nWin!\r\n")
    assert db.session.scalar(sa.select(sa.func.count(Case.id))) == 0
    assert smtp_server.messages == []
    assert set(_ignored().values()) == {"mailing list (List-Id)", "mailing list (List-Unsubscribe)",
                                        "bulk mail (Precedence: bulk)", "bulk mail (Precedence: junk)"}


def test_malformed_mime_goes_to_the_failed_folder_not_a_case(app, runner, dovecot, smtp_server):
    head = "From: Ana <ana@example.org>\r\nMIME-Version: 1.0\r\n"
    charset = (head + "Subject: Help\r\nMessage-ID: <cs@example.org>\r\n"
               "Content-Type: text/plain; charset=x-no-such-charset\r\n\r\n"
               "L'agent \xe9tait l\xe0.\r\n").encode("latin-1")
    base64 = (head + "Subject: Scan\r\nMessage-ID: <b64@example.org>\r\n"
              "Content-Type: multipart/mixed; boundary=\"X\"\r\n\r\n"
              "--X\r\nContent-Type: text/plain\r\n\r\nSee file.\r\n"
              "--X\r\nContent-Type: application/pdf; name=\"a.pdf\"\r\n"
              "Content-Disposition: attachment; filename=a.pdf\r\n"
              "Content-Transfer-Encoding: base64\r\n\r\nJVBERi0x!!!not*base64@@\r\n--X--\r\n")
    user = _fetch(app, runner, dovecot, charset, base64)
    assert db.session.scalar(sa.select(sa.func.count(Case.id))) == 0
    assert smtp_server.messages == []
    assert len(dovecot.messages(user, "CaseFlow-Unparseable")) == 2
    reasons = {p.message_id: p.reason for p in db.session.scalars(sa.select(ProcessedMail))}
    assert reasons["<cs@example.org>"] == "unknown charset 'x-no-such-charset'"
    assert reasons["<b64@example.org>"] == "invalid base64 in a application/pdf part"


def test_after_sending_the_outbox_holds_no_clear_name_or_address(app, runner, dovecot, smtp_server):
    _fetch(app, runner, dovecot, COMPLAINT)
    assert len(smtp_server.messages) == 1 and "Claire Martin" in smtp_server.messages[0].get_content()
    rows = db.session.execute(sa.text("SELECT to_addr, body FROM outbox_mails")).all()
    assert len(rows) == 1
    raw = " ".join(str(v) for v in rows[0])
    assert "claire" not in raw.lower() and "Martin" not in raw
    mail_rows = db.session.execute(sa.text("SELECT sender, subject FROM processed_mails")).all()
    assert "claire" not in " ".join(str(v) for row in mail_rows for v in row).lower()


def test_purge_removes_the_cases_outbox_mail(app, runner, dovecot, smtp_server):
    _fetch(app, runner, dovecot, COMPLAINT)
    case = db.session.scalars(sa.select(Case)).one()
    from caseflow.investigation.purge import destroy_case_content
    destroy_case_content(case)
    db.session.commit()
    assert db.session.scalar(sa.select(sa.func.count(OutboxMail.id))) == 0
