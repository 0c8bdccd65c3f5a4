"""reporter portal: a report form's spent token names the case it created; server-side reporter sessions

Revision ID: 0008_portal
Revises: 0007_casefields
"""
import sqlalchemy as sa
from alembic import op

revision = "0008_portal"
down_revision = "0007_casefields"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("used_form_tokens", schema=None) as batch_op:
        batch_op.add_column(sa.Column("case_id", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("content_mac", sa.String(length=64), nullable=True))
        batch_op.create_index(batch_op.f("ix_used_form_tokens_content_mac"), ["content_mac"], unique=False)
        batch_op.create_foreign_key(batch_op.f("fk_used_form_tokens_case_id_cases"), "cases", ["case_id"], ["id"],
                                    ondelete="CASCADE")
    op.create_table(
        "reporter_sessions",
        sa.Column("id_hash", sa.String(length=64), nullable=False),
        sa.Column("submission_id", sa.Integer(), nullable=False),
        sa.Column("created_on", sa.Date(), nullable=False),
        sa.Column("idle_until", sa.DateTime(), nullable=False),
        sa.Column("expires_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(["submission_id"], ["report_submissions.id"],
                                name=op.f("fk_reporter_sessions_submission_id_report_submissions"),
                                ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id_hash", name=op.f("pk_reporter_sessions")),
    )
    with op.batch_alter_table("reporter_sessions", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_reporter_sessions_submission_id"), ["submission_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_reporter_sessions_expires_at"), ["expires_at"], unique=False)


def downgrade():
    with op.batch_alter_table("reporter_sessions", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_reporter_sessions_expires_at"))
        batch_op.drop_index(batch_op.f("ix_reporter_sessions_submission_id"))
    op.drop_table("reporter_sessions")
    with op.batch_alter_table("used_form_tokens", schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f("fk_used_form_tokens_case_id_cases"), type_="foreignkey")
        batch_op.drop_index(batch_op.f("ix_used_form_tokens_content_mac"))
        batch_op.drop_column("content_mac")
        batch_op.drop_column("case_id")
