"""The models of the courses package."""

from courses.models.organisation import Organisation

__all__ = ["Organisation"]
