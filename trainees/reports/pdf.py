"""The report as a printable A4 document: the tables, and the two charts as vector drawings.

Platypus lays the tables out over as many pages as they need; the charts are
ReportLab drawings (vectors, sharp in print) of the same figures as the page's SVG.
"""

import io
from xml.sax.saxutils import escape

from flask_babel import format_date
from flask_babel import gettext as _
from reportlab.graphics.charts.barcharts import HorizontalBarChart
from reportlab.graphics.charts.legends import Legend
from reportlab.graphics.shapes import Drawing
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from core.formats import number
from core.i18n import percent
from models import Organisation
from trainees.certificates.pdf import FONTS
from trainees.charts import PALETTE
from trainees.reports.figures import Report
from trainees.reports.tables import all_tables, organisation_name

# Landscape: the organisations' table has eleven columns, which A4 upright cut mid-word.
PAGE = landscape(A4)
WIDTH = PAGE[0] - 30 * mm
TITLE = ParagraphStyle("title", fontName="DejaVu-Bold", fontSize=16, leading=20)
HEADING = ParagraphStyle("heading", fontName="DejaVu-Bold", fontSize=11, leading=16)
CELL = ParagraphStyle("cell", fontName="DejaVu", fontSize=7.5, leading=9)
HEAD_CELL = ParagraphStyle("head", parent=CELL, fontName="DejaVu-Bold", fontSize=6.5, leading=8)
PADDING = 6 + 2  # a cell's left and right padding, and a little air


def _fonts() -> None:
    registered = pdfmetrics.getRegisteredFontNames()
    for name, file in (("DejaVu", "DejaVuSans.ttf"), ("DejaVu-Bold", "DejaVuSans-Bold.ttf")):
        if name not in registered:
            pdfmetrics.registerFont(TTFont(name, str(FONTS / file)))


def _shown(value) -> str:
    """Numbers as the reader's language writes them (Babel); text as it is."""
    if isinstance(value, float):
        return percent(value, sign=False)
    if isinstance(value, int):
        return percent(value, digits=0, sign=False)
    if value is None:
        return "—"
    return str(value)


def _table(header, rows) -> Table:
    # Paragraph reads markup: names typed by people are escaped first.
    data = [[Paragraph(escape(str(cell)), HEAD_CELL) for cell in header]]
    data += [[Paragraph(escape(_shown(cell)), CELL) for cell in row] for row in rows]
    table = Table(data, repeatRows=1, colWidths=_widths([str(cell) for cell in header], rows))
    table.setStyle(
        TableStyle(
            [
                ("GRID", (0, 0), (-1, -1), 0.25, colors.grey),
                ("BACKGROUND", (0, 0), (-1, 0), colors.Color(0.92, 0.92, 0.92)),
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
            ]
        )
    )
    return table


def _widths(header: list[str], rows) -> list[float]:
    """Each column at least as wide as the longest word it holds, so that no word breaks
    ("Посещаемость", "Свидетельства" in a heading); what is left goes mostly to the
    first column, which names an organisation or a course."""
    least = []
    for index, title in enumerate(header):
        words = [(w, "DejaVu-Bold", HEAD_CELL.fontSize) for w in title.split()]
        words += [(w, "DejaVu", CELL.fontSize) for row in rows for w in _shown(row[index]).split()]
        least.append(max(pdfmetrics.stringWidth(*word) for word in words) + PADDING)
    if sum(least) > WIDTH:  # a word longer than any page allows: all narrower, on the page
        return [width * WIDTH / sum(least) for width in least]
    left = WIDTH - sum(least)
    return [least[0] + left / 2] + [width + left / 2 / (len(least) - 1) for width in least[1:]]


def _bars(labels: list[str], series: list[list[float]], names: list[str]) -> Drawing:
    """Horizontal bars from 0 to 100 %, one series per organisation (or one in all)."""
    height = 30 + 14 * len(labels) * max(len(series), 1)
    drawing = Drawing(WIDTH, height + 20)
    chart = HorizontalBarChart()
    chart.x, chart.y, chart.width, chart.height = 70, 10, WIDTH - 200, height
    chart.data = series
    chart.categoryAxis.categoryNames = labels
    chart.categoryAxis.labels.fontName = "DejaVu"
    chart.categoryAxis.labels.fontSize = 7
    chart.valueAxis.valueMin, chart.valueAxis.valueMax, chart.valueAxis.valueStep = 0, 100, 20
    chart.valueAxis.labels.fontName = "DejaVu"
    chart.valueAxis.labels.fontSize = 7
    chart.barLabelFormat = lambda value: number(value, 1)  # 95,8 as the tables write it
    # Bars are drawn from the bottom up: reversed, the first module is at the top, as listed.
    chart.categoryAxis.reverseDirection = 1
    chart.barLabels.fontName = "DejaVu"
    chart.barLabels.fontSize = 6
    chart.barLabels.boxAnchor = "w"
    for index in range(len(series)):
        chart.bars[index].fillColor = colors.HexColor(PALETTE[index % len(PALETTE)])
    drawing.add(chart)
    if len(names) > 1:
        legend = Legend()
        legend.x, legend.y = WIDTH - 120, height
        legend.fontName, legend.fontSize = "DejaVu", 7
        legend.colorNamePairs = [
            (colors.HexColor(PALETTE[i % len(PALETTE)]), name) for i, name in enumerate(names)
        ]
        drawing.add(legend)
    return drawing


def _charts(report: Report) -> list:
    parts = []
    courses = [c for c in report.courses if c.attendance.rate is not None]
    if courses:
        parts += [
            Paragraph(escape(_("Attendance per course")), HEADING),
            _bars([c.code for c in courses], [[c.attendance.rate for c in courses]], [""]),
        ]
    codes = list(dict.fromkeys(m.code for row in report.organisations for m in row.modules))
    if codes:
        names = [organisation_name(row.organisation) for row in report.organisations]
        series = []
        for row in report.organisations:
            rates = {m.code: m.pass_rate for m in row.modules}
            series.append([rates.get(code) or 0 for code in codes])
        parts += [
            Paragraph(escape(_("Pass rate per module, by organisation")), HEADING),
            _bars(codes, series, names),
        ]
    return parts


def report_pdf(report: Report, organisation: Organisation | None = None) -> bytes:
    """The report; of one organisation, it says so under the title."""
    _fonts()
    buffer = io.BytesIO()
    title = _("Report by organisation")
    document = SimpleDocTemplate(
        buffer, pagesize=PAGE, leftMargin=15 * mm, rightMargin=15 * mm, title=title
    )
    period = _(
        "From %(start)s to %(end)s",
        start=format_date(report.start, "long"),
        end=format_date(report.end, "long"),
    )
    story = [Paragraph(escape(title), TITLE)]
    if organisation is not None:
        story.append(Paragraph(escape(organisation_name(organisation)), HEADING))
    story += [Paragraph(escape(period), CELL), Spacer(1, 6 * mm)]
    for heading, header, rows in all_tables(report):
        story += [Paragraph(escape(heading), HEADING), _table(header, rows), Spacer(1, 4 * mm)]
    story += _charts(report)
    document.build(story)
    return buffer.getvalue()
