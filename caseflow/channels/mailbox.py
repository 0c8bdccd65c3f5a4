"""The e-mail channel: `flask caseflow fetch-mail` turns mailbox messages into cases or replies on cases."""

from __future__ import annotations

import hashlib
import imaplib
import logging
import re
from dataclasses import dataclass, field

import sqlalchemy as sa
from flask import current_app
from flask_babel import gettext as _

from caseflow import audit, uow
from caseflow.channels import outbound
from caseflow.channels.mailkind import authentication_failed
from caseflow.channels.mailparse import ParsedMail, UnparseableMail, message_id_of, parse_mail
from caseflow.channels.oauth import OAuthClient, OAuthError, access_token, client_from_settings, xoauth2
from caseflow.channels.receive import add_reporter_reply, identity_of, receive
from caseflow.channels.tls import mail_tls_context
from caseflow.enums import Channel
from caseflow.errors import CaseFlowError
from caseflow.extensions import db
from caseflow.models import Case, IntakeRecord, ProcessedMail
from caseflow.models.channels import MailOutcome
from caseflow.units.operations import default_unit, unit_by_key

log = logging.getLogger("caseflow.mail")
PROCESSED_KEYWORD = "CaseFlowProcessed"


class MailboxDown(Exception):  # noqa: N818 - reads as a state
    """The mailbox could not be reached or logged into; nothing was fetched."""


class MailboxDropped(MailboxDown):
    """The connection was lost during a run: what was taken before is committed; the rest waits."""

    def __init__(self, message: str, result: FetchResult, done: int, total: int) -> None:
        super().__init__(message)
        self.result, self.done, self.total = result, done, total


@dataclass
class FetchResult:
    """What one fetch-mail run did."""

    created: list[str] = field(default_factory=list)
    threaded: list[str] = field(default_factory=list)
    failed: list[str] = field(default_factory=list)
    ignored: list[str] = field(default_factory=list)
    skipped: int = 0


@dataclass
class Mailbox:
    """One mailbox fetch-mail reads (the main one, or a regional office's), with its folders."""

    name: str
    host: str
    port: int
    ssl: bool
    user: str
    password: str
    folder: str = "INBOX"
    failed_folder: str = "CaseFlow-Unparseable"
    done_folder: str = ""  # processed messages are moved here; empty: flagged and left where they are
    office_id: int | None = None  # the office given to the cases that come in through this mailbox
    oauth: OAuthClient | None = None  # XOAUTH2 with a token from this client instead of the password
    unit: str = ""  # the key of the reporting unit its cases go to; empty: CASEFLOW_DEFAULT_UNIT (or none)


def mailboxes() -> list[Mailbox]:
    """Return the configured mailboxes: the CASEFLOW_IMAP_* one (if its host is set), then CASEFLOW_MAILBOXES."""
    cfg = current_app.config
    boxes = []
    if cfg["CASEFLOW_IMAP_HOST"] or not cfg.get("CASEFLOW_MAILBOXES"):
        boxes.append(Mailbox(name="main", host=cfg["CASEFLOW_IMAP_HOST"], port=cfg["CASEFLOW_IMAP_PORT"],
                             ssl=cfg["CASEFLOW_IMAP_SSL"], user=cfg["CASEFLOW_IMAP_USER"],
                             password=cfg["CASEFLOW_IMAP_PASSWORD"], folder=cfg["CASEFLOW_IMAP_FOLDER"],
                             failed_folder=cfg["CASEFLOW_IMAP_FAILED_FOLDER"],
                             done_folder=cfg.get("CASEFLOW_IMAP_DONE_FOLDER", ""),
                             oauth=client_from_settings(cfg.get("CASEFLOW_IMAP_OAUTH") or {})))
    for entry in cfg.get("CASEFLOW_MAILBOXES") or []:
        boxes.append(Mailbox(
            name=str(entry["name"]), host=str(entry["host"]), port=int(entry.get("port", 993)),
            ssl=bool(entry.get("ssl", True)), user=str(entry["user"]), password=str(entry.get("password", "")),
            folder=str(entry.get("folder", "INBOX")),
            failed_folder=str(entry.get("failed_folder", "CaseFlow-Unparseable")),
            done_folder=str(entry.get("done_folder", "")),
            office_id=int(entry["office"]) if entry.get("office") is not None else None,
            unit=str(entry.get("unit") or ""),
            oauth=client_from_settings(entry.get("oauth") or {})))
    return boxes


