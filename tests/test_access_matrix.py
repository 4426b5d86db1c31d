"""Who may use each route: every rule of `app.url_map` x six personas, against a table.

The table below is the decision, written down: a route that is not in it fails
`test_every_route_has_a_decision`, so no route ships without one. The scenario is a
finished course with real records, so every URL parameter is a real id, day, code.

"Another trainee" has a login but is not on the course; "another instructor" teaches
nothing. Allowed personas must never be refused (401, 403, a redirect to /login);
refused ones get 403 when signed in, a redirect to /login (pages) or 401 (API) when not.
Write methods are only checked for refusal: nothing is written by an allowed persona.
"""

import pytest

from tests.scenarios.access_matrix import (
    ADMIN,
    ANON,
    INSTRUCTOR,
    OTHER_INSTRUCTOR,
    OTHER_TRAINEE,
    PARAMETERS,
    PERSONAS,
    TRAINEE,
    WRITES,
    Persona,
    build_scenario,
    to_login,
)

EVERYONE = frozenset(PERSONAS)
SIGNED_IN = EVERYONE - {ANON}
ADMINS = frozenset({ADMIN})
INSTRUCTORS = frozenset({INSTRUCTOR, OTHER_INSTRUCTOR})
STAFF = INSTRUCTORS | ADMINS  # any instructor: lists filtered to their own courses
COURSE_STAFF = frozenset({ADMIN, INSTRUCTOR})  # this course's records
TRAINEES = frozenset({TRAINEE, OTHER_TRAINEE})
HOLDER = frozenset({ADMIN, TRAINEE})  # the certificate's holder
ON_COURSE = COURSE_STAFF | {TRAINEE}  # the course's staff and its own trainee

