"""Outbound mail: a queue in the database, sent by `flask caseflow send-mail`, retried after failures."""

from __future__ import annotations

import logging
import re
import smtplib
from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta
from email.message import EmailMessage
from email.utils import formataddr, make_msgid
from urllib.parse import quote

import sqlalchemy as sa
from flask import current_app
from flask_babel import force_locale
from flask_babel import gettext as _

from caseflow import access, audit, uow
from caseflow.channels.oauth import OAuthClient, OAuthError, access_token, client_from_settings, xoauth2
from caseflow.channels.outboxseal import body_of, recipient, seal_for
from caseflow.channels.tls import mail_tls_context
from caseflow.clock import utcnow
from caseflow.crypto import DecryptionError
from caseflow.extensions import db
from caseflow.models import Case, OutboxMail, User

log = logging.getLogger("caseflow.mail")
MAX_ATTEMPTS = 10
BACKOFF_MINUTES = (1, 5, 15, 60, 180, 360, 720, 1440, 1440, 1440)


def new_message_id() -> str:
    """Return a Message-ID in the sending domain (kept on the outbox row, so a bounce can be matched)."""
    return make_msgid(domain=current_app.config["CASEFLOW_MAIL_FROM"].rpartition("@")[2] or None)


def queue_mail(to: str, subject: str, body: str, case: Case | None = None, kind: str = "notice",
               language: str | None = None, in_reply_to: str | None = None) -> None:
    """Put a message in the outbox (recipient and body sealed, a case's with its case key); send-mail delivers it
    and retries until it goes."""
    to = (to or "").strip()
    if not to or "@" not in to or "\n" in to or "\r" in to:
        log.warning("mail to an invalid address not queued")
        return
    subject = " ".join((subject or "").split())[:300]
    reply_to = (in_reply_to or "").strip()
    to_sealed, body_sealed = seal_for(case, to[:320]), seal_for(case, body)  # gives a new case its id
    db.session.add(OutboxMail(to_sealed=to_sealed, subject=subject, body_sealed=body_sealed, kind=kind,
                              language=language,
                              in_reply_to=reply_to[:300] if reply_to.startswith("<") and "\n" not in reply_to
                              else None, message_id=new_message_id(),
                              case_id=case.id if case is not None else None, next_attempt_at=utcnow()))
    db.session.flush()


def ack_language(language: str | None) -> str:
    """Return the language an acknowledgement is written in: the complainant's if supported, else the default."""
    cfg = current_app.config
    if language and language in cfg.get("CASEFLOW_LANGUAGES", []):
        return language
    return str(cfg["BABEL_DEFAULT_LOCALE"])


def acknowledgement(number: str, name: str | None = None, language: str | None = None) -> tuple[str, str]:
    """Return the subject and body of the acknowledgement of receipt of a case, in the given language
    (the current one when none is given)."""
    if language is not None:
        with force_locale(language):
            return acknowledgement(number, name)
    greeting = _("Dear %(name)s,", name=name) if name else _("Hello,")
    body = "\n\n".join([
        greeting,
        _("We have received your complaint. Its reference is %(number)s; please quote it in any reply.",
          number=number),
        _("We treat what you told us confidentially. You will hear from us about what we do with it."),
        _("Integrity unit"),
    ])
    return _("Complaint %(number)s received", number=number), body


_NUMBER, _NAME = "\x00number\x00", "\x00name\x00"  # stand-ins no translation or typed value contains


def acknowledgement_writer(language: str) -> Callable[[str, str | None], tuple[str, str]]:
    """Return acknowledgement() in one language, translated once (a bulk import writes thousands of them)."""
    named, unnamed = acknowledgement(_NUMBER, _NAME, language), acknowledgement(_NUMBER, None, language)

    def write(number: str, name: str | None = None) -> tuple[str, str]:
        subject, body = named if name else unnamed
        number = number.replace("\x00", "")
        return (subject.replace(_NUMBER, number),
                body.replace(_NUMBER, number).replace(_NAME, (name or "").replace("\x00", "")))

    return write


def queue_acknowledgement(case: Case, email: str, name: str | None = None, language: str | None = None,
                          in_reply_to: str | None = None) -> None:
    """Queue the acknowledgement of receipt to a named complainant who gave an e-mail address, in their
    language (else the installation's), threaded to their message when it came by e-mail."""
    lang = ack_language(language)
    subject, body = acknowledgement(case.number, name, lang)
    queue_mail(email, subject, body, case=case, kind="ack", language=lang, in_reply_to=in_reply_to)
    audit.record("mail.ack_queued", None, case, {"kind": "ack", "language": lang})


