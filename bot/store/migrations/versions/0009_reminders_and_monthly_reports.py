"""reminders a person asked for (a desk's next opening, the application deadline), and
the monthly reports queued for the staff group

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-01 23:00:00
"""

from alembic import op
import sqlalchemy as sa


revision = '0009'
down_revision = '0008'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        'reminders',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('person_id', sa.Integer(), nullable=False),
        sa.Column('kind', sa.String(length=16), nullable=False),
        sa.Column('desk', sa.String(length=32), nullable=True),
        sa.Column('event_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('due_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('for_child', sa.Boolean(), nullable=False),
        sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(['person_id'], ['people.id'], ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('id'),
    )
    op.create_index('ix_reminders_person_id', 'reminders', ['person_id'])
    op.create_index('ix_reminders_due_at', 'reminders', ['due_at'])
    op.create_table(
        'monthly_reports',
        sa.Column('month', sa.String(length=7), nullable=False),
        sa.Column('queued_at', sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint('month'),
    )


def downgrade() -> None:
    op.drop_table('monthly_reports')
    op.drop_index('ix_reminders_due_at', table_name='reminders')
    op.drop_index('ix_reminders_person_id', table_name='reminders')
    op.drop_table('reminders')
