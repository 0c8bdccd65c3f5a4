"""people.user_id and subject_matches.user_id replaced by a keyed blind reference; a match's user id sealed

A copy of the database no longer says which staff account is the subject of which case: people and subject
matches hold HMAC(user id) under a key derived from the KEK (what the conflict wall compares), and a match
also holds the user id sealed under its case's key (what a deciding supervisor is shown). Existing rows are
moved here, with a frozen copy of that day's derivation and sealing code (crypto.user_ref, casekeys.seal_text).

Revision ID: 0020_subjectrefs
Revises: 0019_tokenunits
Create Date: 2026-12-02 05:30:00
"""
from __future__ import annotations

import base64
import hashlib
import hmac
import os
from datetime import UTC, datetime
from pathlib import Path

import sqlalchemy as sa
from alembic import op
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from cryptography.hazmat.primitives.keywrap import aes_key_unwrap, aes_key_wrap

revision = "0020_subjectrefs"
down_revision = "0019_tokenunits"
branch_labels = None
depends_on = None

PAD_BUCKET = 64

people = sa.table("people", sa.column("id", sa.Integer), sa.column("user_id", sa.Integer),
                  sa.column("user_ref", sa.String))
matches = sa.table("subject_matches", sa.column("id", sa.Integer), sa.column("case_id", sa.Integer),
                   sa.column("user_id", sa.Integer), sa.column("user_ref", sa.String),
                   sa.column("sealed_user", sa.LargeBinary))
case_keys = sa.table("case_keys", sa.column("case_id", sa.Integer), sa.column("wrapped_key", sa.LargeBinary),
                     sa.column("kek_id", sa.String), sa.column("created_at", sa.DateTime))
users = sa.table("users", sa.column("id", sa.Integer))


class _Keys:
    """The KEK-derived keys of this revision (read only when there are rows to move)."""

    def __init__(self, bind):
        from flask import current_app

        path = Path(current_app.config["CASEFLOW_KEK_FILE"])
        if not path.exists():
            raise RuntimeError(f"{path} is missing: staff links of subjects cannot be moved without the KEK")
        self.kek = base64.b64decode(path.read_text().strip())
        self.ref_key = HKDF(algorithm=hashes.SHA256(), length=32, salt=None,
                            info=b"caseflow:secret:blind:user").derive(self.kek)
        self.bind = bind
        self.case = {}

    def ref(self, user_id):
        return hmac.new(self.ref_key, str(int(user_id)).encode(), hashlib.sha256).hexdigest()[:32]

    def case_key(self, case_id):
        if case_id not in self.case:
            wrapped = self.bind.execute(sa.select(case_keys.c.wrapped_key)
                                        .where(case_keys.c.case_id == case_id)).scalar()
            if wrapped is None:
                key = os.urandom(32)
                kek_id = hashlib.sha256(b"caseflow-kek-id" + self.kek).hexdigest()[:16]
                self.bind.execute(case_keys.insert().values(
                    case_id=case_id, wrapped_key=aes_key_wrap(self.kek, key), kek_id=kek_id,
                    created_at=datetime.now(UTC).replace(tzinfo=None)))
            else:
                key = aes_key_unwrap(self.kek, bytes(wrapped))
            self.case[case_id] = key
        return self.case[case_id]

    def seal(self, case_id, text):
        body = b"\x00" + text.encode() + b"\x80"
        body += b"\x00" * (-len(body) % PAD_BUCKET)
        nonce = os.urandom(12)
        aad = f"caseflow:case:{case_id}".encode()
        return b"\x01" + nonce + AESGCM(self.case_key(case_id)).encrypt(nonce, body, aad)

    def open(self, case_id, blob):
        blob = bytes(blob)
        aad = f"caseflow:case:{case_id}".encode()
        plain = AESGCM(self.case_key(case_id)).decrypt(blob[1:13], blob[13:], aad)
        if plain.startswith(b"\x00"):
            plain = plain[1:].rstrip(b"\x00")[:-1]
        return int(plain.decode())


def _move_up(bind):
    linked = bind.execute(sa.select(people.c.id, people.c.user_id).where(people.c.user_id.is_not(None))).all()
    rows = bind.execute(sa.select(matches.c.id, matches.c.case_id, matches.c.user_id)).all()
    if not linked and not rows:
        return
    keys = _Keys(bind)
    for pid, uid in linked:
        bind.execute(people.update().where(people.c.id == pid).values(user_ref=keys.ref(uid)))
    for mid, case_id, uid in rows:
        bind.execute(matches.update().where(matches.c.id == mid).values(
            user_ref=keys.ref(uid), sealed_user=keys.seal(case_id, str(uid))))


