"""Shared by several test modules; first written for tests/test_certificate_approvals_api.py."""

from sqlalchemy import select

from extensions import db
from models import Organisation, Programme
from models.account import Role


def approvals_needed(app) -> None:
    with app.app_context():
        for programme in db.session.scalars(select(Programme)):
            programme.certificate_approvals = "each_organisation"
        db.session.commit()


def organisation_id(app, code: str) -> int:
    with app.app_context():
        return db.session.scalar(select(Organisation.id).where(Organisation.code == code))


def approver(app, accounts, code: str, name: str, role=Role.INSTRUCTOR) -> dict:
    account = accounts.make(
        role,
        full_name=name,
        organisation_id=organisation_id(app, code),
        position=f"Head of demining, {code}",
        rank="colonel",
        approver=True,
    )
    return {"Authorization": f"Bearer {accounts.token(account)}"}


def approve(client, headers, number):
    return client.post(f"/api/v1/certificates/{number}/approve", headers=headers)