# endpoint -> who may use it (every method), or {method: who may}.
EXPECTED = {
    # pages
    "auth.index": SIGNED_IN,
    "auth.login": EVERYONE,
    "auth.logout": SIGNED_IN,
    "auth.users": ADMINS,
    "auth.new_user": ADMINS,
    "auth.edit_user": ADMINS,
    "auth.password_reset_link": ADMINS,
    "auth.reset_password": EVERYONE,
    "auth.audit_log": ADMINS,
    "auth.account": SIGNED_IN,
    "language.switch_language": EVERYONE,
    "core.health": EVERYONE,
    "courses.admin_home": ADMINS,
    "courses.instructor_home": INSTRUCTORS,
    "courses.course_list": STAFF,
    "courses.course_page": COURSE_STAFF,
    "courses.course_form_page": ADMINS,
    "courses.course_status": ADMINS,
    "courses.course_plan": ON_COURSE,
    "courses.course_plan_edit": ADMINS,
    "courses.cancel_day_page": ADMINS,
    "courses.course_calendar": ON_COURSE,
    "courses.attendance_sheet": COURSE_STAFF,
    "courses.attendance_grid_page": COURSE_STAFF,
    "courses.attendance_print": COURSE_STAFF,
    "courses.attendance_print_week": COURSE_STAFF,
    "courses.attendance_csv": COURSE_STAFF,
    "courses.attendance_xlsx": COURSE_STAFF,
    "courses.web_manifest": EVERYONE,
    "courses.service_worker": EVERYONE,
    "courses.offline_sheet_copy": COURSE_STAFF,
    "courses.send_outbox_entry": COURSE_STAFF,
    "courses.offline_account": SIGNED_IN,
    "courses.organisations": ADMINS,
    "courses.organisation_form": ADMINS,
    "courses.organisation_emblem": ADMINS,
    "courses.organisation_emblem_image": ADMINS,
    "courses.programmes": ADMINS,
    "courses.programme_form": ADMINS,
    "trainees.dashboard": TRAINEES,
    "trainees.trainee_list": ADMINS,
    "trainees.trainee_form": ADMINS,
    "trainees.trainee_page": ADMINS,
    "trainees.import_page": ADMINS,
    "trainees.import_template_csv": ADMINS,
    "trainees.import_template_xlsx": ADMINS,
    "trainees.roster": COURSE_STAFF,
    "trainees.roster_csv": COURSE_STAFF,
    "trainees.roster_xlsx": COURSE_STAFF,
    "trainees.roster_enrol": ADMINS,
    "trainees.roster_withdraw": ADMINS,
    "trainees.results_matrix": COURSE_STAFF,
    "trainees.record_group_results": COURSE_STAFF,
    "trainees.trainee_results": COURSE_STAFF,
    "trainees.correct_result_page": COURSE_STAFF,
    "trainees.certificates_tab": ADMINS,
    "trainees.issue_all": ADMINS,
    "trainees.course_certificates_file": ADMINS,
    "trainees.certificate_file": HOLDER,
    "trainees.revoke_page": ADMINS,
    "trainees.issue_after_revocation": ADMINS,
    "trainees.reissue_page": ADMINS,
    "trainees.expiring": ADMINS,
    "trainees.expiring_csv": ADMINS,
    "trainees.verify_page": EVERYONE,
    "trainees.approvals": STAFF,  # an approver sees what waits; anybody else, that nothing does
    "trainees.approve_course_page": STAFF,
    "trainees.approve_page": STAFF,
    "trainees.refuse_page": STAFF,
    "trainees.certificate_credential": HOLDER,
    "trainees.credential_keys": EVERYONE,
    "trainees.organisation_report_page": STAFF,
    "trainees.organisation_report_xlsx": STAFF,
    "trainees.organisation_report_pdf": STAFF,
    "trainees.register_page": ADMINS,
    "trainees.register_csv": ADMINS,
    "trainees.register_xlsx": ADMINS,
    # API
    "Tokens.Tokens": {"POST": EVERYONE, "DELETE": SIGNED_IN},
    "Users.Users": ADMINS,
    "Users.UserById": ADMINS,
    "Organisations.Organisations": ADMINS,
    "Organisations.OrganisationById": ADMINS,
    "Programmes.Programmes": {"GET": STAFF, "POST": ADMINS},
    "Programmes.ProgrammeById": {"GET": STAFF, "PATCH": ADMINS},
    "Courses.Courses": {"GET": STAFF, "POST": ADMINS},
    "Courses.CourseById": {"GET": COURSE_STAFF, "PATCH": ADMINS},
    "Courses.CoursePlan": {"GET": ON_COURSE, "PUT": ADMINS},
    "Attendance.AttendanceSheetResource": COURSE_STAFF,
    "Days off.CancelDay": ADMINS,
    "Trainees.Trainees": ADMINS,
    "Trainees.TraineeById": ADMINS,
    "Trainees.TraineeImport": ADMINS,
    "Enrolments.CourseEnrolments": {"GET": COURSE_STAFF, "POST": ADMINS},
    "Enrolments.EnrolmentById": COURSE_STAFF,
    "Enrolments.EnrolmentWithdrawal": ADMINS,
    "Results.ModuleAttempts": {"GET": ON_COURSE, "POST": COURSE_STAFF},
    "Results.AttemptById": COURSE_STAFF,
    "Results.EnrolmentProgress": ON_COURSE,
    "Certificates.EnrolmentCertificate": ADMINS,
    "Certificates.CourseCertificates": ADMINS,
    "Certificates.CertificateByNumber": HOLDER,
    "Certificates.CertificateRevocation": ADMINS,
    "Certificates.CertificateReissue": ADMINS,
    "Certificates.Verification": EVERYONE,
    "Certificate approvals.CertificateApproval": STAFF,  # then may_approve_certificate
    "Certificate approvals.CertificateRefusal": STAFF,
    "Certificate approvals.WaitingForApproval": STAFF,
    "Certificate approvals.CourseApproval": STAFF,
    "Reports.OrganisationReport": STAFF,
    "Qualifications.Qualifications": ADMINS,
}
NOT_JUDGED = {"static", "bootstrap.static", "api-docs.openapi_json"}


