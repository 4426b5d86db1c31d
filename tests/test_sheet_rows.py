"""The sheet's rows, written without the template: every value escaped, nothing read twice."""

import re
from collections import namedtuple

from courses.views.sheet_rows import sheet_rows

Line = namedtuple("Line", "trainee_id enrolment_id full_name full_name_latin organisation")
Record = namedtuple("Record", "status note")
NAMES = {"present": "Present", "absent": "Absent", "excused": "Excused", "late": "Late"}


def checked(row: str) -> list[str]:
    return re.findall(r'value="(\w+)" autocomplete="off" checked', row)


def test_names_notes_and_labels_are_text_even_with_markup_or_braces(app):
    line = Line(7, 70, 'Ann <b>"{id}"</b>', "Ann {note}", "<i>AZ-MES</i>")
    labels = {**NAMES, "late": "Late {name} <em>"}
    with app.test_request_context("/"):
        (row,) = sheet_rows([line], {70: Record("late", "{id} & <script>")}, {}, True, labels)
    assert "<b>" not in row and "<script>" not in row and "<i>" not in row and "<em>" not in row
    assert 'data-name="Ann &lt;b&gt;&#34;{id}&#34;&lt;/b&gt;"' in row
    assert "Ann {note} · &lt;i&gt;AZ-MES&lt;/i&gt;" in row
    assert 'value="{id} &amp; &lt;script&gt;"' in row
    assert ">Late &#123;name&#125; &lt;em&gt;</label>" in row
    assert checked(row) == ["late"]
    assert row.count('name="status-7"') == 4 and 'id="note-7"' in row


def test_a_refused_save_shows_what_was_sent_and_a_new_trainee_is_present(app):
    lines = [Line(1, 10, "Ann", "Ann", "AZ"), Line(2, 20, "Bob", "Bob", "RU")]
    stored = {10: Record("absent", "stored")}
    with app.test_request_context("/"):
        first, second = sheet_rows(lines, stored, {10: ("excused", "sent")}, False, NAMES)
    assert checked(first) == ["excused"] and 'value="sent"' in first
    assert checked(second) == ["present"] and 'value=""' in second
    # Without the right to save, every button and the note are disabled.
    assert first.count(" disabled>") == 5
    # The Latin spelling is left out where it is the same name.
    assert "Bob · " not in second


def test_a_forged_status_sent_back_checks_no_button(app):
    with app.test_request_context("/"):
        (row,) = sheet_rows([Line(1, 10, "Ann", "Ann", "AZ")], {}, {10: ("x", "")}, True, NAMES)
    assert checked(row) == [] and row.count('type="radio"') == 4
