"""the counsellor a rule answer last introduced, and when (said once per conversation)

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-02 01:30:00
"""

from alembic import op
import sqlalchemy as sa


revision = '0010'
down_revision = '0009'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('conversations') as batch:
        batch.add_column(sa.Column('introduced', sa.String(length=32), nullable=True))
        batch.add_column(sa.Column('introduced_at', sa.DateTime(timezone=True), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('conversations') as batch:
        batch.drop_column('introduced_at')
        batch.drop_column('introduced')
