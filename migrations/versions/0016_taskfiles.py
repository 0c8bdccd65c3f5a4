"""files on tasks and notes (work_files, kept like evidence), and the person of the case an interview was with

Revision ID: 0016_taskfiles
Revises: 0015_questionnaires
Create Date: 2026-12-02 02:10:00

"""
import sqlalchemy as sa
from alembic import op

revision = "0016_taskfiles"
down_revision = "0015_questionnaires"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "work_files",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("case_id", sa.Integer(), nullable=False),
        sa.Column("task_id", sa.Integer(), nullable=True),
        sa.Column("note_id", sa.Integer(), nullable=True),
        sa.Column("attachment_id", sa.Integer(), nullable=True),
        sa.Column("filename", sa.Text(), nullable=False),
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("uploaded_by_id", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.CheckConstraint("(task_id IS NULL) <> (note_id IS NULL)", name=op.f("ck_work_files_one_owner")),
        sa.ForeignKeyConstraint(["case_id"], ["cases.id"], name=op.f("fk_work_files_case_id_cases"),
                                ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["note_id"], ["notes.id"], name=op.f("fk_work_files_note_id_notes"),
                                ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["task_id"], ["tasks.id"], name=op.f("fk_work_files_task_id_tasks"),
                                ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["uploaded_by_id"], ["users.id"], name=op.f("fk_work_files_uploaded_by_id_users")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_work_files")),
    )
    with op.batch_alter_table("work_files", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_work_files_case_id"), ["case_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_work_files_note_id"), ["note_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_work_files_task_id"), ["task_id"], unique=False)
    with op.batch_alter_table("interviews", schema=None) as batch_op:
        batch_op.add_column(sa.Column("party_id", sa.Integer(), nullable=True))
        batch_op.create_index(batch_op.f("ix_interviews_party_id"), ["party_id"], unique=False)
        batch_op.create_foreign_key(batch_op.f("fk_interviews_party_id_case_parties"), "case_parties",
                                    ["party_id"], ["id"], ondelete="SET NULL")


def downgrade():
    with op.batch_alter_table("interviews", schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f("fk_interviews_party_id_case_parties"), type_="foreignkey")
        batch_op.drop_index(batch_op.f("ix_interviews_party_id"))
        batch_op.drop_column("party_id")
    with op.batch_alter_table("work_files", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_work_files_task_id"))
        batch_op.drop_index(batch_op.f("ix_work_files_note_id"))
        batch_op.drop_index(batch_op.f("ix_work_files_case_id"))
    op.drop_table("work_files")
