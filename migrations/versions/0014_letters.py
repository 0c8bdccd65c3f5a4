"""letters: templates per kind and language, letters issued on a case, and issued reports that keep their PDF

Revision ID: 0014_letters
Revises: 0013_units
Create Date: 2026-12-02 02:00:00

issued_reports gains the kind 'letter', the document's language and the id of the PDF kept in the case.
Plain SQLAlchemy only: a revision must not change meaning when the application's code changes.
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0014_letters"
down_revision = "0013_units"
branch_labels = None
depends_on = None

OLD = ("investigation", "management")
NEW = ("investigation", "management", "letter")
KINDS = ("subject_notice", "interview_invitation", "referral", "acknowledgement")


def _kind(values):
    return sa.Enum(*values, name="issued_report_kind", native_enum=False, create_constraint=True, length=32)


def _letter_kind(name):
    return sa.Enum(*KINDS, name=name, native_enum=False, create_constraint=True, length=32)


def _swap_kind_check(values):
    """Replace the CHECK on issued_reports.kind, whatever name a database made earlier gave it."""
    bind = op.get_bind()
    names = bind.execute(sa.text(
        "SELECT conname FROM pg_constraint WHERE conrelid = 'issued_reports'::regclass AND contype = 'c' "
        "AND pg_get_constraintdef(oid) LIKE '%kind%'")).scalars().all()
    for name in names:
        op.drop_constraint(op.f(name), "issued_reports", type_="check")
    allowed = ", ".join(f"'{v}'" for v in values)
    op.create_check_constraint(op.f("ck_issued_reports_issued_report_kind"), "issued_reports",
                               sa.text(f"kind IN ({allowed})"))


def upgrade():
    postgres = op.get_bind().dialect.name == "postgresql"
    if postgres:
        _swap_kind_check(NEW)
    with op.batch_alter_table("issued_reports", schema=None) as batch_op:
        if not postgres:
            batch_op.alter_column("kind", existing_type=_kind(OLD), type_=_kind(NEW), existing_nullable=False)
        batch_op.add_column(sa.Column("language", sa.String(length=10), nullable=True))
        batch_op.add_column(sa.Column("attachment_id", sa.Integer(), nullable=True))
    op.create_table(
        "letter_templates",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("kind", _letter_kind("letter_template_kind"), nullable=False),
        sa.Column("language", sa.String(length=10), nullable=False),
        sa.Column("subject", sa.String(length=300), nullable=False),
        sa.Column("body", sa.Text(), nullable=False),
        sa.Column("updated_by_id", sa.Integer(), nullable=True),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(["updated_by_id"], ["users.id"], name=op.f("fk_letter_templates_updated_by_id_users")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_letter_templates")),
        sa.UniqueConstraint("kind", "language", name="uq_letter_templates_kind_language"),
    )
    op.create_table(
        "letters",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("case_id", sa.Integer(), nullable=False),
        sa.Column("issued_report_id", sa.Integer(), nullable=False),
        sa.Column("kind", _letter_kind("letter_kind"), nullable=False),
        sa.Column("recipient", sa.Text(), nullable=False),
        sa.Column("party_id", sa.Integer(), nullable=True),
        sa.Column("interview_id", sa.Integer(), nullable=True),
        sa.Column("referral_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(["case_id"], ["cases.id"], name=op.f("fk_letters_case_id_cases"), ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["issued_report_id"], ["issued_reports.id"],
                                name=op.f("fk_letters_issued_report_id_issued_reports"), ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_letters")),
        sa.UniqueConstraint("issued_report_id", name=op.f("uq_letters_issued_report_id")),
    )
    with op.batch_alter_table("letters", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_letters_case_id"), ["case_id"], unique=False)


def downgrade():
    with op.batch_alter_table("letters", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_letters_case_id"))
    op.drop_table("letters")
    op.drop_table("letter_templates")
    op.execute("DELETE FROM issued_reports WHERE kind = 'letter'")
    postgres = op.get_bind().dialect.name == "postgresql"
    with op.batch_alter_table("issued_reports", schema=None) as batch_op:
        batch_op.drop_column("attachment_id")
        batch_op.drop_column("language")
        if not postgres:
            batch_op.alter_column("kind", existing_type=_kind(NEW), type_=_kind(OLD), existing_nullable=False)
    if postgres:
        _swap_kind_check(OLD)
