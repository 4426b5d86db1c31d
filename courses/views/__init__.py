"""The pages of the courses package; each module registers its routes on `courses.bp`."""

from courses.views import (  # noqa: F401
    app_shell,
    attendance,
    attendance_print,
    courses,
    days_off,
    emblems,
    home,
    offline,
    organisations,
    outbox_strings,
    plans,
    programmes,
)
