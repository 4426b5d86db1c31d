"""`load_modules`: several programmes' modules in one statement, in their order."""

from sqlalchemy import select

from courses.presenters import load_modules
from extensions import db
from models import Programme
from tests.factories import make_programme, module


def test_each_programme_gets_its_own_modules_in_order_in_one_statement(app, count_queries):
    make_programme(app, "EOD-1", modules=[module("M2"), module("M1"), module("M3")])
    make_programme(app, "EOD-2", modules=[module("X1")])
    make_programme(app, "EOD-3", modules=[module("Y1")])
    with app.app_context():
        first, second, third = db.session.scalars(select(Programme).order_by(Programme.code))
        kept = third.modules  # read already: left as it is
        with count_queries() as counter:
            load_modules([first, second, third])
            load_modules([first, second, third])  # loaded already: nothing asked
            codes = [[m.code for m in p.modules] for p in (first, second, third)]
        assert counter.count == 1
        assert codes == [["M2", "M1", "M3"], ["X1"], ["Y1"]]
        assert third.modules is kept
        assert second.modules[0].programme is second
