"""Trainees are found however their names are typed: Azerbaijani letters on any keyboard."""

import pytest

from models.account import Role
from tests.factories import make_trainee


@pytest.mark.parametrize(
    "typed",
    ["Vəliyev", "veliyev", "Valiyev", "VƏLİYEV", "Əli", "ali", "eli", "Qasimov", "qasımov"],
)
def test_search_finds_azerbaijani_names_typed_without_their_letters(client, accounts, app, typed):
    make_trainee(app, full_name="Əli Vəliyev Qasımov", full_name_latin="Ali Valiyev Gasimov")
    make_trainee(app, full_name="Алексей Смирнов")
    accounts.login_as(Role.ADMIN)
    page = client.get("/trainees", query_string={"q": typed}).text
    assert "Əli Vəliyev Qasımov" in page
    assert "Алексей Смирнов" not in page
