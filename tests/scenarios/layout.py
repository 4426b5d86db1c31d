"""Shared by the layout and screen tests: the demo's values for URL parameters, signing in."""

from sqlalchemy import select

from auth.password_resets import create_reset_link
from core import clock
from courses.plans import course_training_days
from demo.data import DEMO_TRAINEE
from extensions import db
from models import (
    Certificate,
    CertificateStatus,
    Course,
    Enrolment,
    ModuleResult,
    Organisation,
    Programme,
    Role,
    Trainee,
    User,
)


def demo_values(app) -> dict:
    """A real value of the demo for every URL parameter of the pages."""
    with app.app_context():
        current = db.session.scalar(select(Course).where(Course.code == "AGH-CURRENT"))
        finished = db.session.scalar(select(Course).where(Course.code == "AGH-2021-01"))
        trainee = db.session.scalar(
            select(Trainee).where(Trainee.personal_number == DEMO_TRAINEE[1])
        )
        enrolment = db.session.scalar(
            select(Enrolment).where(
                Enrolment.course_id == current.id, Enrolment.trainee_id == trainee.id
            )
        )
        certificate = db.session.scalar(
            select(Certificate)
            .where(Certificate.status == CertificateStatus.VALID)
            .order_by(Certificate.id)
            .limit(1)
        )
        instructor = db.session.scalar(select(User).where(User.role == Role.INSTRUCTOR))
        taught = [day for day in course_training_days(current) if day <= clock.today()]
        # A one-time password link for an account nobody signs in with here.
        nobody = db.session.scalar(
            select(User).where(User.role == Role.TRAINEE).order_by(User.id.desc())
        )
        token, _expires = create_reset_link(nobody, nobody)
        db.session.commit()
        return {
            "token": token,
            "result_id": db.session.scalar(
                select(ModuleResult.id)
                .join(Enrolment)
                .where(Enrolment.course_id == current.id)
                .order_by(ModuleResult.id.desc())
                .limit(1)
            ),
            "course_id": current.id,
            "finished_course_id": finished.id,
            "day": taught[-1],
            "enrolment_id": enrolment.id,
            # Scored and not yet taken: every trainee of the course is offered an attempt.
            "module_code": next(
                module.code
                for module in current.programme.modules
                if module.pass_mark is not None
                and not db.session.scalar(
                    select(ModuleResult.id)
                    .join(Enrolment)
                    .where(Enrolment.course_id == current.id, ModuleResult.module_id == module.id)
                    .limit(1)
                )
            ),
            "trainee_id": trainee.id,
            "user_id": instructor.id,
            "organisation_id": db.session.scalar(select(Organisation.id).limit(1)),
            "programme_id": db.session.scalar(select(Programme.id).limit(1)),
            "number": certificate.number,
            "code": certificate.verification_code,
        }


def sign_in_by_field_names(page, account: dict) -> None:
    """Sign in through the form whatever the language of its labels."""
    page.goto("/login")
    page.fill("input[name=email]", account["email"])
    page.fill("input[name=password]", account["password"])
    page.locator("main form button[type=submit]").click()
    page.wait_for_url(lambda url: "/login" not in url)
