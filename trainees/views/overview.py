"""Makes the overview available to the home pages' templates (see trainees/overview.py)."""

from trainees import bp
from trainees.overview import home_overview


@bp.app_context_processor
def overview_for_templates() -> dict:
    return {"home_overview": home_overview}