def _connect(box: Mailbox) -> imaplib.IMAP4:
    cfg = current_app.config
    host, port = box.host, box.port
    if not host:
        raise MailboxDown("CASEFLOW_IMAP_HOST is not set")
    try:
        conn: imaplib.IMAP4
        if box.ssl:
            conn = imaplib.IMAP4_SSL(host, port, ssl_context=mail_tls_context(), timeout=cfg["CASEFLOW_IMAP_TIMEOUT"])
        else:
            conn = imaplib.IMAP4(host, port, timeout=cfg["CASEFLOW_IMAP_TIMEOUT"])
        if box.oauth is not None:
            token = access_token(box.oauth)
            conn.authenticate("XOAUTH2", lambda _challenge: xoauth2(box.user, token))
        else:
            conn.login(box.user, box.password)
        status, _data = conn.select(_quote(box.folder))
        if status != "OK":
            raise MailboxDown(f"cannot open folder {box.folder!r}")
    except (OSError, imaplib.IMAP4.error, OAuthError) as exc:
        raise MailboxDown(f"IMAP {host}:{port}: {type(exc).__name__}: {exc}") from exc
    return conn


def _quote(folder: str) -> str:
    return '"' + folder.replace("\\", "\\\\").replace('"', '\\"') + '"'


def _uids(conn: imaplib.IMAP4) -> list[bytes]:
    status, data = conn.uid("SEARCH", None, "NOT", "KEYWORD", PROCESSED_KEYWORD)  # type: ignore[arg-type]
    if status != "OK":
        raise MailboxDown("IMAP SEARCH failed")
    return (data[0] or b"").split()


def _size(conn: imaplib.IMAP4, uid: bytes) -> int:
    status, data = conn.uid("FETCH", uid.decode(), "(RFC822.SIZE)")
    match = re.search(rb"RFC822\.SIZE (\d+)", data[0] if data and isinstance(data[0], bytes) else b"")
    return int(match.group(1)) if status == "OK" and match else 0


def _raw(conn: imaplib.IMAP4, uid: bytes) -> bytes:
    status, data = conn.uid("FETCH", uid.decode(), "(BODY.PEEK[])")
    for item in data or []:
        if isinstance(item, tuple) and len(item) == 2:
            return bytes(item[1])
    raise UnparseableMail(f"server returned no body ({status})")


def _mark(conn: imaplib.IMAP4, uid: bytes) -> None:
    conn.uid("STORE", uid.decode(), "+FLAGS", f"({PROCESSED_KEYWORD} \\Seen)")


def _move(conn: imaplib.IMAP4, uid: bytes, target: str) -> None:
    """Move a message to a folder (created if missing); if the copy fails it is flagged processed instead."""
    folder = _quote(target)
    conn.create(folder)  # answers NO when the folder exists; that is fine
    status, _data = conn.uid("COPY", uid.decode(), folder)
    if status != "OK":
        _mark(conn, uid)
        return
    conn.uid("STORE", uid.decode(), "+FLAGS", f"({PROCESSED_KEYWORD} \\Deleted)")
    conn.expunge()


def _done(conn: imaplib.IMAP4, uid: bytes, box: Mailbox) -> None:
    """Flag a handled message processed, and move it to the mailbox's done folder if it has one."""
    _mark(conn, uid)
    if box.done_folder:
        _move(conn, uid, box.done_folder)


def _already(message_id: str) -> bool:
    return db.session.scalar(sa.select(ProcessedMail.id).where(ProcessedMail.message_id == message_id)) is not None


def _thread_reply(case: Case, mail: ParsedMail) -> None:
    """Add a reply about an existing case to its reporter thread (or as a note), with its files."""
    body = _("Reply received by e-mail (subject: %(subject)s):", subject=mail.subject) + "\n\n" + mail.text
    if mail.auth_results:
        body = _("Sender authentication: %(results)s", results=mail.auth_results) + "\n" + body
    add_reporter_reply(case, body, mail.attachments, "email", sender=mail.from_addr,
                       authenticated=not authentication_failed(mail.auth_results))


def _create_case(mail: ParsedMail, box: Mailbox) -> Case:
    """Create the case of a new e-mail complaint and queue its acknowledgement."""
    title = mail.subject or _("Complaint received by e-mail")
    unit = unit_by_key(box.unit) if box.unit else default_unit()
    received, _refused = receive(channel=Channel.EMAIL, title=title[:200], content=mail.text, office_id=box.office_id,
                                 unit=unit, identity=identity_of(mail.from_name, mail.from_addr),
                                 attachments=mail.attachments, source="email",
                                 detail={"via": "fetch-mail" if box.name == "main" else f"fetch-mail:{box.name}"})
    case = received.case
    db.session.add(IntakeRecord(case_id=case.id, method=Channel.EMAIL, taken_at=case.received_at))
    outbound.queue_acknowledgement(case, mail.from_addr, mail.from_name or None, language=mail.language,
                                   in_reply_to=mail.message_id or None)
    return case


