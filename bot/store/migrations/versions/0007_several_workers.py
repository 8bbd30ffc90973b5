"""several workers: outbox leases; the inbox knows each update's chat

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-01 13:00:00
"""

from alembic import op
import sqlalchemy as sa


revision = '0007'
down_revision = '0006'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('outbox') as batch:
        batch.add_column(sa.Column('lease_owner', sa.String(length=32), nullable=True))
        batch.add_column(sa.Column('lease_until', sa.DateTime(timezone=True), nullable=True))
    with op.batch_alter_table('inbox') as batch:
        batch.add_column(sa.Column('chat_key', sa.String(length=64), nullable=True))
    op.create_index('ix_inbox_chat_key', 'inbox', ['chat_key'])


def downgrade() -> None:
    op.drop_index('ix_inbox_chat_key', 'inbox')
    with op.batch_alter_table('inbox') as batch:
        batch.drop_column('chat_key')
    with op.batch_alter_table('outbox') as batch:
        batch.drop_column('lease_until')
        batch.drop_column('lease_owner')
