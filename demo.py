"""`flask seed-demo`: the demo of the joint course in the Aghdam region.

It spans every package, so it sits above them all. Idempotent: what exists is
left as it is (an administrator's changes survive), what is missing is added.
The demo passwords are public (they are in the README): never seed a
production database.
"""

import click
from flask.cli import with_appcontext
from sqlalchemy import select

from auth.models import Role
from auth.operations import create_user, find_user_by_email
from courses.models import Organisation
from extensions import db

ORGANISATIONS = [
    {
        "code": "AZ-MES",
        "name": "Ministry of Emergency Situations of the Republic of Azerbaijan",
        "country": "AZ",
        "language": "az",
    },
    {
        "code": "RU-EMERCOM",
        "name": "EMERCOM of Russia",
        "country": "RU",
        "language": "ru",
    },
]

ACCOUNTS = [
    {
        "email": "admin@demo.example.org",
        "password": "demo-admin-password",
        "role": Role.ADMIN,
        "full_name": "Leyla Hüseynova",
    },
    {
        "email": "instructor@demo.example.org",
        "password": "demo-instructor-password",
        "role": Role.INSTRUCTOR,
        "full_name": "Rəşad Quliyev",
    },
    {
        "email": "trainee@demo.example.org",
        "password": "demo-trainee-password",
        "role": Role.TRAINEE,
        "full_name": "Əli Məmmədov",
    },
]


def seed_organisations() -> None:
    for values in ORGANISATIONS:
        exists = db.session.scalar(select(Organisation).where(Organisation.code == values["code"]))
        if exists is None:
            db.session.add(Organisation(**values))
    db.session.flush()


def seed_accounts() -> list[tuple[dict, bool]]:
    """The demo accounts, each with whether it was created now."""
    seeded = []
    for values in ACCOUNTS:
        created = find_user_by_email(values["email"]) is None
        if created:
            create_user(**values)
        seeded.append((values, created))
    return seeded


@click.command("seed-demo")
@with_appcontext
def seed_demo_command() -> None:
    """Add the demo organisations, programme, course, trainees and accounts."""
    seed_organisations()
    accounts = seed_accounts()
    db.session.commit()
    click.echo("Demo accounts (sign in at /login):")
    for values, created in accounts:
        note = "" if created else "  (unless changed since)"
        click.echo(f"  {values['role']:<11} {values['email']:<30} {values['password']}{note}")
