"""One trainee's results page: the latest result of each module and a new attempt."""

from sqlalchemy import select

from extensions import db
from models import ModuleResult
from tests.conftest import csrf_token_in
from tests.scenarios.certificates_api import LATE, make_graduates


def test_an_attempt_recorded_for_one_trainee(app, client, accounts, monkeypatch):
    setup = make_graduates(app, accounts, monkeypatch, people=[LATE])
    accounts.login(setup.admin)
    url = f"/enrolments/{setup.enrolments[0]}/results"
    page = client.get(url)
    assert page.status_code == 200
    token = csrf_token_in(page.text)
    data = {"csrf_token": token, "module": "A", "result": "88", "assessed_on": "2021-01-15"}
    response = client.post(url, data=data)
    assert response.status_code == 302
    after = client.get(response.headers["Location"]).text
    assert "Result recorded for A." in after
    # A passed module takes no new attempt: its row says so instead of offering a form
    # that would only be refused.
    assert 'data-testid="no-attempt">' in after and "has already passed A." in after
    assert after.count('name="module" value="A"') == 0
    assert after.count('name="module" value="B"') == 1
    with app.app_context():
        result = db.session.scalar(select(ModuleResult))
        assert (result.score, result.passed, result.attempt) == (88, True, 1)


def test_a_refused_attempt_says_why_and_saves_nothing(app, client, accounts, monkeypatch):
    setup = make_graduates(app, accounts, monkeypatch, people=[LATE])
    accounts.login(setup.admin)
    url = f"/enrolments/{setup.enrolments[0]}/results"
    token = csrf_token_in(client.get(url).text)
    data = {"csrf_token": token, "module": "A", "result": "101", "assessed_on": "2021-01-15"}
    response = client.post(url, data=data)
    assert response.status_code == 422
    assert "The score must be between 0 and 100." in response.text
    with app.app_context():
        assert db.session.scalar(select(ModuleResult)) is None


def test_another_instructor_cannot_open_it(app, client, accounts, monkeypatch):
    from models.account import Role

    setup = make_graduates(app, accounts, monkeypatch, people=[LATE])
    accounts.login_as(Role.INSTRUCTOR)
    assert client.get(f"/enrolments/{setup.enrolments[0]}/results").status_code == 403
