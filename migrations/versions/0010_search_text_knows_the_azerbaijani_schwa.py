"""search text knows the Azerbaijani schwa

Revision ID: 0010
Revises: 0009
Create Date: 2026-11-26 12:00:00

"""
import unicodedata

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = '0010'
down_revision = '0009'
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
        text = _index(f"{row.full_name} {row.full_name_latin} {row.personal_number}")[:500]
        connection.execute(
            trainees.update().where(trainees.c.id == row.id).values(search_text=text)
        )


def downgrade():
    pass  # the older search text still works, less well: nothing to undo
