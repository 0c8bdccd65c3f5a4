"""Thin views of letters on a case: choose, preview and issue a letter; download a kept report or letter."""

from __future__ import annotations

from flask import Response, abort, flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_login import current_user, login_required

from caseflow import access, uow
from caseflow.cases.loading import load_case
from caseflow.errors import AccessDeniedError, CaseFlowError
from caseflow.i18n import LANGUAGE_NAMES
from caseflow.letters import bp
from caseflow.letters import operations as ops
from caseflow.letters.forms import KIND_LABELS, LetterForm
from caseflow.models import Case
from caseflow.models.letters import LetterKind
from caseflow.reports import issued


def _form(case: Case) -> tuple[LetterForm, list[ops.Recipient]]:
    form = LetterForm()
    form.language.choices = [(code, LANGUAGE_NAMES.get(code, code)) for code in ops.languages()]
    people = ops.recipients(case, current_user)
    form.recipient.choices = [(r.key, f"{KIND_LABELS[r.kind]} — {r.label}") for r in people]
    if request.method == "GET":
        form.kind.data = request.args.get("kind") or form.kind.data
        form.recipient.data = request.args.get("recipient") or form.recipient.data
    return form, people


@bp.route("/cases/<number>/letters", methods=["GET", "POST"])
@login_required
def case_letters(number: str) -> ResponseReturnValue:
    """Choose a letter, its language and recipient; preview it; issue it as a PDF kept in the case."""
    case = load_case(number)
    access.require(access.can_issue_letters(current_user, case))
    form, people = _form(case)
    preview, status = None, 200
    if request.method == "POST":
        status = 400
        if form.validate_on_submit():
            kind = LetterKind(form.kind.data)
            try:
                if request.form.get("action") == "issue":
                    record, _letter = ops.issue_letter(case, current_user, kind, form.language.data or "",
                                                       form.recipient.data or "")
                    flash(_("Letter %(id)s issued and kept in the case (SHA-256 %(sha)s).", id=record.report_id,
                            sha=record.sha256), "success")
                    return redirect(url_for("reports.case_report", number=case.number) + "#issued")
                preview = ops.compose(case, current_user, kind, form.language.data or "", form.recipient.data or "")
                status = 200
            except AccessDeniedError as exc:
                uow.discard()
                access.deny(exc.message)
            except CaseFlowError as exc:
                uow.discard()
                flash(exc.message, "error")
                status = 409
    return render_template("letters/case_letters.html", case=case, form=form, people=people, preview=preview,
                           kind_labels=KIND_LABELS), status


@bp.get("/cases/<number>/issued/<int:issued_id>")
@login_required
def download_issued(number: str, issued_id: int) -> ResponseReturnValue:
    """Download a report or letter kept in the case (access-checked, audited)."""
    case = load_case(number)
    try:
        data, name = issued.download_issued(case, current_user, issued_id)
    except AccessDeniedError as exc:
        uow.discard()
        access.deny(exc.message)
    except issued.NotInCaseError:
        uow.discard()
        abort(404)
    except CaseFlowError as exc:
        uow.discard()
        flash(exc.message, "error")
        return redirect(url_for("reports.case_report", number=case.number) + "#issued")
    return Response(data, mimetype="application/pdf", headers={
        "Content-Disposition": f'attachment; filename="{name}"', "Cache-Control": "no-store",
        "Content-Security-Policy": "default-src 'none'; sandbox"})
