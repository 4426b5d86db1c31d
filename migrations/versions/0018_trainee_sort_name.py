"""trainees listed in the order of their Latin names as readers expect (Əliyev after Eyvazov)

Revision ID: 0018
Revises: 0017
Create Date: 2026-12-03 19:00:00

"""
import unicodedata

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = '0018'
down_revision = '0017'
branch_labels = None
depends_on = None

OWN_LETTERS = {"ə": "e1", "ı": "i0", "ø": "o1", "æ": "a2", "đ": "d1", "ł": "l1"}


def _sort_key(name):
    # Frozen copy of core.name_order.sort_key as it was when this migration was written.
    parts = []
    for char in unicodedata.normalize("NFC", (name or "").casefold()):
        if char in OWN_LETTERS:
            parts.append(OWN_LETTERS[char])
        elif "a" <= char <= "z":
            parts.append(char + ("1" if char == "i" else "0"))
        elif "0" <= char <= "9":
            parts.append(char + "1")
        elif char.isspace():
            parts.append("00")
        elif char.isalpha():
            base = unicodedata.normalize("NFKD", char)[0]
            if "a" <= base <= "z" and base != char:
                parts.append(base + ("2" if base == "i" else "1"))
            else:
                parts.append(f"z9{ord(char):06x}")
    return "".join(parts)[:400]


def upgrade():
    with op.batch_alter_table('trainees') as batch:
        batch.add_column(
            sa.Column('sort_name', sa.String(length=400), nullable=False, server_default='')
        )
    trainees = sa.table(
        "trainees",
        sa.column("id", sa.Integer),
        sa.column("full_name_latin", sa.String),
        sa.column("sort_name", sa.String),
    )
    connection = op.get_bind()
    for row in connection.execute(sa.select(trainees.c.id, trainees.c.full_name_latin)).all():
        connection.execute(
            trainees.update()
            .where(trainees.c.id == row.id)
            .values(sort_name=_sort_key(row.full_name_latin))
        )
    op.create_index('ix_trainees_sort_name', 'trainees', ['sort_name'])


def downgrade():
    op.drop_index('ix_trainees_sort_name', table_name='trainees')
    with op.batch_alter_table('trainees') as batch:
        batch.drop_column('sort_name')
