"""Shared by several test modules; first written for tests/test_trainees_api.py."""

TRAINEES = "/api/v1/trainees"

SMIRNOV = {
    "personal_number": "RU-0042",
    "rank": "leytenant",
    "full_name": "Алексей Смирнов",
    "date_of_birth": "1990-03-14",
    "email": "smirnov@example.org",
    "medical_clearance_until": "2030-01-01",
}


def post(client, headers, organisation_id, **changes):
    body = {**SMIRNOV, "organisation_id": organisation_id, **changes}  # changes win
    return client.post(TRAINEES, headers=headers, json=body)
