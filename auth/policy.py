"""Who may do what to which record: the one access policy.

The decorator on a route (`auth/permissions.py`) says which roles may call it at all
and refuses everyone else (deny by default). Whether *this* account may act on *this*
record is asked here, and only here: by views and API handlers after loading the record
(load 404, check 403, act), by services that refuse with the reason, and by templates
(the `policy` Jinja global) so that a page shows a link or button exactly when the
route behind it would allow it. No other module and no template compares role strings.

Every `may_*` function answers a `Decision`: true when allowed; when refused, false
with the reason in words.
"""

from dataclasses import dataclass
from datetime import date, timedelta

from flask import abort, current_app
from flask_babel import lazy_gettext as _l
from sqlalchemy import Select, exists, select

from core import clock
from extensions import db
from models import Certificate, Course, Enrolment, ModuleResult, course_instructors
from models.account import Role, User


@dataclass(frozen=True)
class Decision:
    allowed: bool
    reason: str | None = None

    def __bool__(self) -> bool:
        return self.allowed


ALLOWED = Decision(True)


def _decide(allowed: bool, reason) -> Decision:
    return ALLOWED if allowed else Decision(False, reason)


def require(decision: Decision) -> None:
    """The 403 of load-check-act."""
    if not decision:
        abort(403)


# Who an account is: the only role comparisons of the code base.


def _admin(user: User) -> bool:
    return user.is_authenticated and user.role == Role.ADMIN


def teaches(user: User, course: Course) -> bool:
    return user.role == Role.INSTRUCTOR and any(i.id == user.id for i in course.instructors)


def attends(user: User, course: Course) -> bool:
    """A trainee's account whose trainee is (or was) on this course."""
    if user.role != Role.TRAINEE or user.trainee_id is None:
        return False
    return (
        db.session.scalar(
            select(Enrolment.id).where(
                Enrolment.course_id == course.id, Enrolment.trainee_id == user.trainee_id
            )
        )
        is not None
    )


def _holds(user: User, enrolment: Enrolment) -> bool:
    return (
        user.role == Role.TRAINEE
        and user.trainee_id is not None
        and user.trainee_id == enrolment.trainee_id
    )


# What an account may do without a particular record (the navigation, the registry).


def may_administer(user: User) -> Decision:
    """Organisations, programmes, the trainee registry, accounts, the overview."""
    return _decide(_admin(user), _l("Only an administrator may do this."))


def may_teach(user: User) -> Decision:
    """An instructor's own pages: today's sheets, their courses."""
    return _decide(
        user.is_authenticated and user.role == Role.INSTRUCTOR,
        _l("Only an instructor has this page."),
    )


def may_follow_own_progress(user: User) -> Decision:
    """A trainee's own dashboard."""
    return _decide(
        user.is_authenticated and user.role == Role.TRAINEE,
        _l("Only a trainee has this page."),
    )


def may_see_audit(user: User) -> Decision:
    return _decide(_admin(user), _l("Only an administrator reads the audit trail."))


def may_see_trainee(user: User, trainee=None) -> Decision:
    """A registry record: the registry is the administrators'."""
    return _decide(_admin(user), _l("Only an administrator sees the trainee registry."))


# Courses and their plan.


def may_view_course(user: User, course: Course) -> Decision:
    """Administrators see every course; instructors the courses they teach."""
    return _decide(
        _admin(user) or teaches(user, course),
        _l("Only an instructor of this course or an administrator sees it."),
    )


def may_edit_course(user: User, course: Course | None = None) -> Decision:
    return _decide(_admin(user), _l("Only an administrator changes a course."))


def may_view_plan(user: User, course: Course) -> Decision:
    """The plan is also for the course's own trainees."""
    return _decide(
        may_view_course(user, course).allowed or attends(user, course),
        _l("Only the course's instructors, trainees and administrators see its plan."),
    )


def may_edit_plan(user: User, course: Course) -> Decision:
    return _decide(_admin(user), _l("Only an administrator changes a course's plan."))


def may_cancel_day(user: User, course: Course) -> Decision:
    """Call off a training day of the course (made up or lost)."""
    return _decide(_admin(user), _l("Only an administrator cancels a training day."))


def visible_courses(user: User) -> Select:
    """The courses this account may list."""
    statement = select(Course)
    if user.role == Role.ADMIN:
        return statement
    if user.role == Role.INSTRUCTOR:
        return statement.join(
            course_instructors, course_instructors.c.course_id == Course.id
        ).where(course_instructors.c.user_id == user.id)
    if user.trainee_id is not None:
        return statement.join(Enrolment, Enrolment.course_id == Course.id).where(
            Enrolment.trainee_id == user.trainee_id
        )
    return statement.where(Course.id.is_(None))


# Enrolments: the roster, a trainee's records.


def may_view_enrolment(user: User, enrolment: Enrolment) -> Decision:
    """A trainee's records: administrators, the course's instructors, the trainee."""
    if user.role == Role.TRAINEE:
        return _decide(_holds(user, enrolment), _l("These are another trainee's records."))
    return may_view_course(user, enrolment.course)


def may_manage_roster(user: User, course: Course) -> Decision:
    """Enrol trainees on the course and withdraw them."""
    return _decide(_admin(user), _l("Only an administrator enrols and withdraws trainees."))


def may_enrol(user: User, course: Course) -> Decision:
    return may_manage_roster(user, course)


def may_withdraw(user: User, enrolment: Enrolment) -> Decision:
    return may_manage_roster(user, enrolment.course)


