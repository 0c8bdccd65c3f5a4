"""the open-cases dashboard index also covers the unit and the id, so protected views read only the index

Revision ID: 0024_opencovering
Revises: 0023_unitrefs
Create Date: 2026-12-02 16:00:00
"""
import sqlalchemy as sa
from alembic import op

revision = "0024_opencovering"
down_revision = "0023_unitrefs"
branch_labels = None
depends_on = None

OPEN = "state IN ('received', 'triage', 'investigation', 'on_hold', 'reporting')"
COLUMNS = ["state", "received_at", "lead_investigator_id", "office_id", "category_id", "channel", "priority",
           "acknowledged_at", "triaged_at", "feedback_given_at", "investigation_started_at"]


def _index(columns):
    op.drop_index("ix_cases_open_dashboard", table_name="cases", postgresql_where=sa.text(OPEN),
                  sqlite_where=sa.text(OPEN))
    op.create_index("ix_cases_open_dashboard", "cases", columns, unique=False, postgresql_where=sa.text(OPEN),
                    sqlite_where=sa.text(OPEN))


def upgrade():
    _index([*COLUMNS, "unit_id", "id"])


def downgrade():
    _index(COLUMNS)
