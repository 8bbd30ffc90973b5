"""conversations remember the age band for the leisure-job rules and a pending question

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-23 12:00:00
"""

from alembic import op
import sqlalchemy as sa


revision = '0002'
down_revision = '0001'
branch_labels = None
depends_on = None


def upgrade() -> None:
    # batch mode: SQLite cannot add columns with every constraint in place otherwise.
    with op.batch_alter_table('conversations') as batch:
        batch.add_column(sa.Column('age_band', sa.String(length=16), nullable=True))
        batch.add_column(sa.Column('awaiting', sa.String(length=16), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('conversations') as batch:
        batch.drop_column('awaiting')
        batch.drop_column('age_band')
