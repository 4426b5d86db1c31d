"""The demo's texts in Azerbaijani and Russian, both ministries' approvers, and their
approvals of the 2021 course's certificates (all but one, which still waits)."""

from sqlalchemy import select

from auth.accounts import create_user, find_user_by_email
from extensions import db
from models import Certificate, CertificateStatus, Course, Enrolment, Organisation, Programme, Role
from trainees.certificates.approvals import approve, awaits

ORGANISATION_NAMES = {
    "AZ-MES": {
        "az": "Azərbaycan Respublikasının Fövqəladə Hallar Nazirliyi",
        "ru": "Министерство по чрезвычайным ситуациям Азербайджанской Республики",
    },
    "RU-EMERCOM": {"az": "Rusiya Fövqəladə Hallar Nazirliyi", "ru": "МЧС России"},
}
PROGRAMME_TEXTS = {
    "title_i18n": {
        "az": "Humanitar minatəmizləmə və partlamamış hərbi sursatların zərərsizləşdirilməsi",
        "ru": "Гуманитарное разминирование и обезвреживание неразорвавшихся боеприпасов",
    },
    "qualification_i18n": {
        "az": "Humanitar minatəmizləmə operatoru",
        "ru": "Оператор гуманитарного разминирования",
    },
}
MODULE_TITLES = {
    "SAFE": ("Təhlükəsizlik və IMAS qaydaları", "Техника безопасности и правила IMAS"),
    "RECOG": ("Minaların və PHS-in tanınması", "Распознавание мин и ВОП"),
    "DETECT": ("Mina detektoru ilə iş", "Работа с миноискателем"),
    "DRILL": ("Əl ilə minatəmizləmə təlimləri", "Отработка ручного разминирования"),
    "BAC": ("Döyüş ərazisinin təmizlənməsi", "Очистка района боевых действий"),
    "DEMO": ("Partlatma prosedurları", "Порядок уничтожения подрывом"),
    "MED": ("İlk yardım və yaralıların təxliyəsi", "Первая помощь и эвакуация пострадавших"),
    "MARK": ("Nişanlama və hesabat", "Обозначение и отчётность"),
    "NTS": ("Qeyri-texniki tədqiqat", "Нетехническое обследование"),
    "FFX": ("Yekun sahə təlimi", "Итоговое полевое учение"),
}
COURSE_TEXTS = {
    "AGH-2021-01": ("Birgə minatəmizləmə kursu, Ağdam", "Совместный курс разминирования, Агдам"),
    "AGH-CURRENT": (
        "Birgə minatəmizləmə kursu, Ağdam (cari qəbul)",
        "Совместный курс разминирования, Агдам (текущий набор)",
    ),
}
LOCATION = {"az": "Ağdam rayonu təlim poliqonu", "ru": "Учебный полигон в Агдамском районе"}
APPROVERS = [
    {
        "email": "approver@demo.example.org",
        "password": "demo-approver-password",
        "role": Role.INSTRUCTOR,
        "full_name": "Elçin Həsənov",
        "organisation": "AZ-MES",
        "position": "Minatəmizləmə üzrə təlim idarəsinin rəisi",
        "rank": "polkovnik",
    },
    {
        "email": "approver.ru@demo.example.org",
        "password": "demo-approver-password",
        "role": Role.INSTRUCTOR,
        "full_name": "Игорь Лебедев",
        "organisation": "RU-EMERCOM",
        "position": "Начальник отдела подготовки пиротехников",
        "rank": "полковник",
    },
]


def seed_translations() -> None:
    """Fill the az/ru texts that are empty; what an administrator wrote is kept."""
    for organisation in db.session.scalars(select(Organisation)):
        if not organisation.name_i18n and organisation.code in ORGANISATION_NAMES:
            organisation.name_i18n = ORGANISATION_NAMES[organisation.code]
    programme = db.session.scalar(select(Programme).where(Programme.code == "EOD-1"))
    if programme is not None:
        for name, texts in PROGRAMME_TEXTS.items():
            if not getattr(programme, name):
                setattr(programme, name, texts)
        for module in programme.modules:
            if not module.title_i18n and module.code in MODULE_TITLES:
                az, ru = MODULE_TITLES[module.code]
                module.title_i18n = {"az": az, "ru": ru}
    for course in db.session.scalars(select(Course).where(Course.code.in_(COURSE_TEXTS))):
        if not course.title_i18n:
            az, ru = COURSE_TEXTS[course.code]
            course.title_i18n = {"az": az, "ru": ru}
        if not course.location_i18n:
            course.location_i18n = LOCATION
    db.session.flush()


def seed_approvers() -> list[tuple[dict, bool]]:
    """One approver per ministry (they teach nothing, so they recorded no result)."""
    seeded = []
    for values in APPROVERS:
        created = find_user_by_email(values["email"]) is None
        if created:
            organisation_id = db.session.scalar(
                select(Organisation.id).where(Organisation.code == values["organisation"])
            )
            create_user(
                **{key: value for key, value in values.items() if key != "organisation"},
                organisation_id=organisation_id,
                approver=True,
            )
        seeded.append((values, created))
    return seeded


def seed_approvals(course: Course) -> None:
    """Both ministries approve every waiting certificate but the last: that one waits."""
    pending = db.session.scalars(
        select(Certificate)
        .join(Enrolment, Enrolment.id == Certificate.enrolment_id)
        .where(
            Enrolment.course_id == course.id,
            Certificate.status == CertificateStatus.PENDING_APPROVAL,
        )
        .order_by(Certificate.number)
    ).all()
    approvers = [find_user_by_email(values["email"]) for values in APPROVERS]
    for certificate in pending[:-1]:
        for approver in approvers:
            if approver is not None and awaits(approver, certificate):
                approve(certificate, approver)
