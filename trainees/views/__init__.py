"""The pages of the trainees package; each module registers its routes on `trainees.bp`."""

from trainees.views import dashboard, importing, registry, results, roster  # noqa: F401
