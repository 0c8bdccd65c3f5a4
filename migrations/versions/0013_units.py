"""reporting units: the bodies a report goes to (names per language, accepted reports, clocks, staff);
cases record their unit (nullable: cases without a unit stay as they were)

Revision ID: 0013_units
Revises: 0012_savedviews
Create Date: 2026-12-02 02:00:00
"""
import sqlalchemy as sa
from alembic import op

revision = "0013_units"
down_revision = "0012_savedviews"
branch_labels = None
depends_on = None

LANGUAGES = ("en", "fr", "es", "pt", "ar")


def _alter_cases(change):
    """Run a batch alter of cases; on SQLite the table is rebuilt, so its triggers (full-text sync) are kept."""
    bind = op.get_bind()
    triggers = []
    if bind.dialect.name == "sqlite":
        triggers = [row[0] for row in bind.execute(sa.text(
            "SELECT sql FROM sqlite_master WHERE type = 'trigger' AND tbl_name = 'cases'"))]
    with op.batch_alter_table("cases", schema=None) as batch_op:
        change(batch_op)
    for sql in triggers:
        bind.execute(sa.text(sql))


def _link_table(name):
    op.create_table(
        name,
        sa.Column("unit_id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["unit_id"], ["reporting_units.id"], name=f"fk_{name}_unit_id_reporting_units",
                                ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["user_id"], ["users.id"], name=f"fk_{name}_user_id_users", ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("unit_id", "user_id", name=f"pk_{name}"),
    )
    op.create_index(f"ix_{name}_user_id", name, ["user_id"], unique=False)


def upgrade():
    columns = [sa.Column("id", sa.Integer(), nullable=False),
               sa.Column("key", sa.String(length=40), nullable=False)]
    columns += [sa.Column(f"name_{code}", sa.String(length=160), nullable=False) for code in LANGUAGES]
    columns += [sa.Column(f"description_{code}", sa.Text(), nullable=False) for code in LANGUAGES]
    op.create_table(
        "reporting_units",
        *columns,
        sa.Column("allows_named", sa.Boolean(), nullable=False),
        sa.Column("allows_anonymous", sa.Boolean(), nullable=False),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.Column("questionnaire_key", sa.String(length=80), nullable=True),
        sa.Column("ack_days", sa.Integer(), nullable=True),
        sa.Column("feedback_months", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_reporting_units"),
        sa.UniqueConstraint("key", name="uq_reporting_units_key"),
    )
    _link_table("unit_members")
    _link_table("unit_supervisors")

    def add_unit(batch_op):
        batch_op.add_column(sa.Column("unit_id", sa.Integer(), nullable=True))
        batch_op.create_index("ix_cases_unit_id", ["unit_id"], unique=False)
        batch_op.create_foreign_key("fk_cases_unit_id_reporting_units", "reporting_units", ["unit_id"], ["id"])
    _alter_cases(add_unit)


def downgrade():
    def drop_unit(batch_op):
        batch_op.drop_constraint("fk_cases_unit_id_reporting_units", type_="foreignkey")
        batch_op.drop_index("ix_cases_unit_id")
        batch_op.drop_column("unit_id")
    _alter_cases(drop_unit)
    for name in ("unit_supervisors", "unit_members"):
        op.drop_index(f"ix_{name}_user_id", table_name=name)
        op.drop_table(name)
    op.drop_table("reporting_units")
