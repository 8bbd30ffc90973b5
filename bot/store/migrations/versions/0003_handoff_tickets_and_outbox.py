"""handoff: tickets, the outbox, the age group, who wrote a message

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-23 15:00:00
"""

from alembic import op
import sqlalchemy as sa


revision = '0003'
down_revision = '0002'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('people') as batch:
        batch.add_column(sa.Column('age_group', sa.String(length=16), nullable=True))
    with op.batch_alter_table('conversations') as batch:
        batch.add_column(sa.Column('handoff_reason', sa.String(length=16), nullable=True))
    with op.batch_alter_table('messages') as batch:
        batch.add_column(sa.Column('author', sa.String(length=32), nullable=True))
    op.create_table('tickets',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('person_id', sa.Integer(), nullable=True),
    sa.Column('reason', sa.String(length=16), nullable=False),
    sa.Column('urgent', sa.Boolean(), nullable=False),
    sa.Column('topic', sa.String(length=32), nullable=True),
    sa.Column('language', sa.String(length=8), nullable=False),
    sa.Column('consent', sa.Boolean(), nullable=False),
    sa.Column('consent_wording', sa.String(length=16), nullable=True),
    sa.Column('consent_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('counsellor', sa.String(length=32), nullable=False),
    sa.Column('state', sa.String(length=8), nullable=False),
    sa.Column('thread_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('announced_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('taken_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('closed_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('outcome', sa.String(length=200), nullable=True),
    sa.ForeignKeyConstraint(['person_id'], ['people.id'], ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id')
    )
    op.create_index('ix_tickets_person_id', 'tickets', ['person_id'])
    op.create_table('outbox',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('target', sa.String(length=8), nullable=False),
    sa.Column('channel', sa.String(length=16), nullable=True),
    sa.Column('chat_id', sa.String(length=64), nullable=True),
    sa.Column('ticket_id', sa.Integer(), nullable=True),
    sa.Column('kind', sa.String(length=16), nullable=False),
    sa.Column('text', sa.Text(), nullable=False),
    sa.Column('buttons', sa.Text(), nullable=True),
    sa.Column('notify', sa.Boolean(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('not_before', sa.DateTime(timezone=True), nullable=True),
    sa.Column('attempts', sa.Integer(), nullable=False),
    sa.Column('failed', sa.String(length=32), nullable=True),
    sa.ForeignKeyConstraint(['ticket_id'], ['tickets.id'], ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id')
    )
    op.create_index('ix_outbox_ticket_id', 'outbox', ['ticket_id'])


def downgrade() -> None:
    op.drop_index('ix_outbox_ticket_id', 'outbox')
    op.drop_table('outbox')
    op.drop_index('ix_tickets_person_id', 'tickets')
    op.drop_table('tickets')
    with op.batch_alter_table('messages') as batch:
        batch.drop_column('author')
    with op.batch_alter_table('conversations') as batch:
        batch.drop_column('handoff_reason')
    with op.batch_alter_table('people') as batch:
        batch.drop_column('age_group')
