"""the inbox; one active ticket per person; outbox rows with a thread and sent parts

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-01 12:00:00
"""

from alembic import op
import sqlalchemy as sa


revision = '0006'
down_revision = '0005'
branch_labels = None
depends_on = None

ACTIVE = sa.text("state IN ('open', 'taken')")


def upgrade() -> None:
    op.create_table('inbox',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('update_id', sa.BigInteger(), nullable=False),
    sa.Column('payload', sa.Text(), nullable=True),
    sa.Column('received_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('handled_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('message_id', sa.Integer(), nullable=True),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('update_id'),
    )
    op.create_index('ix_inbox_handled_at', 'inbox', ['handled_at'])
    # Should two active tickets exist from before, the older ones are closed first.
    op.execute(
        "UPDATE tickets SET state = 'closed', outcome = 'duplicate' WHERE state IN ('open', 'taken') AND id NOT IN "
        "(SELECT max(id) FROM tickets WHERE state IN ('open', 'taken') GROUP BY person_id) AND person_id IS NOT NULL"
    )
    op.create_index('ux_tickets_one_active_per_person', 'tickets', ['person_id'], unique=True,
                    sqlite_where=ACTIVE, postgresql_where=ACTIVE)
    with op.batch_alter_table('outbox') as batch:
        batch.add_column(sa.Column('thread_id', sa.Integer(), nullable=True))
        batch.add_column(sa.Column('parts_sent', sa.Integer(), nullable=False, server_default='0'))


def downgrade() -> None:
    with op.batch_alter_table('outbox') as batch:
        batch.drop_column('parts_sent')
        batch.drop_column('thread_id')
    op.drop_index('ux_tickets_one_active_per_person', 'tickets')
    op.drop_index('ix_inbox_handled_at', 'inbox')
    op.drop_table('inbox')
