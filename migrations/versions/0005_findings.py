"""findings: who decided a sanction, with its reference; versioned drafts of the written investigation report

Revision ID: 0005_findings
Revises: 0004_files

"""
import sqlalchemy as sa
from alembic import op

revision = "0005_findings"
down_revision = "0004_files"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("allegations", schema=None) as batch_op:
        batch_op.add_column(sa.Column("sanction_reference", sa.String(length=120), nullable=True))
        batch_op.add_column(sa.Column("sanction_decided_by_id", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("sanction_decided_at", sa.DateTime(), nullable=True))
        batch_op.create_foreign_key(batch_op.f("fk_allegations_sanction_decided_by_id_users"), "users",
                                    ["sanction_decided_by_id"], ["id"])
    op.create_table(
        "report_drafts",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("case_id", sa.Integer(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("sections", sa.Text(), nullable=False),
        sa.Column("status", sa.Enum("draft", "approved", "returned", name="report_draft_status",
                                    native_enum=False, create_constraint=True, length=32), nullable=False),
        sa.Column("author_id", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("reviewed_by_id", sa.Integer(), nullable=True),
        sa.Column("reviewed_at", sa.DateTime(), nullable=True),
        sa.Column("review_comment", sa.Text(), nullable=True),
        sa.Column("issued_report_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(["author_id"], ["users.id"], name=op.f("fk_report_drafts_author_id_users")),
        sa.ForeignKeyConstraint(["case_id"], ["cases.id"], name=op.f("fk_report_drafts_case_id_cases"),
                                ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["issued_report_id"], ["issued_reports.id"],
                                name=op.f("fk_report_drafts_issued_report_id_issued_reports"), ondelete="SET NULL"),
        sa.ForeignKeyConstraint(["reviewed_by_id"], ["users.id"], name=op.f("fk_report_drafts_reviewed_by_id_users")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_report_drafts")),
        sa.UniqueConstraint("case_id", "version", name="uq_report_drafts_case_version"),
    )


def downgrade():
    op.drop_table("report_drafts")
    with op.batch_alter_table("allegations", schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f("fk_allegations_sanction_decided_by_id_users"), type_="foreignkey")
        batch_op.drop_column("sanction_decided_at")
        batch_op.drop_column("sanction_decided_by_id")
        batch_op.drop_column("sanction_reference")
