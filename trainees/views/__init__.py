"""The pages of the trainees package; each module registers its routes on `trainees.bp`."""

from trainees.certificates import credential_views  # noqa: F401
from trainees.certificates import views as certificate_views  # noqa: F401
from trainees.reports import views as report_views  # noqa: F401
from trainees.views import dashboard, importing, registry, results, roster  # noqa: F401
from trainees.views import register as register_views  # noqa: F401
