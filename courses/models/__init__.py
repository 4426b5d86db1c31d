"""The models of the courses package."""

from courses.models.attendance import AttendanceRecord, AttendanceSheet, AttendanceStatus
from courses.models.cancelled_day import CancelledDay
from courses.models.course import (
    Course,
    CourseHoliday,
    CourseQuota,
    CourseStatus,
    PlanEntry,
    course_instructors,
)
from courses.models.enrolment import Enrolment, EnrolmentStatus
from courses.models.organisation import Organisation
from courses.models.programme import Module, ModuleKind, Programme, module_prerequisites
from courses.models.result import ModuleResult

__all__ = [
    "AttendanceRecord",
    "AttendanceSheet",
    "AttendanceStatus",
    "CancelledDay",
    "Course",
    "CourseHoliday",
    "CourseQuota",
    "CourseStatus",
    "Enrolment",
    "EnrolmentStatus",
    "Module",
    "ModuleResult",
    "ModuleKind",
    "Organisation",
    "PlanEntry",
    "Programme",
    "course_instructors",
    "module_prerequisites",
]
