"""people sealed at rest with blind indexes; staff badge numbers and aliases; subject matches

The names, badges and positions of people named in cases are sealed like other whistleblower content; rows
stored before are sealed here. Their blind indexes (name_key, badge_key, person_sounds) are computed by
`flask caseflow index-people`, which `make run` and `make serve` run after upgrading.

Revision ID: 0003_people
Revises: 0002
Create Date: 2026-12-01 23:20:00

"""
import base64
import os
from pathlib import Path

import sqlalchemy as sa
from alembic import op
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

revision = '0003_people'
down_revision = '0002'
branch_labels = None
depends_on = None

# A frozen copy of the sealing format of this revision (crypto.seal_secret, purpose "person").
PREFIX = "s1:"
PURPOSE = "person"


def _sealer():
    from flask import current_app

    path = Path(current_app.config["CASEFLOW_KEK_FILE"])
    if not path.exists():
        raise RuntimeError(f"{path} is missing: the people in this database cannot be sealed without the KEK")
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
    people = sa.table('people', sa.column('id', sa.Integer), sa.column('full_name', sa.Text),
                      sa.column('badge_number', sa.Text), sa.column('position', sa.Text))
    rows = bind.execute(sa.select(people.c.id, people.c.full_name, people.c.badge_number,
                                  people.c.position)).all()
    if not rows:
        return
    seal = _sealer()
    for pid, name, badge, position in rows:
        bind.execute(people.update().where(people.c.id == pid).values(
            full_name=seal(name), badge_number=seal(badge), position=seal(position)))


def upgrade():
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.add_column(sa.Column('badge_number', sa.String(length=40), nullable=True))
        batch_op.add_column(sa.Column('aliases', sa.Text(), server_default='', nullable=False))

    op.drop_index('ix_people_full_name_lower', table_name='people')
    with op.batch_alter_table('people', schema=None) as batch_op:
        batch_op.drop_index('ix_people_full_name')
        batch_op.drop_index('ix_people_badge_number')
        batch_op.alter_column('full_name', existing_type=sa.String(length=200), type_=sa.Text(),
                              existing_nullable=False)
        batch_op.alter_column('badge_number', existing_type=sa.String(length=40), type_=sa.Text(),
                              existing_nullable=True)
        batch_op.alter_column('position', existing_type=sa.String(length=120), type_=sa.Text(),
                              existing_nullable=True)
        batch_op.add_column(sa.Column('name_key', sa.String(length=32), nullable=True))
        batch_op.add_column(sa.Column('badge_key', sa.String(length=32), nullable=True))
        batch_op.create_index(batch_op.f('ix_people_name_key'), ['name_key'], unique=False)
        batch_op.create_index(batch_op.f('ix_people_badge_key'), ['badge_key'], unique=False)
    _seal_existing()

    op.create_table('person_sounds',
    sa.Column('person_id', sa.Integer(), nullable=False),
    sa.Column('key', sa.String(length=32), nullable=False),
    sa.ForeignKeyConstraint(['person_id'], ['people.id'], name=op.f('fk_person_sounds_person_id_people'),
                            ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('person_id', 'key', name=op.f('pk_person_sounds'))
    )
    with op.batch_alter_table('person_sounds', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_person_sounds_key'), ['key'], unique=False)

    op.create_table('subject_matches',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('case_id', sa.Integer(), nullable=False),
    sa.Column('person_id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('status', sa.Enum('linked', 'pending', 'confirmed', 'dismissed', name='subject_match_status',
                                native_enum=False, create_constraint=True, length=32), nullable=False),
    sa.Column('basis', sa.String(length=32), nullable=False),
    sa.Column('reason', sa.Text(), nullable=True),
    sa.Column('decided_by_id', sa.Integer(), nullable=True),
    sa.Column('decided_at', sa.DateTime(), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['case_id'], ['cases.id'], name=op.f('fk_subject_matches_case_id_cases'),
                            ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['decided_by_id'], ['users.id'], name=op.f('fk_subject_matches_decided_by_id_users')),
    sa.ForeignKeyConstraint(['person_id'], ['people.id'], name=op.f('fk_subject_matches_person_id_people'),
                            ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_subject_matches_user_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_subject_matches')),
    sa.UniqueConstraint('person_id', 'user_id', name='uq_subject_matches_person_user')
    )
    with op.batch_alter_table('subject_matches', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_subject_matches_case_id'), ['case_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_subject_matches_user_id'), ['user_id'], unique=False)


def downgrade():
    # Sealed names stay sealed: the application reads them either way; a downgrade only restores the shape.
    with op.batch_alter_table('subject_matches', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_subject_matches_user_id'))
        batch_op.drop_index(batch_op.f('ix_subject_matches_case_id'))
    op.drop_table('subject_matches')
    with op.batch_alter_table('person_sounds', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_person_sounds_key'))
    op.drop_table('person_sounds')
    with op.batch_alter_table('people', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_people_badge_key'))
        batch_op.drop_index(batch_op.f('ix_people_name_key'))
        batch_op.drop_column('badge_key')
        batch_op.drop_column('name_key')
        batch_op.alter_column('position', existing_type=sa.Text(), type_=sa.String(length=120),
                              existing_nullable=True)
        batch_op.alter_column('badge_number', existing_type=sa.Text(), type_=sa.String(length=40),
                              existing_nullable=True)
        batch_op.alter_column('full_name', existing_type=sa.Text(), type_=sa.String(length=200),
                              existing_nullable=False)
        batch_op.create_index('ix_people_badge_number', ['badge_number'], unique=False)
        batch_op.create_index('ix_people_full_name', ['full_name'], unique=False)
    op.create_index('ix_people_full_name_lower', 'people', [sa.text('lower(full_name)')], unique=False)
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.drop_column('aliases')
        batch_op.drop_column('badge_number')
