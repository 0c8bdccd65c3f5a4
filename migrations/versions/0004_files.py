"""Files kept byte for byte: the sealed original of a cleaned upload, the altered-before-storage flag,
and the active content found in a file.

Revision ID: 0004_files
Revises: 0003_people
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0004_files"
down_revision = "0003_people"
branch_labels = None
depends_on = None


def upgrade() -> None:
    """Add the columns; flag every file stored before this change whose stored copy differs from it."""
    with op.batch_alter_table("attachments") as batch:
        batch.add_column(sa.Column("original_storage_name", sa.String(80), nullable=True))
        batch.add_column(sa.Column("original_lost", sa.Boolean(), nullable=False, server_default=sa.false()))
        batch.add_column(sa.Column("active_content", sa.String(300), nullable=True))
        batch.create_unique_constraint("uq_attachments_original_storage_name", ["original_storage_name"])
    attachments = sa.table("attachments", sa.column("original_lost", sa.Boolean()),
                           sa.column("sha256_original", sa.String()), sa.column("sha256_stored", sa.String()))
    op.execute(attachments.update().where(attachments.c.sha256_original != attachments.c.sha256_stored)
               .values(original_lost=True))


def downgrade() -> None:
    """Drop the columns."""
    with op.batch_alter_table("attachments") as batch:
        batch.drop_constraint("uq_attachments_original_storage_name", type_="unique")
        batch.drop_column("active_content")
        batch.drop_column("original_lost")
        batch.drop_column("original_storage_name")
