"""Outgoing mail with OAuth2 (AUTH XOAUTH2, as Microsoft 365 and Google require) against a real aiosmtpd on
loopback that accepts only the bearer tokens of a local token endpoint, over STARTTLS (587) and implicit TLS
(465); a refused token keeps the mail queued with the reason, and no token is ever stored or logged."""

from __future__ import annotations

import base64
import logging

import sqlalchemy as sa

from caseflow.channels.outbound import queue_mail
from caseflow.clock import utcnow
from caseflow.extensions import db
from caseflow.models import OutboxMail

SENDER = "caseflow@example.gov"


def _send(runner):
    return runner.invoke(args=["caseflow", "send-mail"])


def _mail(subject: str) -> OutboxMail:
    return db.session.scalar(sa.select(OutboxMail).where(OutboxMail.subject == subject))


def _raw_database() -> str:
    """Every stored value of every table, as the database holds it (no type decoding)."""
    parts = []
    with db.engine.connect() as conn:
        for table in db.metadata.sorted_tables:
            for row in conn.execute(sa.text(f"SELECT * FROM {table.name}")):  # noqa: S608 - our own table names
                parts += [v.decode("latin-1") if isinstance(v, bytes) else str(v) for v in row]
    return "\n".join(parts)


def test_xoauth2_over_starttls_and_implicit_tls_and_a_refused_token_keeps_the_mail(
        app, runner, smtp_oauth_server, caplog, monkeypatch):
    caplog.set_level(logging.DEBUG)

    def configure(**values: object) -> None:
        for key, value in values.items():
            monkeypatch.setitem(app.config, key, value)

    server = smtp_oauth_server
    token_url = f"http://127.0.0.1:{server.oauth.port}/token"
    server.oauth.register("caseflow-app", "app-secret-1", SENDER)
    # the mailbox's OAuth client (client credentials, as Microsoft 365 registers an application) serves SMTP too
    configure(CASEFLOW_SMTP_USER=SENDER, CASEFLOW_SMTP_XOAUTH2=True,
              CASEFLOW_IMAP_OAUTH={"token_url": token_url, "client_id": "caseflow-app",
                                   "client_secret": "app-secret-1"})
    queue_mail("officer@example.gov", "Reminder: triage due", "Case IA-2026-00001 needs triage.")
    db.session.commit()
    result = _send(runner)
    assert result.exit_code == 0 and "1 sent" in result.output, result.output
    assert server.logins == [SENDER]
    assert [str(m["Subject"]) for m in server.messages] == ["Reminder: triage due"]

    # the provider refuses the token (expired): the mail stays queued, with the reason, for the next run
    server.oauth.issue_expired = True
    queue_mail("officer@example.gov", "Second reminder", "Still waiting.")
    db.session.commit()
    result = _send(runner)
    assert result.exit_code == 2 and "1 failed" in result.output, result.output
    mail = _mail("Second reminder")
    assert mail.sent_at is None and mail.attempts == 1
    assert mail.last_error.startswith("SmtpLoginRefused: XOAUTH2: the SMTP server refused the access token for "
                                      f"{SENDER}: 535"), mail.last_error
    assert server.refusals == [SENDER] and len(server.messages) == 1

    # the token endpoint refuses the client: queued again, the provider's own words kept
    configure(CASEFLOW_IMAP_OAUTH={**app.config["CASEFLOW_IMAP_OAUTH"], "client_secret": "revoked-secret"})
    mail.next_attempt_at = utcnow()
    db.session.commit()
    assert _send(runner).exit_code == 2
    db.session.refresh(mail)
    assert mail.sent_at is None and mail.attempts == 2
    assert "no access token" in mail.last_error and "invalid_client" in mail.last_error

    # implicit TLS (465) with SMTP's own client and a refresh token (as Google authorises a mailbox once)
    server.oauth.issue_expired = False
    server.oauth.register("caseflow-google", "refresh-xyz", SENDER)
    configure(CASEFLOW_SMTP_SSL=True, CASEFLOW_SMTP_STARTTLS=False, CASEFLOW_SMTP_PORT=server.tls_port,
              CASEFLOW_SMTP_OAUTH={"token_url": token_url, "client_id": "caseflow-google",
                                   "refresh_token": "refresh-xyz"})
    mail.next_attempt_at = utcnow()
    db.session.commit()
    result = _send(runner)
    assert result.exit_code == 0 and "1 sent" in result.output, result.output
    db.session.refresh(mail)
    assert mail.sent_at is not None and mail.last_error is None
    assert [str(m["Subject"]) for m in server.messages] == ["Reminder: triage due", "Second reminder"]
    assert server.logins == [SENDER, SENDER]

    # no token, client secret or refresh token was written to the database or to our logs
    stored = _raw_database()
    logged = "\n".join(r.getMessage() for r in caplog.records if not r.name.startswith("mail.log"))  # not aiosmtpd's
    secrets_seen = server.oauth.issued + ["app-secret-1", "refresh-xyz"]
    secrets_seen += [base64.b64encode(r).decode() for r in server.responses]
    assert len(server.oauth.issued) == 3  # the refused client got none
    assert not [s for s in secrets_seen if s in stored or s in logged or s in result.output]


def test_xoauth2_configured_without_a_token_url_or_on_a_server_not_offering_it_is_a_clear_error(
        app, runner, smtp_server, monkeypatch):
    for key, value in (("CASEFLOW_SMTP_XOAUTH2", True), ("CASEFLOW_IMAP_OAUTH", {}), ("CASEFLOW_SMTP_OAUTH", {})):
        monkeypatch.setitem(app.config, key, value)
    queue_mail("officer@example.gov", "Reminder", "Due.")
    db.session.commit()
    assert _send(runner).exit_code == 2
    assert "no OAuth token URL is set" in _mail("Reminder").last_error
    monkeypatch.setitem(app.config, "CASEFLOW_SMTP_OAUTH", {"token_url": "http://127.0.0.1:9/token",
                                                             "client_id": "x"})
    _mail("Reminder").next_attempt_at = utcnow()
    db.session.commit()
    assert _send(runner).exit_code == 2
    assert "does not offer AUTH XOAUTH2" in _mail("Reminder").last_error  # plain server: no AUTH at all
    assert smtp_server.messages == []
