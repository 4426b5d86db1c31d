"""The pages of the trainees package; each module registers its routes on `trainees.bp`."""

from trainees.views import (  # noqa: F401
    approvals,
    certificates,
    credentials,
    dashboard,
    importing,
    qualifications,
    registry,
    reports,
    results,
    roster,
)
