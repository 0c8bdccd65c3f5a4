"""How the outbox keeps recipients and bodies: a case's mail under that case's data key (so purging the case,
which destroys its key, makes every copy of the row unreadable, old backups included); other mail under the
KEK-derived `outbox` key. Rows stored before this (KEK-sealed, or clear before any sealing) still open, and
`flask caseflow init` re-seals them."""

from __future__ import annotations

import base64
import logging

import sqlalchemy as sa

from caseflow import crypto
from caseflow.casekeys import open_text, seal_text
from caseflow.extensions import db
from caseflow.models import Case, OutboxMail

log = logging.getLogger("caseflow.mail")
CASE_PREFIX = "c1:"  # sealed with the case's data key; "s1:" is the KEK-derived key; neither: stored in clear
PURPOSE = "outbox"


def seal_for(case: Case | None, text: str) -> str:
    """Return a recipient or body sealed for the outbox: with the case's key, or the KEK-derived one."""
    if case is None:
        return crypto.seal_secret(PURPOSE, text)
    return CASE_PREFIX + base64.urlsafe_b64encode(seal_text(case, text)).decode()


def seal_with_key(key: bytes, case_id: int, texts: list[str]) -> list[str]:
    """Seal outbox texts of a case whose data key is in hand (bulk import), as seal_for() would."""
    blobs = crypto.seal_texts_with_key(key, case_id, list(texts))
    return [CASE_PREFIX + base64.urlsafe_b64encode(blob).decode() for blob in blobs if blob is not None]


def _open(mail: OutboxMail, stored: str) -> str:
    if not stored.startswith(CASE_PREFIX):
        return crypto.open_secret(PURPOSE, stored)
    case = db.session.get(Case, mail.case_id) if mail.case_id is not None else None
    if case is None:
        raise crypto.DecryptionError("outbox mail sealed with the key of a case that no longer exists")
    return open_text(case, base64.urlsafe_b64decode(stored[len(CASE_PREFIX):]))


def recipient(mail: OutboxMail) -> str:
    """Return the opened recipient address of an outbox mail."""
    return _open(mail, mail.to_sealed)


def body_of(mail: OutboxMail) -> str:
    """Return the opened body of an outbox mail."""
    return _open(mail, mail.body_sealed)


def reseal_outbox() -> int:
    """Re-seal rows stored before case-key sealing: a case's mail under its case key, clear text under the KEK.

    Idempotent; a row that does not open with this installation's keys is left as it is (and logged).
    """
    def not_sealed_with(prefix: str) -> sa.ColumnElement[bool]:
        return sa.or_(sa.not_(OutboxMail.to_sealed.startswith(prefix)),
                      sa.not_(OutboxMail.body_sealed.startswith(prefix)))

    stale = sa.or_(sa.and_(OutboxMail.case_id.is_not(None), not_sealed_with(CASE_PREFIX)),
                   sa.and_(OutboxMail.case_id.is_(None), not_sealed_with(crypto.SECRET_PREFIX)))
    done = 0
    for mail in db.session.scalars(sa.select(OutboxMail).where(stale).order_by(OutboxMail.id)):
        case = db.session.get(Case, mail.case_id) if mail.case_id is not None else None
        try:
            to, body = recipient(mail), body_of(mail)
            mail.to_sealed, mail.body_sealed = seal_for(case, to), seal_for(case, body)
        except crypto.DecryptionError as exc:
            log.error("outbox mail #%s not re-sealed: %s", mail.id, exc)
            continue
        done += 1
    db.session.flush()
    return done
