"""The pages of the courses package; each module registers its routes on `courses.bp`."""

from courses.views import (  # noqa: F401
    app_shell,
    attendance,
    courses,
    emblems,
    home,
    offline,
    organisations,
    outbox_strings,
    plans,
    programmes,
)
