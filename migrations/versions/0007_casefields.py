"""the reporter's "when" and "where" answers on a case sealed at rest (they can identify a person)

Revision ID: 0007_casefields
Revises: 0006_staffsessions
Create Date: 2026-12-01 23:50:00

"""
import base64
import os
from pathlib import Path

import sqlalchemy as sa
from alembic import op
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

revision = '0007_casefields'
down_revision = '0006_staffsessions'
branch_labels = None
depends_on = None

# A frozen copy of the sealing format of this revision (crypto.seal_secret, purpose "case").
PREFIX = "s1:"
PURPOSE = "case"


def _sealer():
    from flask import current_app

    path = Path(current_app.config["CASEFLOW_KEK_FILE"])
    if not path.exists():
        raise RuntimeError(f"{path} is missing: case details cannot be sealed without the KEK")
    kek = base64.b64decode(path.read_text().strip())
    key = HKDF(algorithm=hashes.SHA256(), length=32, salt=None,
               info=f"caseflow:secret:{PURPOSE}".encode()).derive(kek)

    def seal(text):
        if text is None or text.startswith(PREFIX):
            return text
        nonce = os.urandom(12)
        return PREFIX + base64.urlsafe_b64encode(nonce + AESGCM(key).encrypt(nonce, text.encode(),
                                                                           PURPOSE.encode())).decode()
    return seal


def _alter(change):
    """Run a batch alter of cases; on SQLite the table is rebuilt, so its triggers (full-text sync) are kept."""
    bind = op.get_bind()
    triggers = []
    if bind.dialect.name == 'sqlite':
        triggers = [row[0] for row in bind.execute(sa.text(
            "SELECT sql FROM sqlite_master WHERE type = 'trigger' AND tbl_name = 'cases'"))]
    with op.batch_alter_table('cases', schema=None) as batch_op:
        change(batch_op)
    for sql in triggers:
        bind.execute(sa.text(sql))


def upgrade():
    def widen(batch_op):
        batch_op.alter_column('incident_date', existing_type=sa.String(length=80), type_=sa.Text(),
                              existing_nullable=True)
        batch_op.alter_column('location_detail', existing_type=sa.String(length=200), type_=sa.Text(),
                              existing_nullable=True)
    _alter(widen)
    bind = op.get_bind()
    cases = sa.table('cases', sa.column('id', sa.Integer), sa.column('incident_date', sa.Text),
                     sa.column('location_detail', sa.Text))
    rows = bind.execute(sa.select(cases.c.id, cases.c.incident_date, cases.c.location_detail).where(
        sa.or_(cases.c.incident_date.is_not(None), cases.c.location_detail.is_not(None)))).all()
    if rows:
        seal = _sealer()
        for cid, when, where in rows:
            bind.execute(cases.update().where(cases.c.id == cid).values(incident_date=seal(when),
                                                                         location_detail=seal(where)))


def downgrade():
    # Sealed values stay sealed (the application reads both); only the column shape is restored.
    def narrow(batch_op):
        batch_op.alter_column('location_detail', existing_type=sa.Text(), type_=sa.String(length=200),
                              existing_nullable=True)
        batch_op.alter_column('incident_date', existing_type=sa.Text(), type_=sa.String(length=80),
                              existing_nullable=True)
    _alter(narrow)