def _handle(mail: ParsedMail, box: Mailbox) -> tuple[MailOutcome, Case]:
    number = mail.case_number()
    existing = db.session.scalar(sa.select(Case).where(Case.number == number)) if number else None
    if existing is not None:
        _thread_reply(existing, mail)
        return MailOutcome.THREADED, existing
    return MailOutcome.CREATED, _create_case(mail, box)


def _ignore(mail: ParsedMail, message_id: str) -> None:
    """Keep an automatic, bounce, list or bulk message on the "not a complaint" list; a bounce of our mail
    flags its case's contact as undeliverable."""
    reason = mail.ignore_reason or ""
    case_id = outbound.record_bounce(mail.bounced_ids) if mail.bounced_ids else None
    db.session.add(ProcessedMail(message_id=message_id, outcome=MailOutcome.IGNORED, reason=reason[:300],
                                 case_id=case_id, sender=mail.from_addr or None, subject=mail.subject or None))
    audit.record("mail.ignored", None, None, {"message_id": message_id, "reason": reason[:300]},
                 actor_label="fetch-mail")
    uow.commit_step()


def _fail(conn: imaplib.IMAP4, uid: bytes, message_id: str, reason: str, result: FetchResult, box: Mailbox) -> None:
    uow.discard()
    log.warning("mail uid %s (%s) moved to %s: %s", uid.decode(), message_id, box.failed_folder, reason)
    if not _already(message_id):
        db.session.add(ProcessedMail(message_id=message_id, outcome=MailOutcome.FAILED, reason=reason[:300]))
    audit.record("mail.unparseable", None, None, {"message_id": message_id, "reason": reason[:300]},
                 actor_label="fetch-mail")
    uow.commit_step()
    _move(conn, uid, box.failed_folder)
    result.failed.append(reason)


def _process(conn: imaplib.IMAP4, uid: bytes, result: FetchResult, box: Mailbox) -> None:
    limit = current_app.config["CASEFLOW_IMAP_MAX_BYTES"]
    size = _size(conn, uid)
    if size > limit:
        _fail(conn, uid, f"<uid-{uid.decode()}-size-{size}@oversize>",
              f"message is {size} bytes, over the {limit}-byte limit", result, box)
        return
    raw = _raw(conn, uid)
    message_id = ""
    try:
        mail = parse_mail(raw)
        message_id = mail.message_id or f"<sha256-{hashlib.sha256(raw).hexdigest()}@caseflow>"
        if _already(message_id):
            _done(conn, uid, box)
            result.skipped += 1
            return
        if mail.ignore_reason:
            _ignore(mail, message_id)
            _done(conn, uid, box)
            result.ignored.append(mail.ignore_reason)
            log.info("mail uid %s ignored: %s", uid.decode(), mail.ignore_reason)
            return
        outcome, case = _handle(mail, box)
        db.session.add(ProcessedMail(message_id=message_id, outcome=outcome, case_id=case.id,
                                     sender=mail.from_addr, subject=mail.subject or None,
                                     auth_results=mail.auth_results))
        uow.commit_step()
    except (UnparseableMail, CaseFlowError) as exc:
        reason = str(getattr(exc, "message", exc))
        message_id = message_id or message_id_of(raw)
        _fail(conn, uid, message_id or f"<sha256-{hashlib.sha256(raw).hexdigest()}@caseflow>", reason, result, box)
        return
    _done(conn, uid, box)
    (result.created if outcome == MailOutcome.CREATED else result.threaded).append(case.number)
    log.info("mail uid %s: %s %s", uid.decode(), outcome.value, case.number)


def fetch_mail(box: Mailbox | None = None) -> FetchResult:
    """Fetch every unprocessed message of one mailbox (the first configured by default) once; raise MailboxDown
    (nothing lost) when the server is unreachable, MailboxDropped (what was taken is kept) when it goes away."""
    box = box or mailboxes()[0]
    conn = _connect(box)
    result = FetchResult()
    try:
        uids = _uids(conn)
        for done, uid in enumerate(uids):
            try:
                _process(conn, uid, result, box)
            except (OSError, imaplib.IMAP4.error) as exc:
                uow.discard()
                raise MailboxDropped(f"connection lost at uid {uid.decode()}: {exc}", result, done,
                                     len(uids)) from exc
    finally:
        try:
            conn.logout()
        except (OSError, imaplib.IMAP4.error):
            pass
    return result
