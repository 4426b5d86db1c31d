"""The pages of the courses package; each module registers its routes on `courses.bp`."""

from courses.views import calendar, course_pages, home, organisations, programmes  # noqa: F401
