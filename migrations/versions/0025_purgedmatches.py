"""purged cases keep no link to the colleague they named; the dashboard's period scans read one covering index

Retention blanked a destroyed case's people but kept its subject matches (the matched staff reference, the
supervisor's reason in clear) and the people's staff reference: whoever holds the keys could try each staff id
against it. They are deleted or blanked here for cases purged before this revision, as retention now does.

The dashboard counts a period's cases live where the monthly tables cannot answer (the period's edges, months
whose clocks moved on, a protected view's exact days); at national scale each such scan fetched every case row.
ix_cases_received_dashboard holds what those scans read, so they read the index alone.

Revision ID: 0025_purgedmatches
Revises: 0024_opencovering
Create Date: 2026-12-02 16:20:00
"""
import sqlalchemy as sa
from alembic import op

revision = "0025_purgedmatches"
down_revision = "0024_opencovering"
branch_labels = None
depends_on = None

PURGED = "\u2014"  # the title retention gives a destroyed case (frozen here)
PURGED_CASES = "SELECT id FROM cases WHERE state = 'archived' AND title = :purged"
COLUMNS = ["received_at", "office_id", "category_id", "channel", "is_anonymous", "unit_id", "state", "priority",
           "acknowledged_at", "triaged_at", "feedback_given_at", "investigation_started_at", "closed_at",
           "incident_band", "id"]


def upgrade():
    bind = op.get_bind()
    purged = {"purged": PURGED}
    bind.execute(sa.text(f"DELETE FROM subject_matches WHERE case_id IN ({PURGED_CASES})"), purged)
    bind.execute(sa.text("UPDATE people SET user_ref = NULL WHERE id IN (SELECT person_id FROM case_parties "
                         f"WHERE case_id IN ({PURGED_CASES}))"), purged)
    bind.execute(sa.text(f"UPDATE conflict_declarations SET statement = '' WHERE case_id IN ({PURGED_CASES})"),
                 purged)
    op.create_index("ix_cases_received_dashboard", "cases", COLUMNS, unique=False)


def downgrade():
    op.drop_index("ix_cases_received_dashboard", table_name="cases")
