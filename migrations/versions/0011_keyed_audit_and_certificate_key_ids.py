"""keyed audit chain, audit checkpoints, certificate key ids, sign-in counters

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-02 07:30:00

Carrying the trail over: the entries written before this migration were chained
with plain SHA-256. The migration checks that chain entry by entry and reseals
each entry with HMAC-SHA256 under AUDIT_KEY, keeping every entry's content as it
was; from the first entry that fails its plain hash on, nothing is resealed, so
`audit-verify` still names that entry. Existing certificates get the id of the
current CERTIFICATE_KEY, the key that signed them, and keep verifying.
"""
import hashlib
import hmac
import json
from datetime import UTC, date, datetime

import sqlalchemy as sa
from alembic import op
from flask import current_app

# revision identifiers, used by Alembic.
revision = '0011'
down_revision = '0010'
branch_labels = None
depends_on = None

GENESIS = "0" * 64
# Frozen copies of core.audit.CONTENT / _plain and core.keys.key_id as written here.
CONTENT = ("at", "user_id", "address", "action", "entity", "entity_id", "course_id",
           "trainee_id", "before", "after", "prev_hash")

entries = sa.table(
    "audit_entries",
    sa.column("id", sa.Integer), sa.column("at", sa.DateTime), sa.column("user_id", sa.Integer),
    sa.column("address", sa.String), sa.column("action", sa.String),
    sa.column("entity", sa.String), sa.column("entity_id", sa.Integer),
    sa.column("course_id", sa.Integer), sa.column("trainee_id", sa.Integer),
    sa.column("before", sa.JSON), sa.column("after", sa.JSON),
    sa.column("prev_hash", sa.String), sa.column("hash", sa.String),
)
head = sa.table("audit_head", sa.column("id", sa.Integer), sa.column("last_hash", sa.String))


def _plain(value):
    if isinstance(value, datetime):
        return (value if value.tzinfo else value.replace(tzinfo=UTC)).isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, bytes):
        return value.hex()
    return value


def _canonical(values):
    return json.dumps({name: _plain(values.get(name)) for name in CONTENT}, sort_keys=True,
                      ensure_ascii=False, separators=(",", ":"), default=str).encode()


def _sha(values):
    return hashlib.sha256(_canonical(values)).hexdigest()


def _hmac(key):
    return lambda values: hmac.new(key.encode(), _canonical(values), hashlib.sha256).hexdigest()


def key_id(key):
    return hashlib.sha256(b"key-id:" + key.encode()).hexdigest()[:16]


def _rechain(old_hash, new_hash):
    """Check each entry with `old_hash`, reseal it with `new_hash`; stop at a broken one."""
    connection = op.get_bind()
    rows = connection.execute(sa.select(entries).order_by(entries.c.id)).mappings().all()
    old_previous, new_previous = GENESIS, GENESIS
    for row in rows:
        values = dict(row)
        if row["prev_hash"] != old_previous or old_hash(values) != row["hash"]:
            return  # tampered before: left as found, for audit-verify to name
        old_previous = row["hash"]
        values["prev_hash"] = new_previous
        new_previous = new_hash(values)
        connection.execute(
            entries.update().where(entries.c.id == row["id"])
            .values(prev_hash=values["prev_hash"], hash=new_previous)
        )
    current = connection.execute(sa.select(head.c.last_hash).where(head.c.id == 1)).scalar()
    if current == old_previous:
        connection.execute(head.update().where(head.c.id == 1).values(last_hash=new_previous))


def upgrade():
    # Sign-in failures are counted per client, account or address (auth/throttling.py);
    # the old per-e-mail counts are dropped: at worst a lock ends early.
    op.drop_table('sign_in_throttles')
    op.create_table('sign_in_counters',
    sa.Column('key', sa.String(length=80), nullable=False),
    sa.Column('failure_times', sa.JSON(), nullable=False),
    sa.Column('addresses', sa.JSON(), nullable=False),
    sa.Column('locks', sa.Integer(), nullable=False),
    sa.Column('locked_until', sa.DateTime(), nullable=True),
    sa.Column('minute', sa.String(length=16), nullable=True),
    sa.Column('minute_count', sa.Integer(), nullable=False),
    sa.PrimaryKeyConstraint('key', name=op.f('pk_sign_in_counters'))
    )
    op.create_table('audit_checkpoints',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('at', sa.DateTime(), nullable=False),
    sa.Column('entries', sa.Integer(), nullable=False),
    sa.Column('last_entry_id', sa.Integer(), nullable=False),
    sa.Column('head', sa.String(length=64), nullable=False),
    sa.Column('key_id', sa.String(length=16), nullable=False),
    sa.Column('signature', sa.String(length=64), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_audit_checkpoints'))
    )
    # Not a batch (table copy) on SQLite: that would lose the partial unique index of
    # valid certificates. The default fills the existing rows; the app always sets it.
    op.add_column('certificates', sa.Column('key_id', sa.String(length=16), nullable=False,
                  server_default=key_id(current_app.config["CERTIFICATE_KEY"])))
    if op.get_bind().dialect.name == "postgresql":
        op.alter_column('certificates', 'key_id', server_default=None)
    _rechain(_sha, _hmac(current_app.config["AUDIT_KEY"]))


def downgrade():
    _rechain(_hmac(current_app.config["AUDIT_KEY"]), _sha)
    op.drop_column('certificates', 'key_id')
    op.drop_table('audit_checkpoints')
    op.drop_table('sign_in_counters')
    op.create_table('sign_in_throttles',
    sa.Column('email', sa.String(length=254), nullable=False),
    sa.Column('failure_times', sa.JSON(), nullable=False),
    sa.Column('locked_until', sa.DateTime(), nullable=True),
    sa.PrimaryKeyConstraint('email', name=op.f('pk_sign_in_throttles'))
    )