def record_bounce(message_ids: list[str]) -> int | None:
    """Mark the outbox mail a bounce quotes as bounced; flag its case's contact as undeliverable.

    Returns the case's id, if the bounced mail was about a case.
    """
    from caseflow.models import Note

    mail = db.session.scalar(sa.select(OutboxMail).where(OutboxMail.message_id.in_(message_ids[:20]))
                             .order_by(OutboxMail.id.desc()).limit(1))
    if mail is None:
        return None
    first = mail.bounced_at is None
    mail.bounced_at = mail.bounced_at or utcnow()
    case = db.session.get(Case, mail.case_id) if mail.case_id is not None else None
    if case is not None and first:
        db.session.add(Note(case_id=case.id, author_id=None, body=_(
            "The complainant's e-mail address is undeliverable: the mail sent to it (%(kind)s) bounced. "
            "Contact them another way.", kind=mail.kind)))
        audit.record("mail.bounced", None, case, {"kind": mail.kind}, actor_label="fetch-mail")
    db.session.flush()
    return case.id if case is not None else None


@dataclass
class SendResult:
    """What one send-mail run did."""

    sent: int = 0
    failed: int = 0
    gave_up: int = 0
    withheld: int = 0


class SmtpLoginRefused(smtplib.SMTPException):
    """No XOAUTH2 login: no token from the provider, or the SMTP server refused it (the mail stays queued)."""


def smtp_oauth_client() -> OAuthClient | None:
    """Return the OAuth client outgoing mail logs in with (XOAUTH2), or None for a password or no login."""
    cfg = current_app.config
    own = client_from_settings(cfg.get("CASEFLOW_SMTP_OAUTH"))
    if own is not None or not cfg.get("CASEFLOW_SMTP_XOAUTH2"):
        return own
    shared = client_from_settings(cfg.get("CASEFLOW_IMAP_OAUTH"))
    if shared is None:
        raise SmtpLoginRefused("CASEFLOW_SMTP_XOAUTH2 is on but no OAuth token URL is set "
                               "(CASEFLOW_SMTP_OAUTH_TOKEN_URL or CASEFLOW_IMAP_OAUTH_TOKEN_URL)")
    return shared


def _login_xoauth2(conn: smtplib.SMTP, client: OAuthClient) -> None:
    """AUTH XOAUTH2 with a fresh token; the token stays in memory and is never logged or stored."""
    cfg = current_app.config
    user = cfg.get("CASEFLOW_SMTP_USER") or cfg["CASEFLOW_MAIL_FROM"]
    conn.ehlo_or_helo_if_needed()
    offered = (conn.esmtp_features.get("auth") or "").upper().split()
    if "XOAUTH2" not in offered:
        raise SmtpLoginRefused(f"the SMTP server does not offer AUTH XOAUTH2 (it offers: {' '.join(offered) or 'none'}"
                               "; Microsoft 365 and Google offer it after STARTTLS or on port 465)")
    try:
        token = access_token(client)
    except OAuthError as exc:
        raise SmtpLoginRefused(f"XOAUTH2: no access token for {user}: {exc}") from exc
    initial = xoauth2(user, token).decode()

    def respond(challenge: bytes | None = None) -> str:
        # a refused token gets a 334 with the provider's JSON error; the client answers empty, then 535 follows
        return initial if challenge is None else ""

    try:
        conn.auth("XOAUTH2", respond, initial_response_ok=True)
    except smtplib.SMTPAuthenticationError as exc:
        reply = exc.smtp_error.decode(errors="replace") if isinstance(exc.smtp_error, bytes) else str(exc.smtp_error)
        raise SmtpLoginRefused(f"XOAUTH2: the SMTP server refused the access token for {user}: "
                               f"{exc.smtp_code} {reply}") from None


def _smtp() -> smtplib.SMTP:
    cfg = current_app.config
    host = cfg["CASEFLOW_SMTP_HOST"] or "localhost"
    client = smtp_oauth_client()
    conn: smtplib.SMTP
    if cfg.get("CASEFLOW_SMTP_SSL"):  # implicit TLS (submissions, port 465): TLS before the greeting
        conn = smtplib.SMTP_SSL(host, cfg["CASEFLOW_SMTP_PORT"], timeout=20, context=mail_tls_context())
    else:
        conn = smtplib.SMTP(host, cfg["CASEFLOW_SMTP_PORT"], timeout=20)
    try:
        if cfg.get("CASEFLOW_SMTP_STARTTLS") and not cfg.get("CASEFLOW_SMTP_SSL"):
            conn.starttls(context=mail_tls_context())
        if client is not None:
            _login_xoauth2(conn, client)
        elif cfg.get("CASEFLOW_SMTP_USER"):
            conn.login(cfg["CASEFLOW_SMTP_USER"], cfg["CASEFLOW_SMTP_PASSWORD"] or "")
    except BaseException:
        conn.close()
        raise
    return conn