# Attendance.


def correction_window_closed(day: date, as_of: date | None = None) -> bool:
    """Past the window (7 days by default) only an administrator changes a sheet.

    `as_of` is the day the change was made when that is not today: a save kept on a
    phone with no network counts from the day it was made (courses/offline.py).
    """
    since = (as_of or clock.today()) - day
    return since.days > current_app.config["ATTENDANCE_CORRECTION_DAYS"]


def may_take_sheet(user: User, course: Course) -> Decision:
    """Open and fill a course's attendance sheets."""
    return _decide(
        _admin(user) or teaches(user, course),
        _l("Only an instructor of this course or an administrator takes its attendance."),
    )


def may_correct_sheet(user: User, course: Course, day: date, as_of: date | None = None) -> Decision:
    """Save the sheet of this day: within the window its takers, past it administrators.

    `as_of`: the day the save was made, when not today (see correction_window_closed).
    """
    taking = may_take_sheet(user, course)
    if not taking or _admin(user) or not correction_window_closed(day, as_of):
        return taking
    return Decision(
        False,
        _l(
            "Sheets older than %(n)d days are corrected by an administrator only.",
            n=current_app.config["ATTENDANCE_CORRECTION_DAYS"],
        ),
    )


def may_keep_outbox(user: User) -> Decision:
    """An account that takes attendance keeps unsent sheets in its phone's outbox."""
    return _decide(
        _admin(user) or may_teach(user).allowed,
        _l("Only instructors and administrators take attendance."),
    )


def may_save_offline(user: User, course: Course) -> Decision:
    """Keep this course's sheets on the phone and send them from its outbox: whoever
    takes the course's attendance online."""
    return may_take_sheet(user, course)


# Module results.


def may_record_result(user: User, course: Course) -> Decision:
    return _decide(
        _admin(user) or teaches(user, course),
        _l("Only an instructor of this course or an administrator assesses it."),
    )


RESULT_CORRECTION_WINDOW = timedelta(hours=24)


def may_correct_result(user: User, result: ModuleResult, *, window: bool = True) -> Decision:
    """Its assessor or an administrator, within 24 hours of recording it.

    `window=False` asks only who (the service answers a closed window as a conflict).
    """
    if not (_admin(user) or user.id == result.assessor_id):
        return Decision(False, _l("Only the assessor or an administrator corrects a result."))
    if window and clock.now() - result.recorded_at > RESULT_CORRECTION_WINDOW:
        return Decision(
            False,
            _l(
                "A result can be corrected within 24 hours of recording it; record a "
                "new attempt instead."
            ),
        )
    return ALLOWED


# Certificates.


def may_issue_certificates(user: User, course: Course) -> Decision:
    """Issue (one or all), list and print a course's certificates."""
    return _decide(_admin(user), _l("Only an administrator issues certificates."))


def may_revoke_certificate(user: User, certificate: Certificate) -> Decision:
    """Revoke or reissue."""
    return _decide(_admin(user), _l("Only an administrator revokes or reissues a certificate."))


def may_download_certificate(user: User, certificate: Certificate) -> Decision:
    """Administrators, the certificate's holder, and the approvers of its issuing
    organisations: a signatory sees the document (the draft, until approved) that their
    name prints on."""
    return _decide(
        _admin(user) or _holds(user, certificate.enrolment) or _signs(user, certificate),
        _l(
            "Only the holder, an approver of its issuing organisations or an administrator "
            "downloads a certificate."
        ),
    )


def _signs(user: User, certificate: Certificate) -> bool:
    return bool(
        may_approve_certificates(user)
        and user.organisation.name in (certificate.approvals_required or [])
    )


# Certificate approvals (four eyes across the issuing organisations).


def may_be_approver(role: str) -> Decision:
    """Which accounts may be made approvers: administrators and instructors."""
    return _decide(
        role in (Role.ADMIN, Role.INSTRUCTOR), _l("Only administrators and instructors approve.")
    )


def may_approve_certificates(user: User) -> Decision:
    """An approver: an active administrator or instructor account with `approver` and an
    organisation, whose name and position print as that organisation's signatory."""
    return _decide(
        bool(
            user.is_authenticated
            and user.approver
            and user.active
            and user.organisation_id is not None
            and may_be_approver(user.role)
        ),
        _l("Only an approver of an issuing organisation approves this."),
    )


def recorded_results(user: User, certificate: Certificate) -> bool:
    """Did this user record any result of the certificate's enrolment?"""
    return bool(
        db.session.scalar(
            select(
                exists().where(
                    ModuleResult.enrolment_id == certificate.enrolment_id,
                    ModuleResult.assessor_id == user.id,
                )
            )
        )
    )


def may_approve_certificate(user: User, certificate: Certificate) -> Decision:
    """An approver of one of its issuing organisations, who recorded none of its results."""
    approver = may_approve_certificates(user)
    if not approver or user.organisation.name not in certificate.approvals_required:
        return Decision(False, _l("Only an approver of an issuing organisation approves this."))
    return _decide(
        not recorded_results(user, certificate),
        _l("You recorded results of this trainee: another approver must approve."),
    )


# The 403 of load-check-act for the common questions (names kept from the former courses/access.py).


def require_view(user: User, course: Course) -> None:
    require(may_view_course(user, course))


def require_plan_view(user: User, course: Course) -> None:
    require(may_view_plan(user, course))


def require_enrolment_view(user: User, enrolment: Enrolment) -> None:
    require(may_view_enrolment(user, enrolment))
