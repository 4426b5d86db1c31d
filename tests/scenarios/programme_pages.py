"""Shared by several test modules; first written for tests/test_programme_pages.py."""

PROGRAMME_FORM = {
    "code": "EOD-2",
    "title": "Advanced clearance",
    "qualification": "EOD Level 2",
    "duration_days": "45",
    "attendance_threshold": "90",
    "rest_weekdays": ["6"],
    "max_attempts": "2",
    "validity_months": "36",
    "hours_per_day": "8",
}


def rows(*modules) -> dict:
    """Form fields of module rows: (code, hours, kind, pass mark, prerequisites)."""
    data = {}
    for index, (code, hours, kind, pass_mark, needs) in enumerate(modules):
        prefix = f"modules-{index}-"
        data.update(
            {
                f"{prefix}position": str(index + 1),
                f"{prefix}code": code,
                f"{prefix}title": f"Module {code}",
                f"{prefix}hours": str(hours),
                f"{prefix}kind": kind,
                f"{prefix}pass_mark": "" if pass_mark is None else str(pass_mark),
                f"{prefix}mandatory": "y",
                f"{prefix}prerequisites": needs,
            }
        )
    return data