def _message(mail: OutboxMail) -> EmailMessage:
    msg = EmailMessage()
    msg["From"] = formataddr(("CaseFlow", current_app.config["CASEFLOW_MAIL_FROM"]))
    msg["To"] = recipient(mail)
    msg["Subject"] = mail.subject
    msg["Message-ID"] = mail.message_id or new_message_id()
    msg["Auto-Submitted"] = "auto-generated"
    if mail.in_reply_to:
        msg["In-Reply-To"] = mail.in_reply_to
        msg["References"] = mail.in_reply_to
    msg.set_content(body_of(mail))
    if mail.language:  # after set_content, which replaces the Content-* headers
        msg["Content-Language"] = mail.language
    return msg


def pending_mails(limit: int = 200) -> list[OutboxMail]:
    """Return queued messages whose next attempt is due, oldest first."""
    return list(db.session.scalars(
        sa.select(OutboxMail).where(OutboxMail.sent_at.is_(None), OutboxMail.attempts < MAX_ATTEMPTS,
                                    OutboxMail.next_attempt_at <= utcnow())
        .order_by(OutboxMail.id).limit(limit)))


def without_recipient(error: str, to: str) -> str:
    """Return a server's error with the recipient's address out of it, in every form servers quote it.

    Whole ("<ana@example.org>"), URL-encoded ("ana%40example.org"), spelt out ("ana at example.org") and the
    local part alone ("user ana.b unknown").
    """
    local, _at, domain = to.partition("@")
    forms = [to, quote(to, safe=""), f"{local} at {domain}"] if domain else [to]
    for form in sorted(forms, key=len, reverse=True):
        error = re.sub(re.escape(form), "<recipient>", error, flags=re.IGNORECASE)
    if domain and len(local) >= 3:
        error = re.sub(rf"(?<![\w.+-]){re.escape(local)}(?![\w+-]|\.\w)", "<recipient>", error, flags=re.IGNORECASE)
    return error


def _failed(mail: OutboxMail, error: str, result: SendResult) -> None:
    try:  # servers quote the refused address ("550 <ana@example.org>: unknown"): keep it out of the row and logs
        to = recipient(mail)
    except DecryptionError:
        to = ""
    if to:
        error = without_recipient(error, to)
    mail.attempts += 1
    mail.last_error = error[:500]
    minutes = BACKOFF_MINUTES[min(mail.attempts, len(BACKOFF_MINUTES)) - 1]
    mail.next_attempt_at = utcnow() + timedelta(minutes=minutes)
    result.failed += 1
    if mail.attempts >= MAX_ATTEMPTS:
        result.gave_up += 1
        log.error("mail #%s (%s) given up after %d attempts: %s", mail.id, mail.kind, mail.attempts, error)


def _acknowledged(case_id: int) -> None:
    from caseflow.intake.operations import acknowledge_case

    case = db.session.get(Case, case_id)
    if case is not None:
        acknowledge_case(case, None)


def _withheld(mail: OutboxMail, result: SendResult) -> bool:
    """Withhold a staff notice whose recipient was barred from its case after it was queued (taken off a moved
    case, matched to a subject, a conflict declared): the rule holds when the mail leaves, not only when queued."""
    if mail.kind != "notice" or mail.case_id is None:
        return False
    case = db.session.get(Case, mail.case_id)
    try:
        to = recipient(mail).casefold()
    except DecryptionError:
        return False
    users = db.session.scalars(sa.select(User).where(sa.func.lower(User.email) == to)).all()
    if case is None or not users or all(access.may_be_notified(u, case) for u in users):
        return False
    mail.attempts = MAX_ATTEMPTS
    mail.last_error = "withheld: the recipient may no longer be told of this case"
    result.withheld += 1
    log.info("mail #%s (%s) withheld: its recipient is barred from the case now", mail.id, mail.kind)
    return True


def send_pending(limit: int = 200) -> SendResult:
    """Send the queued messages that are due; a failure is recorded and retried later. Commits per message."""
    result = SendResult()
    mails = pending_mails(limit)
    if not mails:
        return result
    try:
        conn = _smtp()
    except (OSError, smtplib.SMTPException) as exc:
        log.error("SMTP server %s:%s: no connection or no login: %s; %d message(s) stay queued",
                  current_app.config["CASEFLOW_SMTP_HOST"], current_app.config["CASEFLOW_SMTP_PORT"],
                  exc, len(mails))
        for mail in mails:
            _failed(mail, f"{type(exc).__name__}: {exc}", result)
        uow.commit_step()
        return result
    try:
        for mail in mails:
            if _withheld(mail, result):
                uow.commit_step()
                continue
            try:
                conn.send_message(_message(mail))
            except (OSError, smtplib.SMTPException, DecryptionError) as exc:
                _failed(mail, f"{type(exc).__name__}: {exc}", result)
            else:
                mail.attempts += 1
                mail.sent_at = utcnow()
                mail.last_error = None
                result.sent += 1
                if mail.kind == "ack" and mail.case_id is not None:
                    _acknowledged(mail.case_id)
            uow.commit_step()
    finally:
        try:
            conn.quit()
        except (OSError, smtplib.SMTPException):
            pass
    return result
