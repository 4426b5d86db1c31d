"""The demo's fixed data: ministries, programme, names, rosters and accounts."""

from models.account import Role

ORGANISATIONS = [
    {
        "code": "AZ-MES",
        "name": "Ministry of Emergency Situations of the Republic of Azerbaijan",
        "country": "AZ",
        "language": "az",
    },
    {
        "code": "RU-EMERCOM",
        "name": "EMERCOM of Russia",
        "country": "RU",
        "language": "ru",
    },
]

PROGRAMME = {
    "code": "EOD-1",
    "title": "Humanitarian demining and UXO clearance",
    # The certificate says "EOD level 1 (IMAS 09.30): <qualification>": the text names
    # the trade, not the level again.
    "qualification": "Humanitarian demining operator",
    "eod_level": "1",
    # Both ministries approve each certificate before it is valid (four eyes).
    "certificate_approvals": "each_organisation",
    "modules": [
        # code, title, hours, kind, pass mark, mandatory, prerequisites
        ("SAFE", "Safety and IMAS rules", 16, "theory", 70, True, []),
        ("RECOG", "Mine and UXO recognition", 40, "theory", 75, True, ["SAFE"]),
        ("DETECT", "Detector operation", 32, "practical", None, True, ["SAFE"]),
        ("DRILL", "Manual demining drills", 48, "practical", None, True, ["RECOG", "DETECT"]),
        ("BAC", "Battle-area clearance", 40, "field", None, True, ["DRILL"]),
        ("DEMO", "Demolition procedures", 32, "practical", None, True, ["RECOG"]),
        ("MED", "First aid and casualty evacuation", 24, "practical", None, True, []),
        ("MARK", "Marking and reporting", 16, "theory", 70, True, ["RECOG"]),
        ("NTS", "Non-technical survey", 16, "theory", 60, False, ["MARK"]),
        ("FFX", "Final field exercise", 32, "field", None, True, ["BAC", "DEMO", "MED"]),
    ],
}
MODULE_KEYS = ("code", "title", "hours", "kind", "pass_mark", "mandatory", "prerequisites")

AZ_FIRST = [
    "Əli",
    "Rəşad",
    "Elvin",
    "Orxan",
    "Tural",
    "Kamran",
    "Samir",
    "Ramil",
    "Nicat",
    "Fərid",
    "Vüsal",
    "Elşən",
    "Ceyhun",
    "Anar",
    "Murad",
    "Rauf",
    "Emin",
    "İlkin",
    "Şahin",
    "Zaur",
    "Elnur",
    "Cavid",
    "Rövşən",
    "Namiq",
]
AZ_LAST = [
    "Məmmədov",
    "Əliyev",
    "Həsənov",
    "Hüseynov",
    "Quliyev",
    "İsmayılov",
    "Abbasov",
    "Cəfərov",
    "Rəhimov",
    "Nəsirov",
    "Bağırov",
    "Kərimov",
    "Sadıqov",
    "Orucov",
    "Əsgərov",
    "Musayev",
    "Qasımov",
    "Vəliyev",
    "İbrahimov",
    "Salmanov",
    "Babayev",
    "Zeynalov",
    "Novruzov",
    "Şükürov",
]
AZ_RANKS = ["leytenant", "baş leytenant", "kapitan", "gizir"]
RU_NAMES = [
    "Алексей Смирнов",
    "Дмитрий Иванов",
    "Сергей Кузнецов",
    "Андрей Попов",
    "Николай Соколов",
    "Михаил Лебедев",
    "Игорь Козлов",
    "Павел Новиков",
    "Юрий Морозов",
    "Олег Петров",
    "Виктор Волков",
    "Евгений Соловьёв",
]
RU_RANKS = ["лейтенант", "старший лейтенант", "капитан", "прапорщик"]
# Who is on which demo course: (course code, organisation, first index, how many).
ROSTERS = [
    ("AGH-2021-01", "AZ-MES", 0, 16),
    ("AGH-2021-01", "RU-EMERCOM", 0, 8),
    ("AGH-CURRENT", "AZ-MES", 16, 8),
    ("AGH-CURRENT", "RU-EMERCOM", 8, 4),
]
DEMO_TRAINEE = ("AZ-MES", "FHN-1016")  # Əli Məmmədov of the current intake signs in

ACCOUNTS = [
    {
        "email": "admin@demo.example.org",
        "password": "demo-admin-password",
        "role": Role.ADMIN,
        "full_name": "Leyla Hüseynova",
    },
    {
        "email": "instructor@demo.example.org",
        "password": "demo-instructor-password",
        "role": Role.INSTRUCTOR,
        "full_name": "Rəşad Quliyev",
    },
    {
        "email": "instructor.ru@demo.example.org",
        "password": "demo-instructor-password",
        "role": Role.INSTRUCTOR,
        "full_name": "Андрей Волков",
    },
    {
        "email": "trainee@demo.example.org",
        "password": "demo-trainee-password",
        "role": Role.TRAINEE,
        "full_name": "Əli Məmmədov",
        "trainee": DEMO_TRAINEE,
    },
]


INSTRUCTOR_ORGANISATIONS = {
    "instructor@demo.example.org": "AZ-MES",
    "instructor.ru@demo.example.org": "RU-EMERCOM",
}
