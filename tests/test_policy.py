"""The one access policy: its answers and reasons, and templates that ask it."""

import re
from datetime import timedelta
from pathlib import Path

import pytest

from auth import policy
from extensions import db
from models import Certificate, Course, Enrolment
from models.account import Role, User
from tests.factories import make_course, make_organisation, make_programme

TEMPLATES = Path(__file__).resolve().parent.parent / "templates"
# A role compared in a template: `.role == 'admin'`, `role in (...)`, `has_role(`, or a
# role name quoted next to a comparison.
ROLE_TEST = re.compile(
    r"\.role\s*(==|!=|\bin\b|\bnot\s+in\b)|has_role\s*\("
    r"|(==|!=)\s*['\"](admin|instructor|trainee)['\"]|['\"](admin|instructor|trainee)['\"]\s*(==|!=)"
)


def role_comparisons(text: str) -> list[str]:
    return [match.group(0) for match in ROLE_TEST.finditer(text)]


def test_no_template_compares_a_role_string():
    found = {
        str(path.relative_to(TEMPLATES)): role_comparisons(path.read_text(encoding="utf-8"))
        for path in TEMPLATES.rglob("*.html")
    }
    assert {path: hits for path, hits in found.items() if hits} == {}


@pytest.mark.parametrize(
    "text",
    [
        "{% if current_user.role == 'admin' %}",
        '{% if current_user.role != "trainee" %}',
        "{% if current_user.role in ('admin', 'instructor') %}",
        "{% if current_user.has_role('admin') %}",
        "{% if 'instructor' == current_user.role %}",
    ],
)
def test_the_scan_finds_each_way_of_comparing_a_role(text):
    assert role_comparisons(text)


def test_the_scan_leaves_roles_that_are_only_shown_alone():
    assert role_comparisons('<td>{{ role_names[user.role] }}</td><div role="alert">') == []


@pytest.fixture
def course(app, accounts):
    teacher = accounts.make(Role.INSTRUCTOR, full_name="Teacher")
    other = accounts.make(Role.INSTRUCTOR, full_name="Other")
    admin = accounts.make(Role.ADMIN)
    course_id = make_course(app, make_programme(app), instructor_ids=[teacher["id"]])
    with app.app_context():
        yield {
            "course": db.session.get(Course, course_id),
            "teacher": db.session.get(User, teacher["id"]),
            "other": db.session.get(User, other["id"]),
            "admin": db.session.get(User, admin["id"]),
        }


def test_course_decisions_and_their_reasons(course):
    subject = course["course"]
    assert policy.may_view_course(course["admin"], subject)
    assert policy.may_view_course(course["teacher"], subject)
    refused = policy.may_view_course(course["other"], subject)
    assert not refused
    assert str(refused.reason) == "Only an instructor of this course or an administrator sees it."
    assert policy.may_edit_course(course["admin"], subject)
    assert not policy.may_edit_course(course["teacher"], subject)
    assert policy.may_record_result(course["teacher"], subject)
    assert not policy.may_record_result(course["other"], subject)
    assert not policy.may_issue_certificates(course["teacher"], subject)


def test_an_old_sheet_is_corrected_by_an_administrator_only(app, course, clock_at):
    subject, window = course["course"], app.config["ATTENDANCE_CORRECTION_DAYS"]
    today = subject.start_date + timedelta(days=window + 5)
    clock_at(today)
    recent, old = today - timedelta(days=1), subject.start_date
    assert policy.may_correct_sheet(course["teacher"], subject, recent)
    refused = policy.may_correct_sheet(course["teacher"], subject, old)
    assert not refused
    assert str(refused.reason) == (
        f"Sheets older than {window} days are corrected by an administrator only."
    )
    assert policy.may_correct_sheet(course["admin"], subject, old)
    assert not policy.may_correct_sheet(course["other"], subject, recent)


def test_a_trainee_sees_their_own_records_only(app, accounts, course):
    mine = accounts.make(Role.TRAINEE)
    theirs = accounts.make(Role.TRAINEE)
    enrolment = Enrolment(course_id=course["course"].id, trainee_id=mine["trainee_id"])
    db.session.add(enrolment)
    db.session.flush()
    assert policy.may_view_enrolment(db.session.get(User, mine["id"]), enrolment)
    refused = policy.may_view_enrolment(db.session.get(User, theirs["id"]), enrolment)
    assert not refused
    assert str(refused.reason) == "These are another trainee's records."
    assert policy.may_view_enrolment(course["teacher"], enrolment)
    assert not policy.may_view_enrolment(course["other"], enrolment)
    db.session.rollback()


def test_an_approver_approves_for_their_own_issuing_organisation_only(app, accounts):
    organisation_id = make_organisation(app, "AZ-MES")
    values = {"organisation_id": organisation_id, "position": "Head", "approver": True}
    approver = accounts.make(Role.INSTRUCTOR, **values)
    plain = accounts.make(Role.INSTRUCTOR, organisation_id=organisation_id)
    with app.app_context():
        approver, plain = db.session.get(User, approver["id"]), db.session.get(User, plain["id"])
        assert policy.may_approve_certificates(approver)
        refused = policy.may_approve_certificates(plain)
        assert not refused
        assert str(refused.reason) == "Only an approver of an issuing organisation approves this."
        assert not policy.may_be_approver(Role.TRAINEE) and policy.may_be_approver(Role.ADMIN)
        ours = Certificate(approvals_required=["Ministry AZ-MES", "Ministry RU-MCHS"])
        theirs = Certificate(approvals_required=["Ministry RU-MCHS"])
        assert policy.may_approve_certificate(approver, ours)
        assert not policy.may_approve_certificate(approver, theirs)
        assert not policy.may_approve_certificate(plain, ours)
