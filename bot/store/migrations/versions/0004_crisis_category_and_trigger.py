"""crisis tickets remember the kind of danger and the message that raised it

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-01 09:00:00
"""

from alembic import op
import sqlalchemy as sa


revision = '0004'
down_revision = '0003'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('tickets') as batch:
        batch.add_column(sa.Column('crisis_category', sa.String(length=16), nullable=True))
        batch.add_column(sa.Column('trigger_message_id', sa.Integer(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('tickets') as batch:
        batch.drop_column('trigger_message_id')
        batch.drop_column('crisis_category')
