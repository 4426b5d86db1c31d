"""Two administrators take the last seat at the same moment: exactly one gets it.

Each administrator is a thread with its own test client and token; a barrier
releases them together. Several rounds, on SQLite and on PostgreSQL.
"""

import threading
from datetime import date

import pytest
from sqlalchemy import func, select

from extensions import db
from models import Enrolment
from models.account import Role
from models.trainee import Trainee
from tests.factories import make_course, make_programme, make_trainee
from trainees.enrolment import SEATED

ROUNDS = 5


@pytest.fixture
def admins(app, accounts):
    """Two administrators' headers."""
    return [accounts.bearer(Role.ADMIN), accounts.bearer(Role.ADMIN)]


@pytest.fixture
def programme_id(app):
    return make_programme(app)


def enrol(client, headers, course_id, trainee_id):
    url = f"/api/v1/courses/{course_id}/enrolments"
    return client.post(url, headers=headers, json={"trainee_id": trainee_id})


def race(app, requests) -> list[tuple]:
    """Send every (headers, course_id, trainee_id) at once: [(status, body)] in that order."""
    barrier = threading.Barrier(len(requests))
    answers: list = [None] * len(requests)

    def attempt(index):
        headers, course_id, trainee_id = requests[index]
        client = app.test_client()
        try:
            barrier.wait(timeout=30)
            response = enrol(client, headers, course_id, trainee_id)
            answers[index] = (response.status_code, response.get_json())
        except Exception as error:  # noqa: BLE001 - reported by the assertions below
            answers[index] = ("exception", repr(error))

    threads = [threading.Thread(target=attempt, args=(i,)) for i in range(len(requests))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert not any(thread.is_alive() for thread in threads), "an enrolment never answered"
    return answers


def seated(app, course_id, organisation_code=None) -> list[int]:
    """The trainee ids holding a seat on the course, as the database has them."""
    with app.app_context():
        statement = select(Enrolment.trainee_id).where(
            Enrolment.course_id == course_id, Enrolment.status.in_(SEATED)
        )
        if organisation_code:
            statement = statement.join(Trainee, Trainee.id == Enrolment.trainee_id).where(
                Trainee.organisation.has(code=organisation_code)
            )
        return sorted(db.session.scalars(statement))


def one_winner(answers, trainee_ids, message) -> int:
    """The trainee who got the seat; the other was refused with `message`."""
    assert sorted(str(status) for status, _ in answers) == ["201", "409"], answers
    for (status, body), trainee_id in zip(answers, trainee_ids, strict=True):
        if status == 201:
            winner = trainee_id
            assert body["trainee_id"] == trainee_id and body["status"] == "enrolled"
        else:
            assert body["error"]["code"] == "conflict"
            assert body["error"]["message"] == message
    return winner


def test_last_seat_goes_to_exactly_one(app, client, admins, programme_id):
    for round_number in range(ROUNDS):
        course_id = make_course(
            app,
            programme_id,
            code=f"SEAT-{round_number}",
            start=date(2021, 3, 1),
            holidays=(),
            capacity=3,
        )
        already = [make_trainee(app) for _ in range(2)]
        for trainee_id in already:
            assert enrol(client, admins[0], course_id, trainee_id).status_code == 201
        racing = [make_trainee(app), make_trainee(app)]

        answers = race(app, [(h, course_id, t) for h, t in zip(admins, racing, strict=True)])

        winner = one_winner(answers, racing, "The course is full: all 3 seats are taken.")
        assert seated(app, course_id) == sorted([*already, winner])


def test_last_quota_seat_goes_to_exactly_one(app, client, admins, programme_id):
    make_trainee(app, "RU-EMERCOM")  # the organisation, before quotas name it
    for round_number in range(ROUNDS):
        course_id = make_course(
            app,
            programme_id,
            code=f"QUOTA-{round_number}",
            start=date(2021, 3, 1),
            holidays=(),
            capacity=20,
            quotas={"RU-EMERCOM": 2},
        )
        already = make_trainee(app, "RU-EMERCOM")
        assert enrol(client, admins[0], course_id, already).status_code == 201
        racing = [make_trainee(app, "RU-EMERCOM"), make_trainee(app, "RU-EMERCOM")]

        answers = race(app, [(h, course_id, t) for h, t in zip(admins, racing, strict=True)])

        message = "RU-EMERCOM has used its quota of 2 seats on this course."
        winner = one_winner(answers, racing, message)
        assert seated(app, course_id, "RU-EMERCOM") == sorted([already, winner])
        assert len(seated(app, course_id)) == 2


def test_whole_course_filled_at_once(app, admins, accounts, programme_id):
    """Eight administrators for five seats: five enrolled, three refused, none lost."""
    headers = admins + [accounts.bearer(Role.ADMIN) for _ in range(6)]
    course_id = make_course(
        app, programme_id, code="RUSH", start=date(2021, 3, 1), holidays=(), capacity=5
    )
    racing = [make_trainee(app) for _ in range(8)]

    answers = race(app, [(h, course_id, t) for h, t in zip(headers, racing, strict=True)])

    assert sorted(str(status) for status, _ in answers) == ["201"] * 5 + ["409"] * 3, answers
    winners = [t for (status, _), t in zip(answers, racing, strict=True) if status == 201]
    assert seated(app, course_id) == sorted(winners)
    with app.app_context():
        assert db.session.scalar(select(func.count(Enrolment.id))) == 5


def test_same_trainee_into_two_overlapping_courses_at_once(app, request, admins, programme_id):
    for round_number in range(ROUNDS):
        first, second = (
            make_course(
                app,
                programme_id,
                code=f"OVER-{round_number}-{n}",
                start=date(2021, 3, 1 + n),
                holidays=(),
            )
            for n in range(2)
        )
        trainee_id = make_trainee(app)
        answers = race(app, [(admins[0], first, trainee_id), (admins[1], second, trainee_id)])
        assert sorted(str(status) for status, _ in answers) == ["201", "409"], answers
        refusal = next(body["error"]["message"] for status, body in answers if status == 409)
        assert refusal.endswith("whose dates overlap."), refusal
        with app.app_context():
            courses = db.session.scalars(
                select(Enrolment.course_id).where(Enrolment.trainee_id == trainee_id)
            ).all()
        assert len(courses) == 1, f"round {round_number}: enrolled in {courses}"
