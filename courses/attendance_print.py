"""Printable attendance sheets (the paper fallback at the range), as A4 PDFs.

One day's sheet lists each trainee in both scripts with a column to mark and one to sign;
the blank week sheet has a column per training day of that week. ReportLab lays the table
out and breaks it over pages, repeating the header row. DejaVu Sans (vendored in
static/fonts) covers Azerbaijani and Cyrillic.
"""

import io
from collections.abc import Sequence
from datetime import date
from pathlib import Path
from xml.sax.saxutils import escape

from flask_babel import format_date
from flask_babel import gettext as _
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from core.translated import localised
from courses.attendance import SheetLine
from models import Course

FONTS = Path(__file__).resolve().parents[1] / "static" / "fonts"
MARGIN = 12 * mm


def _fonts() -> None:
    if "DejaVu" not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(TTFont("DejaVu", str(FONTS / "DejaVuSans.ttf")))
        pdfmetrics.registerFont(TTFont("DejaVu-Bold", str(FONTS / "DejaVuSans-Bold.ttf")))


def _styles() -> dict[str, ParagraphStyle]:
    return {
        "title": ParagraphStyle("title", fontName="DejaVu-Bold", fontSize=14, leading=18),
        "line": ParagraphStyle("line", fontName="DejaVu", fontSize=10, leading=13),
        "cell": ParagraphStyle("cell", fontName="DejaVu", fontSize=9, leading=11),
        "head": ParagraphStyle("head", fontName="DejaVu-Bold", fontSize=9, leading=11),
    }


def _heading(course: Course, title: str, when: str, styles) -> list:
    """The course in the reader's language (its translated title and place, where given).

    Paragraph reads its text as markup: names and titles are escaped first.
    """
    instructors = ", ".join(user.full_name for user in course.instructors)
    place = localised(course, "location")
    lines = [
        Paragraph(escape(title), styles["title"]),
        Paragraph(escape(f"{course.code} · {localised(course, 'title')}"), styles["line"]),
        Paragraph(escape(_("Location: %(place)s", place=place)), styles["line"]),
        Paragraph(escape(when), styles["line"]),
    ]
    if instructors:
        names = _("Instructors: %(names)s", names=instructors)
        lines.append(Paragraph(escape(names), styles["line"]))
    return [*lines, Spacer(1, 4 * mm)]


def _table(rows: list[list], widths: list[float]) -> Table:
    table = Table(rows, colWidths=widths, repeatRows=1)
    table.setStyle(
        TableStyle(
            [
                ("GRID", (0, 0), (-1, -1), 0.5, colors.black),
                ("BACKGROUND", (0, 0), (-1, 0), colors.Color(0.9, 0.9, 0.9)),
                ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
                # Room to sign by hand.
                ("TOPPADDING", (0, 1), (-1, -1), 7),
                ("BOTTOMPADDING", (0, 1), (-1, -1), 7),
            ]
        )
    )
    return table


def _names(number: int, line: SheetLine, styles) -> list:
    return [
        Paragraph(str(number), styles["cell"]),
        Paragraph(escape(line.full_name), styles["cell"]),
        Paragraph(escape(line.full_name_latin), styles["cell"]),
        Paragraph(escape(line.organisation), styles["cell"]),
    ]


def _footer(styles) -> list:
    return [
        Spacer(1, 6 * mm),
        Paragraph(_("Write present, late, absent or excused for each trainee."), styles["line"]),
        Spacer(1, 8 * mm),
        Paragraph(_("Instructor's name and signature:") + " " + "_" * 40, styles["line"]),
    ]


def _build(pagesize, story: list, title: str) -> bytes:
    buffer = io.BytesIO()
    document = SimpleDocTemplate(
        buffer,
        pagesize=pagesize,
        leftMargin=MARGIN,
        rightMargin=MARGIN,
        topMargin=MARGIN,
        bottomMargin=MARGIN,
        title=title,
    )
    document.build(story)
    return buffer.getvalue()


def day_sheet_pdf(course: Course, day: date, lines: Sequence[SheetLine]) -> bytes:
    """One training day: number, both names, organisation, status to write, signature."""
    _fonts()
    styles = _styles()
    title = _("Attendance sheet")
    head = [
        _("No."),
        _("Full name"),
        _("Full name (Latin)"),
        _("Organisation"),
        _("Status"),
        _("Signature"),
    ]
    rows = [[Paragraph(escape(text), styles["head"]) for text in head]]
    rows += [[*_names(number, line, styles), "", ""] for number, line in enumerate(lines, start=1)]
    widths = [12 * mm, 46 * mm, 40 * mm, 28 * mm, 22 * mm, 38 * mm]
    when = _("Date: %(day)s", day=format_date(day, "full"))
    story = [*_heading(course, title, when, styles), _table(rows, widths), *_footer(styles)]
    return _build(A4, story, f"{title} {course.code} {day.isoformat()}")


def week_sheet_pdf(course: Course, days: Sequence[date], lines: Sequence[SheetLine]) -> bytes:
    """A blank sheet for a week: a column to write in for each of its training days."""
    _fonts()
    styles = _styles()
    title = _("Attendance sheet for the week")
    head = [_("No."), _("Full name"), _("Full name (Latin)"), _("Organisation")]
    head = [escape(text) for text in head]
    head += [
        f"{escape(format_date(day, 'EEE'))}<br/>{escape(format_date(day, 'd MMM'))}" for day in days
    ]
    rows = [[Paragraph(text, styles["head"]) for text in head]]
    rows += [
        [*_names(number, line, styles), *[""] * len(days)]
        for number, line in enumerate(lines, start=1)
    ]
    names = [12 * mm, 50 * mm, 45 * mm, 28 * mm]
    free = landscape(A4)[0] - 2 * MARGIN - sum(names)
    widths = names + [free / max(len(days), 1)] * len(days)
    when = _(
        "Week of %(first)s to %(last)s",
        first=format_date(days[0], "long"),
        last=format_date(days[-1], "long"),
    )
    story = [*_heading(course, title, when, styles), _table(rows, widths), *_footer(styles)]
    return _build(landscape(A4), story, f"{title} {course.code} {days[0].isoformat()}")
