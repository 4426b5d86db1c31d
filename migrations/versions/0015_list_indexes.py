"""indexes for lists that grow with the years: the refresher list, courses newest first

Revision ID: 0015
Revises: 0014
Create Date: 2026-12-02 12:20:00

"""
from alembic import op


# revision identifiers, used by Alembic.
revision = '0015'
down_revision = '0014'
branch_labels = None
depends_on = None


def upgrade():
    op.create_index('ix_certificates_status_expires_on', 'certificates', ['status', 'expires_on'])
    op.create_index('ix_courses_start_date', 'courses', ['start_date'])


def downgrade():
    op.drop_index('ix_courses_start_date', table_name='courses')
    op.drop_index('ix_certificates_status_expires_on', table_name='certificates')
