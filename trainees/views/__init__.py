"""The pages of the trainees package; each module registers its routes on `trainees.bp`."""

from trainees.certificates import views as certificate_views  # noqa: F401
from trainees.views import (  # noqa: F401
    dashboard,
    import_template,
    importing,
    overview,
    registry,
    result_correction,
    results,
    roster,
)
