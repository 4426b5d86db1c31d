"""`flask seed-demo`: the demo of the joint course in the Aghdam region.

It spans every package, so it sits above them all. Idempotent: what exists is
left as it is (an administrator's changes survive), what is missing is added.
The demo passwords are public (they are in the README): never seed a
production database.
"""

import click
from flask.cli import with_appcontext
from sqlalchemy import select

from demo.approvals import seed_approvals, seed_approvers, seed_translations
from demo.people import (
    seed_accounts,
    seed_courses,
    seed_organisations,
    seed_programme,
    seed_trainees,
)
from demo.records import seed_attendance, seed_certificates, seed_results
from extensions import db
from models import Course, CourseStatus


@click.command("seed-demo")
@with_appcontext
def seed_demo_command() -> None:
    """Add the demo organisations, programme, course, trainees and accounts."""
    seed_demo(echo=True)


def seed_demo(echo: bool) -> None:
    """The demo, committed; with `echo`, the accounts and their passwords are printed."""
    seed_organisations()
    seed_trainees()
    accounts = seed_accounts() + seed_approvers()
    seed_courses(seed_programme())
    seed_translations()  # before any certificate: each copies the texts it prints
    for code in ("AGH-2021-01", "AGH-CURRENT"):
        course = db.session.scalar(select(Course).where(Course.code == code))
        seed_attendance(course)
        seed_results(course)
        if course.status == CourseStatus.COMPLETED:
            seed_certificates(course)
            seed_approvals(course)
    db.session.commit()
    if not echo:
        return
    click.echo("Demo accounts (sign in at /login):")
    for values, created in accounts:
        note = "" if created else "  (unless changed since)"
        click.echo(f"  {values['role']:<11} {values['email']:<30} {values['password']}{note}")
