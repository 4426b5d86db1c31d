"""attendance operations: idempotent sheet saves from phones and API clients

Revision ID: 0014
Revises: 0013
Create Date: 2026-12-02 07:20:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0014'
down_revision = '0013'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('attendance_operations',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('key', sa.String(length=64), nullable=False),
    sa.Column('source', sa.String(length=10), nullable=False),
    sa.Column('course_id', sa.Integer(), nullable=False),
    sa.Column('day', sa.Date(), nullable=False),
    sa.Column('device_time', sa.DateTime(), nullable=True),
    sa.Column('received_at', sa.DateTime(), nullable=False),
    sa.Column('answer', sa.JSON(), nullable=True),
    sa.ForeignKeyConstraint(['course_id'], ['courses.id'], name=op.f('fk_attendance_operations_course_id_courses')),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_attendance_operations_user_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_attendance_operations')),
    sa.UniqueConstraint('user_id', 'key', name=op.f('uq_attendance_operations_user_id_key'))
    )
    with op.batch_alter_table('attendance_operations', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_attendance_operations_course_id'), ['course_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_attendance_operations_user_id'), ['user_id'], unique=False)


def downgrade():
    with op.batch_alter_table('attendance_operations', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_attendance_operations_user_id'))
        batch_op.drop_index(batch_op.f('ix_attendance_operations_course_id'))

    op.drop_table('attendance_operations')
