"""The dashboard's monthly tables keep each count's sum of record keys, and findings by anonymity

A manager's protected figures (cell-key perturbation) were counted live over the case tables on every view,
five years of cases for the director's trends; with the sums of record keys stored per month they are read
from these tables like a supervisor's. Every stored month is marked stale here: `flask caseflow sweep` or
`dashboard-refresh` recomputes them (until then a page counts them live, as it does any stale month).

Revision ID: 0022_keyedrollup
Revises: 0021_personindex
Create Date: 2026-12-02 09:20:00
"""
import sqlalchemy as sa
from alembic import op

revision = "0022_keyedrollup"
down_revision = "0021_personindex"
branch_labels = None
depends_on = None

CELL_KEYS = ("key_received", "key_ack_met", "key_ack_late", "key_triage_met", "key_triage_late",
             "key_feedback_met", "key_feedback_late", "key_followed_up")


def upgrade():
    with op.batch_alter_table("dashboard_cells") as batch_op:
        for name in CELL_KEYS:
            batch_op.add_column(sa.Column(name, sa.BigInteger(), nullable=False, server_default="0"))
    with op.batch_alter_table("dashboard_findings") as batch_op:
        batch_op.add_column(sa.Column("is_anonymous", sa.Boolean(), nullable=False, server_default=sa.false()))
        batch_op.add_column(sa.Column("key_sum", sa.BigInteger(), nullable=False, server_default="0"))
    op.execute("INSERT INTO dashboard_stale (month, part) SELECT month, part FROM dashboard_months")


def downgrade():
    with op.batch_alter_table("dashboard_findings") as batch_op:
        batch_op.drop_column("key_sum")
        batch_op.drop_column("is_anonymous")
    with op.batch_alter_table("dashboard_cells") as batch_op:
        for name in reversed(CELL_KEYS):
            batch_op.drop_column(name)
