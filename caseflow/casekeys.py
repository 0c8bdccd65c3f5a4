"""Each case's data key: created on first use, stored wrapped by the KEK, and the case's sealing built on it.

The primitives (AES-GCM, key wrap) are in caseflow.crypto, which knows no model; this module adds the one
table they need (case_keys).
"""

from __future__ import annotations

import sqlalchemy as sa

from caseflow import crypto
from caseflow.extensions import db
from caseflow.models import Case
from caseflow.models.intake import CaseKey


def data_key(case: Case) -> bytes:
    """Return the case's data key, creating and storing it wrapped on first use."""
    if case.id is None:
        db.session.flush()
    row = db.session.scalar(sa.select(CaseKey).where(CaseKey.case_id == case.id))
    if row is None:
        key, wrapped, kek_id = crypto.new_wrapped_key()
        db.session.add(CaseKey(case_id=case.id, wrapped_key=wrapped, kek_id=kek_id))
        db.session.flush()
        return key
    return crypto.unwrap_key(row.wrapped_key)


def encrypt_for_case(case: Case, plaintext: bytes) -> bytes:
    """Encrypt bytes with the case's data key (the case id is bound in: a blob copied elsewhere does not open)."""
    return crypto.encrypt_with_key(data_key(case), case.id, plaintext)


def decrypt_for_case(case: Case, blob: bytes) -> bytes:
    """Decrypt bytes sealed by encrypt_for_case(); raise DecryptionError if altered or foreign."""
    return crypto.decrypt_with_key(data_key(case), case.id, blob)


def seal_text(case: Case, text: str, bucket: int = crypto.PAD_BUCKET) -> bytes:
    """Encrypt a text for a case, padded so that its length shows only to the nearest bucket of bytes."""
    return encrypt_for_case(case, crypto.pad_text(text, bucket))


def open_text(case: Case, blob: bytes) -> str:
    """Decrypt a text sealed by seal_text()."""
    return crypto.unpad_text(decrypt_for_case(case, blob))
