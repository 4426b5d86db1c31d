"""The module plan: the calendar page, the administrator's editor, the iCalendar file."""

import calendar as month_calendar
from datetime import date, timedelta

from flask import Response, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from icalendar import Calendar, Event

from auth.permissions import roles
from auth.policy import require_plan_view
from core.forms import BaseForm
from core.saving import kept, save
from core.translated import localised
from core.urls import parse_day
from courses import bp
from courses.days_off import cancelled_on, days_are_fixed
from courses.forms import Version
from courses.plans import course_training_days, days_by_module, set_plan
from courses.presenters import one_course_or_404
from courses.schedule import Block, module_blocks
from extensions import db
from models import Course
from models.account import Role


class PlanForm(BaseForm):
    version = Version()


def month_grids(course: Course, training: list[date]) -> list[dict]:
    """Each month of the course as weeks of days, Monday first."""
    holidays = {holiday.day for holiday in course.holidays}
    cancelled = cancelled_on(course)
    training_set = set(training)
    modules_on: dict[date, list] = {}
    for entry in course.plan:
        modules_on.setdefault(entry.day, []).append(entry)
    months = []
    first = course.start_date.replace(day=1)
    while first <= course.end_date:
        weeks = []
        for week in month_calendar.Calendar(firstweekday=0).monthdatescalendar(
            first.year, first.month
        ):
            days = []
            for day in week:
                if day.month != first.month or not course.start_date <= day <= course.end_date:
                    kind = "outside"
                elif day in holidays:
                    kind = "holiday"
                elif day in cancelled:
                    kind = "cancelled"
                elif day not in training_set:
                    kind = "rest"
                else:
                    kind = "training"
                days.append(
                    {
                        "date": day,
                        "kind": kind,
                        "entries": modules_on.get(day, []),
                        "reason": cancelled.get(day),
                    }
                )
            if any(day["kind"] != "outside" for day in days):
                weeks.append(days)
        months.append({"first": first, "weeks": weeks})
        first = (first + timedelta(days=32)).replace(day=1)
    return months


@bp.route("/courses/<id:course_id>/plan")
@roles(Role.ADMIN, Role.INSTRUCTOR, Role.TRAINEE)
def course_plan(course_id: int):
    """The plan as a month calendar: a module per day, rest days and holidays greyed."""
    course = one_course_or_404(course_id, plan=True)
    require_plan_view(current_user, course)
    training = course_training_days(course)
    return render_template(
        "courses/course_plan.html",
        course=course,
        tab="plan",
        months=month_grids(course, training),
        training_days=training,
        days_fixed=days_are_fixed(course),  # no day of a finished course is cancelled
    )


@bp.route("/courses/<id:course_id>/plan/edit", methods=["GET", "POST"])
@roles(Role.ADMIN)
def course_plan_edit(course_id: int):
    """Move modules to other days: each module runs from a first to a last training day."""
    course = db.get_or_404(Course, course_id)
    training = course_training_days(course)
    form = PlanForm(version=course.version)
    current = days_by_module(course)
    chosen = {
        module.code: (min(current[module.code]), max(current[module.code]))
        if current.get(module.code)
        else (None, None)
        for module in course.programme.modules
    }
    problem = None
    if form.validate_on_submit():
        wanted = {}
        for module in course.programme.modules:
            first = parse_day(request.form.get(f"first-{module.code}"))
            last = parse_day(request.form.get(f"last-{module.code}"))
            chosen[module.code] = (first, last)
            if first and last:
                wanted[module.code] = [day for day in training if first <= day <= last]
        saved = save(
            lambda: set_plan(course, form.version.data, wanted), _("The plan is saved."), kept
        )
        if saved:
            return redirect(url_for("courses.course_plan", course_id=course.id))
        problem = str(saved.refusal.message)
    status = 422 if request.method == "POST" else 200
    return render_template(
        "courses/course_plan_edit.html",
        course=course,
        tab="plan",
        form=form,
        training_days=training,
        chosen=chosen,
        problem=problem,
    ), status


@bp.route("/courses/<id:course_id>/calendar.ics")
@roles(Role.ADMIN, Role.INSTRUCTOR, Role.TRAINEE)
def course_calendar(course_id: int):
    """The plan as iCalendar: one all-day event per run of a module's days."""
    course = one_course_or_404(course_id, plan=True)
    require_plan_view(current_user, course)
    training = course_training_days(course)
    titles = {module.code: module for module in course.programme.modules}
    blocks = [Block(entry.day, entry.module.code, entry.hours) for entry in course.plan]
    host = request.host.split(":")[0] or "training"
    stamp = course.plan_changed_at or course.created_at
    ical = Calendar()
    ical.add("prodid", "-//Pyrotechnic training courses//EN")
    ical.add("version", "2.0")
    # In the reader's language throughout, as the page is (the titles where translated).
    place = localised(course, "location")
    ical.add("x-wr-calname", f"{course.code} · {localised(course, 'title')}")
    for code, first, last in module_blocks(blocks, training):
        module = titles[code]
        # The hours planned in this run of days: a lost day took its hours with it.
        hours = sum(b.hours for b in blocks if b.module_code == code and first <= b.day <= last)
        event = Event()
        # Stable: the same block gets the same UID in every export, so calendars update it.
        event.add("uid", f"course-{course.id}-{code}-{first:%Y%m%d}@{host}")
        event.add("dtstamp", stamp)
        event.add("dtstart", first)
        event.add("dtend", last + timedelta(days=1))  # all-day events end the day after
        event.add("summary", f"{code} · {localised(module, 'title')}")
        event.add("location", place)
        event.add("description", _("%(hours)d hours in all", hours=hours))
        ical.add_component(event)
    for day, reason in cancelled_on(course).items():
        event = Event()
        event.add("uid", f"course-{course.id}-cancelled-{day:%Y%m%d}@{host}")
        event.add("dtstamp", stamp)
        event.add("dtstart", day)
        event.add("dtend", day + timedelta(days=1))
        event.add("summary", _("Cancelled: no training (%(reason)s)", reason=reason))
        event.add("location", place)
        event.add("status", "CANCELLED")
        ical.add_component(event)
    return Response(
        ical.to_ical(),
        mimetype="text/calendar",
        headers={"Content-Disposition": f'attachment; filename="{course.code}.ics"'},
    )
