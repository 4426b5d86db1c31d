"""The accounts page: found by name or e-mail and role, fifty at a time.

Trainees get accounts too, so the list grows into the thousands over the years.
"""

from sqlalchemy import select

from extensions import db
from models.account import Role, User


def add_trainee_accounts(app, count: int) -> None:
    """Accounts made through the model, sharing one password hash: hashing each is slow."""
    with app.app_context():
        password_hash = db.session.scalars(select(User.password_hash)).first()
        db.session.add_all(
            User(
                email=f"trainee-{n:03d}@example.org",
                full_name=f"Kursant {n:03d}",
                role=Role.TRAINEE,
                password_hash=password_hash,
            )
            for n in range(count)
        )
        db.session.commit()


def rows(html: str) -> int:
    return html.split("<tbody>")[1].split("</tbody>")[0].count("<tr")


def test_the_list_is_paged_and_counts_every_account(app, client, accounts):
    accounts.login_as(Role.ADMIN)
    add_trainee_accounts(app, 60)
    first = client.get("/users").text
    assert "61 accounts" in first
    assert rows(first) == 50
    assert 'href="/users?page=2"' in first
    second = client.get("/users?page=2").text
    assert rows(second) == 11
    far = client.get("/users?page=99999999999999999999")  # an old link: the last page
    assert far.status_code == 302 and far.headers["Location"] == "/users?page=2"


def test_accounts_are_found_by_name_or_e_mail_and_role(app, client, accounts):
    accounts.login_as(Role.ADMIN)
    accounts.make(Role.INSTRUCTOR, email="k.mammadov@mes.example.org", full_name="Məmmədov Kamran")
    add_trainee_accounts(app, 3)

    found = client.get("/users", query_string={"q": "MƏMMƏD"}).text  # any case, any alphabet
    assert "Məmmədov Kamran" in found and rows(found) == 1
    assert "1 account" in found
    by_mail = client.get("/users", query_string={"q": "mes.example"}).text
    assert "k.mammadov@mes.example.org" in by_mail and rows(by_mail) == 1
    trainees = client.get("/users", query_string={"role": "trainee"}).text
    assert rows(trainees) == 3 and "Məmmədov" not in trainees
    assert 'value="trainee" selected' in trainees
    unknown_role = client.get("/users", query_string={"role": "emperor"}).text
    assert rows(unknown_role) == 5  # ignored: every account
    wildcard = client.get("/users", query_string={"q": "%"}).text  # a letter, not a wildcard
    assert "No account matches." in wildcard


def test_azerbaijani_names_are_found_however_they_are_typed(app, client, accounts):
    accounts.login_as(Role.ADMIN)
    accounts.make(Role.INSTRUCTOR, full_name="İsmayılov Elçin")
    accounts.make(Role.INSTRUCTOR, full_name="Əliyev Rauf")
    accounts.make(Role.INSTRUCTOR, full_name="Смирнов Алексей")
    for typed, name in [
        ("İSMAYIL", "İsmayılov Elçin"),
        ("ismayil", "İsmayılov Elçin"),
        ("elcin", "İsmayılov Elçin"),
        ("ƏLİYEV", "Əliyev Rauf"),
        ("aliyev", "Əliyev Rauf"),  # the passport spelling
        ("eliyev", "Əliyev Rauf"),  # a keyboard without Ə
        ("СМИРНОВ", "Смирнов Алексей"),
    ]:
        found = client.get("/users", query_string={"q": typed}).text
        assert name in found and rows(found) == 1, typed

    # A renamed account is found by its new name, not its old one.
    renamed = accounts.make(Role.INSTRUCTOR, full_name="Quliyev Vüqar")
    with app.app_context():
        db.session.get(User, renamed["id"]).full_name = "Qasımov Vüqar"
        db.session.commit()
    assert rows(client.get("/users", query_string={"q": "qasimov"}).text) == 1
    assert "No account matches." in client.get("/users", query_string={"q": "quliyev"}).text


def test_the_page_runs_as_many_queries_for_600_accounts_as_for_6(
    app, client, accounts, count_queries
):
    accounts.login_as(Role.ADMIN)
    add_trainee_accounts(app, 5)
    client.get("/users")
    with count_queries() as few:
        client.get("/users")
    with app.app_context():
        db.session.execute(User.__table__.delete().where(User.role == Role.TRAINEE))
        db.session.commit()
    add_trainee_accounts(app, 600)
    with count_queries() as many:
        assert rows(client.get("/users").text) == 50
    assert many.count == few.count