def _move_down(bind):
    linked = bind.execute(sa.select(people.c.id, people.c.user_ref).where(people.c.user_ref.is_not(None))).all()
    rows = bind.execute(sa.select(matches.c.id, matches.c.case_id, matches.c.sealed_user)).all()
    if not linked and not rows:
        return
    keys = _Keys(bind)
    by_ref = {keys.ref(uid): uid for uid in bind.execute(sa.select(users.c.id)).scalars()}
    for pid, ref in linked:
        bind.execute(people.update().where(people.c.id == pid).values(user_id=by_ref.get(ref)))
    for mid, case_id, blob in rows:
        bind.execute(matches.update().where(matches.c.id == mid).values(user_id=keys.open(case_id, blob)))


def upgrade() -> None:
    """Add the reference columns, move the links into them, then drop the clear user ids."""
    with op.batch_alter_table("people", schema=None) as batch_op:
        batch_op.add_column(sa.Column("user_ref", sa.String(length=32), nullable=True))
        batch_op.create_index(batch_op.f("ix_people_user_ref"), ["user_ref"], unique=False)
    with op.batch_alter_table("subject_matches", schema=None) as batch_op:
        batch_op.add_column(sa.Column("user_ref", sa.String(length=32), nullable=True))
        batch_op.add_column(sa.Column("sealed_user", sa.LargeBinary(), nullable=True))
    _move_up(op.get_bind())
    with op.batch_alter_table("people", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_people_user_id"))
        batch_op.drop_constraint(batch_op.f("fk_people_user_id_users"), type_="foreignkey")
        batch_op.drop_column("user_id")
    with op.batch_alter_table("subject_matches", schema=None) as batch_op:
        batch_op.drop_constraint("uq_subject_matches_case_person_user", type_="unique")
        batch_op.drop_index(batch_op.f("ix_subject_matches_user_id"))
        batch_op.drop_constraint(batch_op.f("fk_subject_matches_user_id_users"), type_="foreignkey")
        batch_op.drop_column("user_id")
        batch_op.alter_column("user_ref", existing_type=sa.String(length=32), nullable=False)
        batch_op.alter_column("sealed_user", existing_type=sa.LargeBinary(), nullable=False)
        batch_op.create_index(batch_op.f("ix_subject_matches_user_ref"), ["user_ref"], unique=False)
        batch_op.create_unique_constraint("uq_subject_matches_case_person_user",
                                          ["case_id", "person_id", "user_ref"])


def downgrade() -> None:
    """Put the clear user ids back (opened and matched with the KEK), then drop the reference columns."""
    with op.batch_alter_table("people", schema=None) as batch_op:
        batch_op.add_column(sa.Column("user_id", sa.Integer(), nullable=True))
    with op.batch_alter_table("subject_matches", schema=None) as batch_op:
        batch_op.add_column(sa.Column("user_id", sa.Integer(), nullable=True))
    _move_down(op.get_bind())
    op.execute("DELETE FROM subject_matches WHERE user_id IS NULL")  # an account deleted since: no link left
    with op.batch_alter_table("subject_matches", schema=None) as batch_op:
        batch_op.drop_constraint("uq_subject_matches_case_person_user", type_="unique")
        batch_op.drop_index(batch_op.f("ix_subject_matches_user_ref"))
        batch_op.drop_column("sealed_user")
        batch_op.drop_column("user_ref")
        batch_op.alter_column("user_id", existing_type=sa.Integer(), nullable=False)
        batch_op.create_index(batch_op.f("ix_subject_matches_user_id"), ["user_id"], unique=False)
        batch_op.create_foreign_key(batch_op.f("fk_subject_matches_user_id_users"), "users", ["user_id"], ["id"])
        batch_op.create_unique_constraint("uq_subject_matches_case_person_user",
                                          ["case_id", "person_id", "user_id"])
    with op.batch_alter_table("people", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_people_user_ref"))
        batch_op.drop_column("user_ref")
        batch_op.create_index(batch_op.f("ix_people_user_id"), ["user_id"], unique=False)
        batch_op.create_foreign_key(batch_op.f("fk_people_user_id_users"), "users", ["user_id"], ["id"])
