"""certificate approvals, texts in three languages, signatories, holder identity

Revision ID: 0013
Revises: 0012
Create Date: 2026-12-02 07:30:00

Every certificate that exists stays valid and verifiable: the new certificate columns
are NULL (or []) on them, and the signature covers those columns only when they are
set, so the signatures they were given still check. `status` widens to hold
`pending_approval`; no stored status changes.
"""
import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = '0013'
down_revision = '0012'
branch_labels = None
depends_on = None

OLD_WHERE = "status = 'valid'"
NEW_WHERE = "status IN ('valid', 'pending_approval')"


def _i18n(name):
    return sa.Column(name, sa.JSON(), server_default='{}', nullable=False)


def _foreign_keys(on):
    # SQLite rebuilds a table to change it: the old one is dropped while other tables
    # point at it, which its foreign-key check refuses. Off during the rebuild (the
    # references are the same before and after), on again at the end.
    if op.get_bind().dialect.name == 'sqlite':
        op.execute(f"PRAGMA foreign_keys = {'ON' if on else 'OFF'}")


def upgrade():
    _foreign_keys(False)
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.add_column(sa.Column('position', sa.String(length=200), server_default='', nullable=False))
        batch_op.add_column(sa.Column('rank', sa.String(length=80), server_default='', nullable=False))
        batch_op.add_column(sa.Column('approver', sa.Boolean(), server_default=sa.false(), nullable=False))

    with op.batch_alter_table('organisations', schema=None) as batch_op:
        batch_op.add_column(_i18n('name_i18n'))
        batch_op.add_column(sa.Column('emblem', sa.LargeBinary(), nullable=True))
        batch_op.add_column(sa.Column('emblem_type', sa.String(length=20), nullable=True))

    with op.batch_alter_table('programmes', schema=None) as batch_op:
        batch_op.add_column(_i18n('title_i18n'))
        batch_op.add_column(_i18n('qualification_i18n'))
        batch_op.add_column(sa.Column('certificate_approvals', sa.String(length=20), server_default='none', nullable=False))
        batch_op.add_column(sa.Column('eod_level', sa.String(length=2), nullable=True))
        batch_op.add_column(sa.Column('eod_modules', sa.JSON(), server_default='[]', nullable=False))
        batch_op.create_check_constraint(
            'certificate_approvals', "certificate_approvals IN ('none', 'each_organisation')"
        )
        batch_op.create_check_constraint('eod_level', "eod_level IS NULL OR eod_level IN ('1', '2', '3', '3+')")

    with op.batch_alter_table('modules', schema=None) as batch_op:
        batch_op.add_column(_i18n('title_i18n'))

    with op.batch_alter_table('courses', schema=None) as batch_op:
        batch_op.add_column(_i18n('title_i18n'))
        batch_op.add_column(_i18n('location_i18n'))

    with op.batch_alter_table('certificates', schema=None) as batch_op:
        batch_op.alter_column('status', existing_type=sa.String(length=12), type_=sa.String(length=20), existing_nullable=False)
        batch_op.add_column(sa.Column('holder_rank', sa.String(length=80), nullable=True))
        batch_op.add_column(sa.Column('holder_personal_number', sa.String(length=30), nullable=True))
        batch_op.add_column(sa.Column('holder_birth_date', sa.Date(), nullable=True))
        batch_op.add_column(sa.Column('holder_organisation', sa.String(length=200), nullable=True))
        batch_op.add_column(sa.Column('texts', sa.JSON(), nullable=True))
        batch_op.add_column(sa.Column('eod_level', sa.String(length=2), nullable=True))
        batch_op.add_column(sa.Column('approvals_required', sa.JSON(), server_default='[]', nullable=False))
        # A pending certificate holds the enrolment's one place as a valid one does.
        batch_op.drop_index('uq_certificates_one_valid_per_enrolment', sqlite_where=sa.text(OLD_WHERE), postgresql_where=sa.text(OLD_WHERE))
        batch_op.create_index('uq_certificates_one_valid_per_enrolment', ['enrolment_id'], unique=True, sqlite_where=sa.text(NEW_WHERE), postgresql_where=sa.text(NEW_WHERE))

    op.create_table('certificate_approvals',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('certificate_id', sa.Integer(), nullable=False),
    sa.Column('organisation_id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('organisation_name', sa.String(length=200), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('position', sa.String(length=200), nullable=False),
    sa.Column('rank', sa.String(length=80), nullable=False),
    sa.Column('approved_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['certificate_id'], ['certificates.id'], name=op.f('fk_certificate_approvals_certificate_id_certificates')),
    sa.ForeignKeyConstraint(['organisation_id'], ['organisations.id'], name=op.f('fk_certificate_approvals_organisation_id_organisations')),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_certificate_approvals_user_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_certificate_approvals')),
    sa.UniqueConstraint('certificate_id', 'organisation_id', name=op.f('uq_certificate_approvals_certificate_id_organisation_id'))
    )
    with op.batch_alter_table('certificate_approvals', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_certificate_approvals_certificate_id'), ['certificate_id'], unique=False)
    _foreign_keys(True)


def downgrade():
    _foreign_keys(False)
    with op.batch_alter_table('certificate_approvals', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_certificate_approvals_certificate_id'))
    op.drop_table('certificate_approvals')

    with op.batch_alter_table('certificates', schema=None) as batch_op:
        batch_op.drop_index('uq_certificates_one_valid_per_enrolment', sqlite_where=sa.text(NEW_WHERE), postgresql_where=sa.text(NEW_WHERE))
        batch_op.create_index('uq_certificates_one_valid_per_enrolment', ['enrolment_id'], unique=True, sqlite_where=sa.text(OLD_WHERE), postgresql_where=sa.text(OLD_WHERE))
        for name in ('approvals_required', 'eod_level', 'texts', 'holder_organisation',
                     'holder_birth_date', 'holder_personal_number', 'holder_rank'):
            batch_op.drop_column(name)
        batch_op.alter_column('status', existing_type=sa.String(length=20), type_=sa.String(length=12), existing_nullable=False)

    with op.batch_alter_table('courses', schema=None) as batch_op:
        batch_op.drop_column('location_i18n')
        batch_op.drop_column('title_i18n')

    with op.batch_alter_table('modules', schema=None) as batch_op:
        batch_op.drop_column('title_i18n')

    with op.batch_alter_table('programmes', schema=None) as batch_op:
        batch_op.drop_constraint('eod_level', type_='check')
        batch_op.drop_constraint('certificate_approvals', type_='check')
        for name in ('eod_modules', 'eod_level', 'certificate_approvals', 'qualification_i18n', 'title_i18n'):
            batch_op.drop_column(name)

    with op.batch_alter_table('organisations', schema=None) as batch_op:
        for name in ('emblem_type', 'emblem', 'name_i18n'):
            batch_op.drop_column(name)

    with op.batch_alter_table('users', schema=None) as batch_op:
        for name in ('approver', 'rank', 'position'):
            batch_op.drop_column(name)
    _foreign_keys(True)
