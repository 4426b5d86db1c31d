"""accounts searched like trainees (folded search text); courses by their last day

Revision ID: 0016
Revises: 0015
Create Date: 2026-12-03 09:00:00

"""
import unicodedata

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = '0016'
down_revision = '0015'
branch_labels = None
depends_on = None


def _fold(text):
    folded = unicodedata.normalize("NFKD", (text or "").casefold())
    return "".join(char for char in folded if not unicodedata.combining(char)).replace("ı", "i")


def _index(text):
    # Frozen copy of trainees.names.search_index as it was when this migration was written.
    folded = _fold(text)
    if "ə" not in folded:
        return folded
    return f"{folded.replace('ə', 'e')} {folded.replace('ə', 'a')}"


def upgrade():
    with op.batch_alter_table('users') as batch:
        batch.add_column(
            sa.Column('search_text', sa.String(length=600), nullable=False, server_default='')
        )
    users = sa.table(
        "users",
        sa.column("id", sa.Integer),
        sa.column("full_name", sa.String),
        sa.column("email", sa.String),
        sa.column("search_text", sa.String),
    )
    connection = op.get_bind()
    for row in connection.execute(sa.select(users.c.id, users.c.full_name, users.c.email)):
        text = _index(f"{row.full_name} {row.email}")[:600]
        connection.execute(users.update().where(users.c.id == row.id).values(search_text=text))
    # The home pages ask for the courses that ended within the year.
    op.create_index('ix_courses_end_date', 'courses', ['end_date'])


def downgrade():
    op.drop_index('ix_courses_end_date', table_name='courses')
    with op.batch_alter_table('users') as batch:
        batch.drop_column('search_text')
