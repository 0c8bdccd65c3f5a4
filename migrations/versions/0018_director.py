"""offices.headcount (rates per 100 staff), cases.incident_band (time from incident to report, coarse) and
users.language (the language of a user's last sign-in, for the monthly management report)

Revision ID: 0018_director
Revises: 0017_refnames
Create Date: 2026-12-02 02:00:00
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0018_director"
down_revision = "0017_refnames"
branch_labels = None
depends_on = None


def upgrade() -> None:
    """Add the two columns (empty: unknown headcount, undated incident; ADD COLUMN rebuilds no table)."""
    op.add_column("offices", sa.Column("headcount", sa.Integer(), nullable=True))
    op.add_column("cases", sa.Column("incident_band", sa.SmallInteger(), nullable=True))
    op.add_column("users", sa.Column("language", sa.String(length=10), nullable=True))


def downgrade() -> None:
    """Drop them; on SQLite the cases table is rebuilt, so its triggers (full-text sync) are put back."""
    with op.batch_alter_table("users") as batch:
        batch.drop_column("language")
    bind = op.get_bind()
    triggers = []
    if bind.dialect.name == "sqlite":
        triggers = [row[0] for row in bind.execute(sa.text(
            "SELECT sql FROM sqlite_master WHERE type = 'trigger' AND tbl_name = 'cases'"))]
    with op.batch_alter_table("cases") as batch:
        batch.drop_column("incident_band")
    for sql in triggers:
        bind.execute(sa.text(sql))
    with op.batch_alter_table("offices") as batch:
        batch.drop_column("headcount")
