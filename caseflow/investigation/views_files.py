"""Thin views of downloads: files on tasks and notes, and the evidence register as PDF or CSV (checked, audited)."""

from __future__ import annotations

from io import BytesIO

from flask import Response, abort, send_file, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_login import current_user, login_required

from caseflow import access
from caseflow.cases.loading import load_case
from caseflow.clock import utcnow
from caseflow.errors import ValidationError
from caseflow.extensions import db
from caseflow.formflow import run_form
from caseflow.inputs import uploaded_files
from caseflow.investigation import bp, files, register_export, work_files
from caseflow.investigation.forms import TaskFilesForm
from caseflow.investigation.views import render_workspace
from caseflow.investigation.workspace import workspace_case
from caseflow.models import Task, WorkFile


@bp.post("/<number>/investigation/tasks/<int:task_id>/files", endpoint="attach_task_files")
@login_required
def attach_task_files(number: str, task_id: int) -> ResponseReturnValue:
    """Attach files to a task of the case."""
    case = workspace_case(number)
    access.require(access.can_work_case(current_user, case))
    task = db.session.get(Task, task_id)
    if task is None or task.case_id != case.id:
        abort(404)
    form = TaskFilesForm(prefix=f"tf{task.id}")

    def act() -> None:
        uploads = uploaded_files(form.files)
        if not uploads:
            raise ValidationError(_("Choose a file to attach."))
        work_files.attach_files(case, current_user, uploads, task=task)

    return run_form(form, act, _("File attached."), url_for("investigation.workspace", number=number),
                    lambda status: render_workspace(case, status))


@bp.get("/<number>/work-files/<int:file_id>", endpoint="work_file")
@login_required
def work_file(number: str, file_id: int) -> ResponseReturnValue:
    """Download a file of a task or a note, exactly as uploaded (audited)."""
    case = load_case(number)
    row = db.session.get(WorkFile, file_id)
    if row is None or row.case_id != case.id:
        abort(404)
    access.require(access.can_read_work_file(current_user, case, row.task_id is not None))
    data = work_files.read_work_file(row, current_user)
    if data is None:
        abort(404)
    return send_file(BytesIO(data), download_name=files.clean_name(row.filename or "file"), as_attachment=True,
                     mimetype="application/octet-stream")


@bp.get("/<number>/investigation/evidence/register.<fmt>", endpoint="export_register")
@login_required
def export_register(number: str, fmt: str) -> ResponseReturnValue:
    """Download the evidence register with every chain of custody, as PDF or CSV (audited)."""
    case = workspace_case(number)
    access.require(access.can_export_register(current_user, case))
    if fmt not in register_export.FORMATS:
        abort(404)
    data, mime = register_export.export_register(case, current_user, fmt)
    name = f"{case.number}-evidence-register-{utcnow():%Y%m%d-%H%M}.{fmt}"
    # content_type, not mimetype: werkzeug would append a second charset to the CSV's
    return Response(data, content_type=mime, headers={"Content-Disposition": f'attachment; filename="{name}"',
                                                      "Cache-Control": "no-store"})
