"""Deny by default: a route that declares nobody is refused to everybody."""

import pytest

from auth.permissions import access_rule
from models.account import Role


@pytest.fixture
def app_with_undeclared_route(app):
    @app.route("/undeclared")
    def undeclared():
        return "secret"

    @app.route("/api/v1/undeclared")
    def undeclared_api():
        return {"secret": True}

    return app


@pytest.mark.parametrize("role", list(Role))
def test_undeclared_route_is_refused_to_every_role(app_with_undeclared_route, accounts, role):
    client = app_with_undeclared_route.test_client()
    accounts.client = client
    accounts.login_as(role)
    response = client.get("/undeclared")
    assert response.status_code == 403
    assert "secret" not in response.text


def test_undeclared_route_sends_visitor_to_login(app_with_undeclared_route):
    response = app_with_undeclared_route.test_client().get("/undeclared")
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/login")


def test_undeclared_api_route_is_refused_even_with_admin_token(app_with_undeclared_route, accounts):
    client = app_with_undeclared_route.test_client()
    accounts.client = client
    response = client.get("/api/v1/undeclared", headers=accounts.bearer(Role.ADMIN))
    assert response.status_code == 403
    assert response.json["error"]["code"] == "forbidden"


def test_every_route_of_the_app_declares_who_may_use_it(app):
    undeclared = []
    with app.test_request_context():
        for rule in app.url_map.iter_rules():
            for method in rule.methods - {"OPTIONS"}:
                if access_rule(rule.endpoint, method) is None:
                    undeclared.append(f"{method} {rule.rule}")
    assert undeclared == []
