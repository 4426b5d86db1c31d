"""`flask issue-certificates --course CODE`."""

import sys

import click
from flask.cli import with_appcontext
from sqlalchemy import select

from extensions import db
from models import Course
from models.account import Role, User
from trainees.certificates.issuing import issue_course
from trainees.progress import course_progress


@click.command("issue-certificates")
@click.option("--course", "code", required=True, help="The course code, e.g. AGH-2021-01.")
@click.option("--by", "email", default=None, help="The administrator issuing (default: the first).")
@with_appcontext
def issue_certificates_command(code: str, email: str | None) -> None:
    """Issue every eligible certificate of a course."""
    course = db.session.scalar(select(Course).where(Course.code == code))
    if course is None:
        raise click.ClickException(f"There is no course {code}.")
    admins = select(User).where(User.role == Role.ADMIN, User.active.is_(True))
    if email:
        admins = admins.where(User.email == email.strip().lower())
    admin = db.session.scalar(admins.order_by(User.id))
    if admin is None:
        raise click.ClickException("No active administrator to issue the certificates.")
    total = len(course_progress(course))
    with click.progressbar(length=total, label="Checking trainees", file=sys.stderr) as bar:
        issued, refused = issue_course(course, admin, on_each=lambda _progress: bar.update(1))
    db.session.commit()
    for certificate in issued:
        click.echo(f"Issued {certificate.number}  {certificate.holder_name_latin}")
    for item in refused:
        reasons = "; ".join(m["message"] for m in item["missing"])
        click.echo(f"Not eligible: enrolment {item['enrolment_id']}: {reasons}")
    click.echo(f"{len(issued)} issued, {len(refused)} not eligible.")
