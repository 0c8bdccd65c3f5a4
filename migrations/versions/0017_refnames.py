"""reference data named per language: categories and offices get a name in fr, es, pt and ar beside the
English `name` (the existing names stay as the English ones), and unit_names holds the unit's name per
language as the administrator gives it

Revision ID: 0017_refnames
Revises: 0016_taskfiles
Create Date: 2026-12-02 02:30:00
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0017_refnames"
down_revision = "0016_taskfiles"
branch_labels = None
depends_on = None

LANGUAGES = ("fr", "es", "pt", "ar")
TABLES = {"categories": 120, "offices": 160}


def upgrade() -> None:
    """Add the per-language name columns (empty: every language falls back to English) and unit_names."""
    for table, length in TABLES.items():
        with op.batch_alter_table(table) as batch:
            for lang in LANGUAGES:
                batch.add_column(sa.Column(f"name_{lang}", sa.String(length), nullable=True))
    op.create_table(
        "unit_names",
        sa.Column("lang", sa.String(5), primary_key=True),
        sa.Column("name", sa.String(200), nullable=False),
    )


def downgrade() -> None:
    """Drop unit_names and the per-language columns; the English names are kept."""
    op.drop_table("unit_names")
    for table in TABLES:
        with op.batch_alter_table(table) as batch:
            for lang in LANGUAGES:
                batch.drop_column(f"name_{lang}")
