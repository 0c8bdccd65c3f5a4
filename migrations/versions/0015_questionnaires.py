"""questionnaires: versions, ordered steps and typed questions (texts per language), a case's sealed answers,
and the reporter's server-side drafts while a questionnaire is being filled

Revision ID: 0015_questionnaires
Revises: 0014_letters
Create Date: 2026-12-02 01:49:59
"""

import sqlalchemy as sa
from alembic import op

revision = "0015_questionnaires"
down_revision = "0014_letters"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "questionnaires",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("key", sa.String(length=60), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column(
            "status",
            sa.Enum(
                "draft",
                "published",
                "retired",
                name="questionnaire_status",
                native_enum=False,
                create_constraint=True,
                length=32,
            ),
            nullable=False,
        ),
        sa.Column("title", sa.JSON(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("published_at", sa.DateTime(), nullable=True),
        sa.Column("retired_at", sa.DateTime(), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_questionnaires")),
        sa.UniqueConstraint("key", "version", name="uq_questionnaires_key_version"),
    )
    with op.batch_alter_table("questionnaires", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_questionnaires_key"), ["key"], unique=False)

    op.create_table(
        "answer_drafts",
        sa.Column("id_hash", sa.String(length=64), nullable=False),
        sa.Column("questionnaire_id", sa.Integer(), nullable=False),
        sa.Column("answers", sa.Text(), nullable=False),
        sa.Column("done_steps", sa.JSON(), nullable=False),
        sa.Column("unit", sa.String(length=80), nullable=True),
        sa.Column("created_on", sa.Date(), nullable=False),
        sa.Column("expires_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["questionnaire_id"],
            ["questionnaires.id"],
            name=op.f("fk_answer_drafts_questionnaire_id_questionnaires"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id_hash", name=op.f("pk_answer_drafts")),
    )
    with op.batch_alter_table("answer_drafts", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_answer_drafts_expires_at"), ["expires_at"], unique=False)
        batch_op.create_index(batch_op.f("ix_answer_drafts_questionnaire_id"), ["questionnaire_id"], unique=False)

    op.create_table(
        "questionnaire_steps",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("questionnaire_id", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("title", sa.JSON(), nullable=False),
        sa.ForeignKeyConstraint(
            ["questionnaire_id"],
            ["questionnaires.id"],
            name=op.f("fk_questionnaire_steps_questionnaire_id_questionnaires"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_questionnaire_steps")),
    )
    with op.batch_alter_table("questionnaire_steps", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_questionnaire_steps_questionnaire_id"), ["questionnaire_id"], unique=False
        )

    op.create_table(
        "answer_draft_files",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("draft_hash", sa.String(length=64), nullable=False),
        sa.Column("question_id", sa.Integer(), nullable=False),
        sa.Column("filename", sa.Text(), nullable=False),
        sa.Column("content", sa.Text(), nullable=False),
        sa.Column("keep_uncleanable", sa.Boolean(), nullable=False),
        sa.ForeignKeyConstraint(
            ["draft_hash"],
            ["answer_drafts.id_hash"],
            name=op.f("fk_answer_draft_files_draft_hash_answer_drafts"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_answer_draft_files")),
    )
    with op.batch_alter_table("answer_draft_files", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_answer_draft_files_draft_hash"), ["draft_hash"], unique=False)

    op.create_table(
        "questions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("step_id", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column(
            "kind",
            sa.Enum(
                "short_text",
                "long_text",
                "number",
                "date",
                "single_choice",
                "multiple_choice",
                "yes_no",
                "file",
                "person",
                "amount",
                name="question_kind",
                native_enum=False,
                create_constraint=True,
                length=32,
            ),
            nullable=False,
        ),
        sa.Column("required", sa.Boolean(), nullable=False),
        sa.Column("label", sa.JSON(), nullable=False),
        sa.Column("help", sa.JSON(), nullable=False),
        sa.Column("choices", sa.JSON(), nullable=False),
        sa.Column("condition_question_id", sa.Integer(), nullable=True),
        sa.Column("condition_value", sa.String(length=60), nullable=True),
        sa.ForeignKeyConstraint(
            ["condition_question_id"],
            ["questions.id"],
            name=op.f("fk_questions_condition_question_id_questions"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["step_id"],
            ["questionnaire_steps.id"],
            name=op.f("fk_questions_step_id_questionnaire_steps"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_questions")),
    )
    with op.batch_alter_table("questions", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_questions_step_id"), ["step_id"], unique=False)

    op.create_table(
        "case_answers",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("case_id", sa.Integer(), nullable=False),
        sa.Column("questionnaire_id", sa.Integer(), nullable=False),
        sa.Column("answers_blob", sa.LargeBinary(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["case_id"], ["cases.id"], name=op.f("fk_case_answers_case_id_cases"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["questionnaire_id"], ["questionnaires.id"], name=op.f("fk_case_answers_questionnaire_id_questionnaires")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_case_answers")),
        sa.UniqueConstraint("case_id", name=op.f("uq_case_answers_case_id")),
    )
    with op.batch_alter_table("case_answers", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_case_answers_questionnaire_id"), ["questionnaire_id"], unique=False)


def downgrade():
    with op.batch_alter_table("case_answers", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_case_answers_questionnaire_id"))

    op.drop_table("case_answers")
    with op.batch_alter_table("questions", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_questions_step_id"))

    op.drop_table("questions")
    with op.batch_alter_table("answer_draft_files", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_answer_draft_files_draft_hash"))

    op.drop_table("answer_draft_files")
    with op.batch_alter_table("questionnaire_steps", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_questionnaire_steps_questionnaire_id"))

    op.drop_table("questionnaire_steps")
    with op.batch_alter_table("answer_drafts", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_answer_drafts_questionnaire_id"))
        batch_op.drop_index(batch_op.f("ix_answer_drafts_expires_at"))

    op.drop_table("answer_drafts")
    with op.batch_alter_table("questionnaires", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_questionnaires_key"))

    op.drop_table("questionnaires")
