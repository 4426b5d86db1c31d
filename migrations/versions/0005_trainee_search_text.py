"""trainee search text

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-26 10:54:48.324540

"""
import unicodedata

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = '0005'
down_revision = '0004'
branch_labels = None
depends_on = None


def _searchable(text):
    # Frozen copy of trainees.names.searchable as it was when this column was added.
    folded = unicodedata.normalize("NFKD", (text or "").casefold())
    return "".join(char for char in folded if not unicodedata.combining(char))


def upgrade():
    with op.batch_alter_table('trainees', schema=None) as batch_op:
        batch_op.add_column(
            sa.Column('search_text', sa.String(length=500), nullable=False, server_default="")
        )
    trainees = sa.table(
        "trainees",
        sa.column("id", sa.Integer),
        sa.column("full_name", sa.String),
        sa.column("full_name_latin", sa.String),
        sa.column("personal_number", sa.String),
        sa.column("search_text", sa.String),
    )
    connection = op.get_bind()
    rows = connection.execute(
        sa.select(trainees.c.id, trainees.c.full_name, trainees.c.full_name_latin,
                  trainees.c.personal_number)
    ).all()
    for row in rows:
        text = _searchable(f"{row.full_name} {row.full_name_latin} {row.personal_number}")[:500]
        connection.execute(
            trainees.update().where(trainees.c.id == row.id).values(search_text=text)
        )


def downgrade():
    with op.batch_alter_table('trainees', schema=None) as batch_op:
        batch_op.drop_column('search_text')
