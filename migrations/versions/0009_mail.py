"""mail: outbox sealed; ignored mail kept with its reason; threading and bounce columns; recording references

The outbox's recipient and body are sealed like other secrets (purpose "outbox"); rows stored before are
sealed here. Processed mail may now be "ignored" (auto-reply, bounce, mailing list, bulk), with its sender
and subject sealed and the receiving server's authentication results.

Revision ID: 0009_mail
Revises: 0008_portal
Create Date: 2026-12-01 23:40:00

"""
import base64
import os
from pathlib import Path

import sqlalchemy as sa
from alembic import op
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

revision = '0009_mail'
down_revision = '0008_portal'
branch_labels = None
depends_on = None

# A frozen copy of the sealing format of this revision (crypto.seal_secret, purpose "outbox").
PREFIX = "s1:"
PURPOSE = "outbox"
OLD = ('created', 'threaded', 'failed')
NEW = ('created', 'threaded', 'failed', 'ignored')


def _outcome(values):
    return sa.Enum(*values, name='processed_mail_outcome', native_enum=False, create_constraint=True, length=32)


def _swap_outcome_check(values):
    """Replace the CHECK on processed_mails.outcome, whatever the name a database made earlier gave it."""
    bind = op.get_bind()
    names = bind.execute(sa.text(
        "SELECT conname FROM pg_constraint WHERE conrelid = 'processed_mails'::regclass AND contype = 'c' "
        "AND pg_get_constraintdef(oid) LIKE '%outcome%'")).scalars().all()
    for name in names:
        op.drop_constraint(op.f(name), 'processed_mails', type_='check')  # the name as found
    allowed = ", ".join(f"'{v}'" for v in values)
    op.create_check_constraint(op.f('ck_processed_mails_processed_mail_outcome'), 'processed_mails',
                               sa.text(f"outcome IN ({allowed})"))


def _sealer():
    from flask import current_app

    path = Path(current_app.config["CASEFLOW_KEK_FILE"])
    if not path.exists():
        raise RuntimeError(f"{path} is missing: the outbox cannot be sealed without the KEK")
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


def _seal_existing():
    bind = op.get_bind()
    outbox = sa.table('outbox_mails', sa.column('id', sa.Integer), sa.column('to_addr', sa.Text),
                      sa.column('body', sa.Text))
    rows = bind.execute(sa.select(outbox.c.id, outbox.c.to_addr, outbox.c.body)).all()
    if not rows:
        return
    seal = _sealer()
    for mid, to_addr, body in rows:
        bind.execute(outbox.update().where(outbox.c.id == mid).values(to_addr=seal(to_addr), body=seal(body)))


def upgrade():
    with op.batch_alter_table('outbox_mails', schema=None) as batch_op:
        batch_op.alter_column('to_addr', existing_type=sa.String(length=320), type_=sa.Text(),
                              existing_nullable=False)
        batch_op.add_column(sa.Column('language', sa.String(length=10), nullable=True))
        batch_op.add_column(sa.Column('in_reply_to', sa.String(length=300), nullable=True))
        batch_op.add_column(sa.Column('message_id', sa.String(length=300), nullable=True))
        batch_op.add_column(sa.Column('bounced_at', sa.DateTime(), nullable=True))
        batch_op.create_index(batch_op.f('ix_outbox_mails_message_id'), ['message_id'], unique=False)
    _seal_existing()
    if op.get_bind().dialect.name == 'postgresql':
        _swap_outcome_check(NEW)
    with op.batch_alter_table('processed_mails', schema=None) as batch_op:
        if op.get_bind().dialect.name != 'postgresql':
            batch_op.alter_column('outcome', existing_type=_outcome(OLD), type_=_outcome(NEW),
                                  existing_nullable=False)
        batch_op.add_column(sa.Column('sender', sa.Text(), nullable=True))
        batch_op.add_column(sa.Column('subject', sa.Text(), nullable=True))
        batch_op.add_column(sa.Column('auth_results', sa.String(length=200), nullable=True))
    with op.batch_alter_table('intake_records', schema=None) as batch_op:
        batch_op.add_column(sa.Column('recording_ref', sa.String(length=200), nullable=True))


def downgrade():
    with op.batch_alter_table('intake_records', schema=None) as batch_op:
        batch_op.drop_column('recording_ref')
    op.execute("DELETE FROM processed_mails WHERE outcome = 'ignored'")
    with op.batch_alter_table('processed_mails', schema=None) as batch_op:
        batch_op.drop_column('auth_results')
        batch_op.drop_column('subject')
        batch_op.drop_column('sender')
        if op.get_bind().dialect.name != 'postgresql':
            batch_op.alter_column('outcome', existing_type=_outcome(NEW), type_=_outcome(OLD),
                                  existing_nullable=False)
    if op.get_bind().dialect.name == 'postgresql':
        _swap_outcome_check(OLD)
    with op.batch_alter_table('outbox_mails', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_outbox_mails_message_id'))
        batch_op.drop_column('bounced_at')
        batch_op.drop_column('message_id')
        batch_op.drop_column('in_reply_to')
        batch_op.drop_column('language')
        # sealed values stay sealed (the application opens them); only the column type goes back
        batch_op.alter_column('to_addr', existing_type=sa.Text(), type_=sa.String(length=320),
                              existing_nullable=False)
