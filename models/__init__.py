"""The models of the courses package."""

from models.account import ApiToken, Role, User, UserSession
from models.attendance import AttendanceRecord, AttendanceSheet, AttendanceStatus
from models.attendance_operation import AttendanceOperation
from models.cancelled_day import CancelledDay
from models.certificate import (
    Certificate,
    CertificateApproval,
    CertificatePrint,
    CertificateStatus,
)
from models.course import (
    Course,
    CourseHoliday,
    CourseQuota,
    CourseStatus,
    PlanEntry,
    course_instructors,
)
from models.enrolment import Enrolment, EnrolmentStatus
from models.organisation import Organisation
from models.password_reset import PasswordReset
from models.programme import Module, ModuleKind, Programme, module_prerequisites
from models.result import ModuleResult
from models.throttle import SignInCounter
from models.trainee import Trainee

__all__ = [
    "ApiToken",
    "Certificate",
    "CertificateApproval",
    "CertificatePrint",
    "CertificateStatus",
    "Role",
    "SignInCounter",
    "Trainee",
    "User",
    "UserSession",
    "AttendanceOperation",
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
    "PasswordReset",
    "PlanEntry",
    "Programme",
    "course_instructors",
    "module_prerequisites",
]
