"""The pages of the trainees package; each module registers its routes on `trainees.bp`."""

from trainees.certificates import approval_views  # noqa: F401
from trainees.certificates import views as certificate_views  # noqa: F401
from trainees.views import dashboard, importing, registry, results, roster  # noqa: F401
