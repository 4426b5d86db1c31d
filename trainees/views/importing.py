"""The import page: upload a CSV or XLSX file, read the report beside it."""

from flask import flash, redirect, render_template, request, url_for
from flask_babel import ngettext

from auth.permissions import roles
from extensions import db
from models.account import Role
from trainees import bp
from trainees.forms import ImportForm
from trainees.importing import COLUMNS, ImportRefused, import_trainees, read_rows


@bp.route("/trainees/import", methods=["GET", "POST"])
@roles(Role.ADMIN)
def import_page():
    """Import trainees: every row or none, with each bad row listed."""
    form = ImportForm()
    report = None
    if form.validate_on_submit():
        upload = form.file.data
        try:
            created = import_trainees(read_rows(upload.filename, upload.read()))
        except ImportRefused as refusal:
            db.session.rollback()
            report = refusal
        else:
            db.session.commit()
            flash(
                ngettext(
                    "%(num)d trainee imported from %(file)s.",
                    "%(num)d trainees imported from %(file)s.",
                    len(created),
                    file=upload.filename,
                ),
                "success",
            )
            return redirect(url_for("trainees.trainee_list"))
    status = 422 if request.method == "POST" else 200
    return render_template(
        "trainees/import.html", form=form, report=report, columns=COLUMNS
    ), status
