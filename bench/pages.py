"""The pages the benchmark loads, who loads them, and how many SQL queries each runs."""

import json
import re
from dataclasses import dataclass, field

from sqlalchemy import event, select

from app import create_app
from core import clock
from demo.bench import HOT_COURSE
from extensions import db

ACCOUNTS = {
    "admin": ("admin@demo.example.org", "demo-admin-password"),
    "instructor": ("instructor@demo.example.org", "demo-instructor-password"),
    "trainee": ("trainee@demo.example.org", "demo-trainee-password"),
}
TRANSACTION_CONTROL = ("BEGIN", "COMMIT", "ROLLBACK", "SAVEPOINT", "RELEASE")
CSRF = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')


@dataclass
class Page:
    name: str
    path: str
    who: str | None  # an account of ACCOUNTS signed in by cookie, "token", or None
    method: str = "GET"
    body: dict | None = None
    headers: dict = field(default_factory=dict)

    def encoded_body(self) -> bytes | None:
        return None if self.body is None else json.dumps(self.body).encode()


def app_for(database_url: str):
    return create_app({"SQLALCHEMY_DATABASE_URI": database_url})


def pages_of(app) -> list[Page]:
    """The benchmark's pages, with the ids of the dataset `app` serves."""
    from models import Certificate, Course, Enrolment

    with app.app_context():
        course = db.session.scalar(select(Course).where(Course.code == HOT_COURSE))
        enrolments = db.session.scalars(
            select(Enrolment).where(Enrolment.course_id == course.id).order_by(Enrolment.id)
        ).all()
        code = db.session.scalar(
            select(Certificate.verification_code)
            .where(Certificate.status == "valid", Certificate.course_code == "AGH-2021-01")
            .order_by(Certificate.id)
        )
        today = clock.today().isoformat()
        trainee_ids = [enrolment.trainee_id for enrolment in enrolments]
    records = [{"trainee_id": tid, "status": "present", "note": ""} for tid in trainee_ids]
    return [
        Page("attendance_sheet", f"/courses/{course.id}/attendance/{today}", "instructor"),
        Page(
            "attendance_save",
            f"/api/v1/courses/{course.id}/attendance/{today}",
            "token",
            method="PUT",
            body={"records": records},
            headers={"Content-Type": "application/json"},
        ),
        Page("attendance_grid", f"/courses/{course.id}/attendance", "instructor"),
        Page("results_matrix", f"/courses/{course.id}/results", "instructor"),
        Page("trainee_dashboard", "/me", "trainee"),
        Page("progress_api", f"/api/v1/enrolments/{enrolments[0].id}/progress", "token"),
        Page("course_certificates", f"/courses/{course.id}/certificates", "admin"),
        Page("verify_page", f"/verify/{code}", None),
    ]


def recent_training_days(app, count: int = 6) -> list[str]:
    """The hot course's last training days up to today: instructors may still save each."""
    from courses.plans import course_training_days
    from models import Course

    with app.app_context():
        course = db.session.scalar(select(Course).where(Course.code == HOT_COURSE))
        days = [day for day in course_training_days(course) if day <= clock.today()]
    return [day.isoformat() for day in days[-count:]]


def count_queries(app, pages: list[Page]) -> dict[str, int]:
    """SQL statements of one request to each page, after one warm-up request."""
    counts: dict[str, int] = {}
    statements = []
    # Requests run outside any app context of ours: each must get its own (CSRF lives on g).
    with app.app_context():
        engine = db.engine

    def count(_connection, _cursor, statement, *_args) -> None:
        # Transaction control is not a query: the drivers send BEGIN themselves, unseen
        # here, except SQLite's BEGIN IMMEDIATE that a sheet's save sends by hand.
        if not statement.lstrip().upper().startswith(TRANSACTION_CONTROL):
            statements.append(1)

    event.listen(engine, "before_cursor_execute", count)
    clients = {who: _signed_in(app, who) for who in {page.who for page in pages}}
    for page in pages:
        client = clients[page.who]
        headers = dict(page.headers)
        if page.who == "token":
            headers["Authorization"] = f"Bearer {client.token}"
        for _ in range(2):
            statements.clear()
            answer = client.open(
                page.path, method=page.method, data=page.encoded_body(), headers=headers
            )
            if answer.status_code >= 400:
                raise RuntimeError(f"{page.name}: {page.path} answered {answer.status_code}")
        counts[page.name] = len(statements)
    event.remove(engine, "before_cursor_execute", count)
    return counts


def _signed_in(app, who: str | None):
    client = app.test_client()
    if who == "token":
        email, password = ACCOUNTS["instructor"]
        answer = client.post("/api/v1/tokens", json={"email": email, "password": password})
        client.token = answer.get_json()["token"]
    elif who is not None:
        email, password = ACCOUNTS[who]
        token = CSRF.search(client.get("/login").get_data(as_text=True)).group(1)
        answer = client.post(
            "/login", data={"email": email, "password": password, "csrf_token": token}
        )
        if answer.status_code != 302:
            raise RuntimeError(f"{email} could not sign in ({answer.status_code})")
    return client
