"""API tokens walled to reporting units: an integration sees and files cases only in its units

Revision ID: 0019_tokenunits
Revises: 0018_director
Create Date: 2026-12-02 05:00:00
"""
import sqlalchemy as sa
from alembic import op

revision = "0019_tokenunits"
down_revision = "0018_director"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "api_token_units",
        sa.Column("token_id", sa.Integer(), nullable=False),
        sa.Column("unit_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["token_id"], ["api_tokens.id"], name="fk_api_token_units_token_id_api_tokens",
                                ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["unit_id"], ["reporting_units.id"],
                                name="fk_api_token_units_unit_id_reporting_units", ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("token_id", "unit_id", name="pk_api_token_units"),
    )
    op.create_index("ix_api_token_units_unit_id", "api_token_units", ["unit_id"], unique=False)


def downgrade():
    op.drop_index("ix_api_token_units_unit_id", table_name="api_token_units")
    op.drop_table("api_token_units")
