"""The OpenAPI document tells the truth: schemathesis fuzzes every operation.

Every answer, errors included, must be documented (status, content type, body),
no request may cause a 500, and requests that break the schema must be refused.
Valid and invalid requests are generated, with an administrator's token and with
none.
"""

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from schemathesis import GenerationMode
from schemathesis.checks import (
    content_type_conformance,
    negative_data_rejection,
    not_a_server_error,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from models.account import Role

# The contract does not depend on the database; SQLite keeps the run short.
pytestmark = pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)

CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
    response_headers_conformance,
    negative_data_rejection,
]
# Revoking the token mid-run would turn every later answer into a 401.
SKIPPED = {("DELETE", "/api/v1/tokens")}


def fuzz(app, mode: GenerationMode, headers: dict, examples: int) -> list[str]:
    schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", app)
    if headers:
        # The token is ours to send: invalid requests are made of the documented
        # parameters and bodies, not of a dropped Authorization header.
        schema.raw_schema["security"] = []
    tested = []
    for result in schema.get_all_operations():
        operation = result.ok()
        if (operation.method.upper(), operation.path) in SKIPPED:
            continue

        @given(case=operation.as_strategy(generation_mode=mode))
        @settings(
            max_examples=examples,
            deadline=None,
            database=None,
            suppress_health_check=list(HealthCheck),
        )
        def check(case):
            case.call_and_validate(headers=headers, checks=CHECKS)

        check()
        tested.append(f"{operation.method.upper()} {operation.path}")
    return tested


@pytest.mark.parametrize("mode", list(GenerationMode), ids=lambda mode: mode.value)
def test_every_answer_to_an_administrator_matches_the_document(app, accounts, mode):
    tested = fuzz(app, mode, accounts.bearer(Role.ADMIN), examples=40)
    assert "POST /api/v1/users" in tested


def test_every_answer_without_a_token_matches_the_document(app):
    tested = fuzz(app, GenerationMode.POSITIVE, {}, examples=10)
    assert "GET /api/v1/users" in tested
