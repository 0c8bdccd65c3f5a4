"""source references unique per reporting unit: a walled integration must not learn of another unit's case

Revision ID: 0023_unitrefs
Revises: 0022_keyedrollup
Create Date: 2026-12-02 09:20:00
"""
import sqlalchemy as sa
from alembic import op

revision = "0023_unitrefs"
down_revision = "0022_keyedrollup"
branch_labels = None
depends_on = None


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


def upgrade():
    _alter_cases(lambda batch_op: batch_op.drop_constraint("uq_cases_source_reference", type_="unique"))
    op.create_index("uq_cases_unit_source_reference", "cases", ["unit_id", "source_reference"], unique=True)
    op.create_index("uq_cases_source_reference_no_unit", "cases", ["source_reference"], unique=True,
                    postgresql_where=sa.text("unit_id IS NULL"), sqlite_where=sa.text("unit_id IS NULL"))


def downgrade():
    op.drop_index("uq_cases_source_reference_no_unit", table_name="cases")
    op.drop_index("uq_cases_unit_source_reference", table_name="cases")
    _alter_cases(lambda batch_op: batch_op.create_unique_constraint("uq_cases_source_reference",
                                                                    ["source_reference"]))