def rules_to_judge(app):
    for rule in sorted(app.url_map.iter_rules(), key=lambda r: (r.rule, r.endpoint)):
        if rule.endpoint in NOT_JUDGED:
            continue
        for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
            yield rule, method


def allowed(endpoint: str, method: str):
    decision = EXPECTED.get(endpoint)
    return decision.get(method) if isinstance(decision, dict) else decision


def test_every_route_has_a_decision(app):
    missing = [
        f"{method} {rule.rule} ({rule.endpoint})"
        for rule, method in rules_to_judge(app)
        if allowed(rule.endpoint, method) is None
    ]
    assert missing == [], "routes without a decision in EXPECTED"
    endpoints = {rule.endpoint for rule in app.url_map.iter_rules()}
    assert sorted(set(EXPECTED) - endpoints) == [], "decisions about routes that do not exist"


def judge(persona: Persona, method, path, endpoint, may: bool) -> str | None:
    """What is wrong with the answer, in words, or None."""
    response = persona.send(method, path, endpoint)
    status = response.status_code
    if may:
        if status in (401, 403) or status >= 400 or to_login(response):
            return f"allowed but answered {status} {response.headers.get('Location', '')}"
        return None
    if persona.name != ANON:
        return None if status == 403 else f"refused but answered {status}"
    if path.startswith("/api/"):
        return None if status == 401 else f"anonymous API call answered {status}"
    return None if to_login(response) else f"anonymous page answered {status}"


def test_every_route_answers_each_persona_as_the_table_says(app, accounts, monkeypatch):
    values, people = build_scenario(app, accounts, monkeypatch)
    personas = [Persona(app, accounts, name, people.get(name)) for name in PERSONAS]
    wrong, judged = [], 0
    for rule, method in rules_to_judge(app):
        may = allowed(rule.endpoint, method)
        assert may is not None, f"{rule.endpoint} has no decision"
        given = {**values, **PARAMETERS.get(rule.endpoint, {})}
        _, path = rule.build({name: given[name] for name in rule.arguments}, False)
        for persona in personas:
            if method in WRITES and persona.name in may:
                continue  # a refusal is all a write is checked for
            judged += 1
            problem = judge(persona, method, path, rule.endpoint, persona.name in may)
            if problem:
                wrong.append(f"{method} {path} as {persona.name}: {problem}")
    assert judged > 400
    assert not wrong, "\n".join(wrong)


@pytest.mark.parametrize("method", ["POST", "PATCH"])
def test_a_refused_api_write_changes_nothing(app, accounts, monkeypatch, method):
    values, people = build_scenario(app, accounts, monkeypatch)
    trainee = Persona(app, accounts, TRAINEE, people[TRAINEE])
    path = f"/api/v1/courses/{values['course_id']}"
    body = {"title": "Taken over"} if method == "PATCH" else {"code": "X-1", "title": "X"}
    target = path if method == "PATCH" else "/api/v1/courses"
    response = trainee.client.open(target, method=method, headers=trainee.headers, json=body)
    assert response.status_code == 403
    admin = Persona(app, accounts, ADMIN, people[ADMIN])
    listing = admin.client.get("/api/v1/courses", headers=admin.headers).json
    assert [course["title"] for course in listing["items"]] == ["Course CRS-1"]


def test_another_instructor_lists_nothing_of_the_course(app, accounts, monkeypatch):
    _, people = build_scenario(app, accounts, monkeypatch)
    for name, shown in ((OTHER_INSTRUCTOR, []), (INSTRUCTOR, ["CRS-1"])):
        persona = Persona(app, accounts, name, people[name])
        listing = persona.client.get("/api/v1/courses", headers=persona.headers).json
        assert [course["code"] for course in listing["items"]] == shown
        for page in ("/courses", "/instructor"):
            assert ("CRS-1" in persona.client.get(page).text) == bool(shown), page
