"""The pages of the courses package; each module registers its routes on `courses.bp`."""

from courses.views import (  # noqa: F401
    attendance,
    courses,
    emblems,
    home,
    organisations,
    plans,
    programmes,
)
