"""organisation names unique: an approver is matched to an issuing organisation by its name

Revision ID: 0017
Revises: 0016
Create Date: 2026-12-03 11:20:00

"""
import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = '0017'
down_revision = '0016'
branch_labels = None
depends_on = None


def upgrade():
    # A certificate names the organisations that must approve it; two of the same name
    # would let an approver of one approve (and read) for the other. Told, not guessed.
    twice = op.get_bind().execute(
        sa.text("SELECT name FROM organisations GROUP BY name HAVING count(*) > 1")
    ).scalars().all()
    if twice:
        raise RuntimeError(
            "Organisations share a name: " + ", ".join(sorted(twice))
            + ". Rename all but one of each (their codes tell them apart), then upgrade again."
        )
    # A unique index, not a constraint: SQLite would rebuild the table for a constraint,
    # and the rebuild fails on the rows that refer to it (foreign keys are on).
    op.create_index('uq_organisations_name', 'organisations', ['name'], unique=True)


def downgrade():
    op.drop_index('uq_organisations_name', table_name='organisations')
