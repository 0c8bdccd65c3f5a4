"""Thin administration views of the letter templates: list, edit per language, preview with a sample case."""

from __future__ import annotations

from flask import Response, flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import force_locale
from flask_babel import gettext as _
from flask_login import current_user, login_required

from caseflow import access, audit, uow
from caseflow.clock import utcnow
from caseflow.errors import CaseFlowError
from caseflow.i18n import LANGUAGE_NAMES, unit_name
from caseflow.letters import bp, placeholders
from caseflow.letters import operations as ops
from caseflow.letters.defaults import DEFAULTS
from caseflow.letters.forms import KIND_LABELS, TemplateForm
from caseflow.letters.render import LetterText, render_letter
from caseflow.models.letters import LetterKind
from caseflow.reports.pdf import DocMeta

KINDS = "subject_notice, interview_invitation, referral, acknowledgement"
# The sample case of the preview: invented, so an administrator (who reads no case) sees a letter filled in.
SAMPLE = {"case_number": "IA-2026-00042", "office": "Port of Tanger Med", "today": "", "investigator": "Ana Sousa",
          "recipient_name": "Karim Benali", "subject_name": "Karim Benali",
          "allegations": "1. Solicited 200 euros to clear a container\n2. Released goods without inspection",
          "interviewee_name": "Lucia Gomez", "interview_date": "", "interview_time": "10:30",
          "interview_place": "Headquarters, room 4", "receiving_body": "Public Prosecutor's Office",
          "referral_reference": "PP/2026/118", "referral_date": "", "complainant_name": "Lucia Gomez",
          "received_date": ""}


def _sample(language: str) -> dict[str, str]:
    from babel.dates import format_date

    day = format_date(utcnow(), format="long", locale=language)
    return SAMPLE | {"today": day, "interview_date": day, "referral_date": day, "received_date": day,
                     "unit": unit_name()}


@bp.get("/admin/letters")
@login_required
def admin_templates() -> ResponseReturnValue:
    """List the letter templates per kind and language: shipped default, or edited by whom and when."""
    access.require(access.can_edit_letter_templates(current_user))
    rows = [(kind, [(lang, ops.stored_template(kind, lang)) for lang in ops.languages()]) for kind in LetterKind]
    return render_template("letters/admin_list.html", rows=rows, kind_labels=KIND_LABELS,
                           language_names=LANGUAGE_NAMES)


@bp.route(f"/admin/letters/<any({KINDS}):letter_kind>/<lang>", methods=["GET", "POST"])
@login_required
def admin_template(letter_kind: str, lang: str) -> ResponseReturnValue:
    """Edit one template in one language: preview it with a sample case (text or PDF), save it, or reset it."""
    access.require(access.can_edit_letter_templates(current_user))
    kind = LetterKind(letter_kind)
    if lang not in ops.languages():
        return redirect(url_for("letters.admin_templates"))
    form = TemplateForm()
    if request.method == "GET":
        form.subject.data, form.body.data = ops.template_text(kind, lang)
    action = request.form.get("action", "preview")
    preview, status = None, 200
    if request.method == "POST" and action == "reset":
        ops.reset_template(kind, lang, current_user)
        flash(_("The shipped text is back."), "success")
        return redirect(url_for("letters.admin_template", letter_kind=letter_kind, lang=lang))
    if request.method == "POST":
        status = 400
        if form.validate_on_submit():
            try:
                placeholders.check(form.subject.data or "", form.body.data or "", kind)
                if action == "save":
                    ops.save_template(kind, lang, form.subject.data or "", form.body.data or "",
                                      current_user)
                    flash(_("Template saved."), "success")
                    return redirect(url_for("letters.admin_template", letter_kind=letter_kind, lang=lang))
                with force_locale(lang):
                    values = _sample(lang)
                    text = LetterText(unit=values["unit"], office=values["office"], date=values["today"],
                                      references=[(_("Our reference"), values["case_number"])],
                                      recipient=[values["recipient_name"]],
                                      subject=placeholders.fill(form.subject.data or "", kind, values),
                                      body=placeholders.fill(form.body.data or "", kind, values))
                    if action == "pdf":
                        meta = DocMeta(title=_("Sample letter"), subject=_("Sample letter"), report_id="—",
                                       chain_head=audit.head_hash(), classification=_("SAMPLE — NOT ISSUED"),
                                       issued=utcnow().strftime("%Y-%m-%d %H:%M UTC"), id_label=_("Letter reference"))
                        return Response(render_letter(text, meta), mimetype="application/pdf",
                                        headers={"Content-Disposition": 'attachment; filename="sample-letter.pdf"',
                                                 "Cache-Control": "no-store"})
                preview, status = text, 200
            except CaseFlowError as exc:
                uow.discard()
                form.body.errors = [*form.body.errors, exc.message]
                status = 400
    return render_template("letters/admin_edit.html", form=form, kind=kind, lang=lang, preview=preview,
                           kind_labels=KIND_LABELS, language_names=LANGUAGE_NAMES,
                           names=[(n, placeholders.DESCRIPTIONS[n]) for n in placeholders.allowed(kind)],
                           edited=ops.stored_template(kind, lang), default=DEFAULTS[kind][lang]), status
