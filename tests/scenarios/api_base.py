"""Shared by several test modules; first written for tests/test_api_base.py."""


def error_of(response, status: int, code: str) -> dict:
    """Assert the API.md error format and return its body."""
    assert response.status_code == status, response.text
    assert response.content_type == "application/json"
    body = response.json["error"]
    assert body["code"] == code
    assert isinstance(body["message"], str) and body["message"]
    return body
