"""The pages of the trainees package; each module registers its routes on `trainees.bp`."""

from trainees.views import (  # noqa: F401
    approvals,
    certificates,
    credentials,
    dashboard,
    import_template,
    importing,
    overview,
    qualifications,
    registry,
    reports,
    result_correction,
    results,
    roster,
)
