"""person index: search terms of people, identifiers recorded on cases, merged duplicates

Search terms of people already stored are computed by `flask caseflow index-people` (the keys need the KEK).
A subject match is now unique per case, person and user: a person merged from duplicates is named in
several cases and each case keeps its own match.

Revision ID: 0010_people_index
Revises: 0009_mail
Create Date: 2026-12-01 23:45:00

"""
import sqlalchemy as sa
from alembic import op

revision = "0010_people_index"
down_revision = "0009_mail"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("people", schema=None) as batch_op:
        batch_op.add_column(sa.Column("merged_into_id", sa.Integer(), nullable=True))
        batch_op.create_index(batch_op.f("ix_people_merged_into_id"), ["merged_into_id"], unique=False)
        batch_op.create_foreign_key(batch_op.f("fk_people_merged_into_id_people"), "people",
                                    ["merged_into_id"], ["id"])
    with op.batch_alter_table("subject_matches", schema=None) as batch_op:
        batch_op.drop_constraint("uq_subject_matches_person_user", type_="unique")
        batch_op.create_unique_constraint("uq_subject_matches_case_person_user", ["case_id", "person_id", "user_id"])
    op.create_table(
        "person_terms",
        sa.Column("key", sa.String(length=32), nullable=False),
        sa.Column("person_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["person_id"], ["people.id"], name=op.f("fk_person_terms_person_id_people"),
                                ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("key", "person_id", name=op.f("pk_person_terms")),
    )
    with op.batch_alter_table("person_terms", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_person_terms_person_id"), ["person_id"], unique=False)
    op.create_table(
        "case_identifiers",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("case_id", sa.Integer(), nullable=False),
        sa.Column("person_id", sa.Integer(), nullable=True),
        sa.Column("kind", sa.Enum("plate", "company", "declaration", "phone", name="identifier_kind",
                                  native_enum=False, create_constraint=True, length=32), nullable=False),
        sa.Column("value", sa.Text(), nullable=False),
        sa.Column("created_by_id", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(["case_id"], ["cases.id"], name=op.f("fk_case_identifiers_case_id_cases"),
                                ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["created_by_id"], ["users.id"],
                                name=op.f("fk_case_identifiers_created_by_id_users")),
        sa.ForeignKeyConstraint(["person_id"], ["people.id"], name=op.f("fk_case_identifiers_person_id_people"),
                                ondelete="SET NULL"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_case_identifiers")),
    )
    with op.batch_alter_table("case_identifiers", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_case_identifiers_case_id"), ["case_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_case_identifiers_person_id"), ["person_id"], unique=False)
    op.create_table(
        "identifier_terms",
        sa.Column("key", sa.String(length=32), nullable=False),
        sa.Column("identifier_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["identifier_id"], ["case_identifiers.id"],
                                name=op.f("fk_identifier_terms_identifier_id_case_identifiers"), ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("key", "identifier_id", name=op.f("pk_identifier_terms")),
    )
    with op.batch_alter_table("identifier_terms", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_identifier_terms_identifier_id"), ["identifier_id"], unique=False)


def downgrade():
    with op.batch_alter_table("identifier_terms", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_identifier_terms_identifier_id"))
    op.drop_table("identifier_terms")
    with op.batch_alter_table("case_identifiers", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_case_identifiers_person_id"))
        batch_op.drop_index(batch_op.f("ix_case_identifiers_case_id"))
    op.drop_table("case_identifiers")
    with op.batch_alter_table("person_terms", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_person_terms_person_id"))
    op.drop_table("person_terms")
    with op.batch_alter_table("subject_matches", schema=None) as batch_op:
        batch_op.drop_constraint("uq_subject_matches_case_person_user", type_="unique")
        batch_op.create_unique_constraint("uq_subject_matches_person_user", ["person_id", "user_id"])
    with op.batch_alter_table("people", schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f("fk_people_merged_into_id_people"), type_="foreignkey")
        batch_op.drop_index(batch_op.f("ix_people_merged_into_id"))
        batch_op.drop_column("merged_into_id")
