"""The questionnaire builder (administrators): thin views over the builder's operations; no JavaScript needed."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import sqlalchemy as sa
from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_login import current_user, login_required

from caseflow import access, uow
from caseflow.errors import CaseFlowError
from caseflow.extensions import db
from caseflow.i18n import is_rtl
from caseflow.models import User
from caseflow.models.questionnaires import Question, Questionnaire, QuestionnaireStatus, QuestionnaireStep
from caseflow.questionnaires import LANGUAGES
from caseflow.questionnaires import operations as ops
from caseflow.questionnaires.answers import CURRENCIES
from caseflow.questionnaires.forms import KIND_LABELS, ConfirmForm, CreateForm, QuestionForm, TitleForm

bp = Blueprint("questionnaires", __name__, url_prefix="/admin/questionnaires")


@bp.before_request
@login_required
def _admins_only() -> None:
    """Every page here is for administrators only."""
    access.require(access.can_build_questionnaires(current_user))


def _me() -> User:
    return current_user._get_current_object()  # type: ignore[no-any-return]


def _questionnaire(questionnaire_id: int) -> Questionnaire:
    return db.session.get(Questionnaire, questionnaire_id) or abort(404)


def _step(step_id: int) -> QuestionnaireStep:
    return db.session.get(QuestionnaireStep, step_id) or abort(404)


def _question(question_id: int) -> Question:
    return db.session.get(Question, question_id) or abort(404)


def _condition_choices(questionnaire: Questionnaire, before: int | None) -> list[tuple[str, str]]:
    """Offer the choice and yes/no questions of the steps before a position as conditions."""
    choices = [("", _("Always shown"))]
    for step in questionnaire.steps:
        if before is not None and step.position >= before:
            break
        choices += [(str(q.id), f"{step.position}. {q.label.get('en', '')}") for q in step.questions
                    if q.kind in ops.CONDITION_KINDS]
    return choices


def _question_form(step: QuestionnaireStep, question: Question | None = None) -> Any:
    form = QuestionForm(prefix=f"s{step.id}" if question is None else f"q{question.id}")
    form.condition.choices = _condition_choices(step.questionnaire, step.position)
    return form


def _page(questionnaire: Questionnaire, status: int = 200, **forms: Any) -> ResponseReturnValue:
    title_form = forms.get("title_form") or TitleForm(prefix="title")
    if "title_form" not in forms:
        title_form.fill_texts("title", questionnaire.title)
    step_forms = {}
    for step in questionnaire.steps:
        form = TitleForm(prefix=f"step{step.id}")
        form.fill_texts("title", step.title)
        step_forms[step.id] = form
    return render_template(
        "questionnaires/admin_questionnaire.html", questionnaire=questionnaire, title_form=title_form,
        step_forms=step_forms, new_step=forms.get("new_step") or TitleForm(prefix="newstep"),
        question_forms={s.id: _question_form(s) for s in questionnaire.steps}, confirm=ConfirmForm(),
        missing=ops.missing_translations(questionnaire), languages=LANGUAGES, kinds=KIND_LABELS,
        editable=questionnaire.status == QuestionnaireStatus.DRAFT,
        versions=db.session.scalars(sa.select(Questionnaire).where(Questionnaire.key == questionnaire.key)
                                    .order_by(Questionnaire.version)).all()), status


def _run(questionnaire: Questionnaire, action: Callable[[], Any], success: str,
         target: str | None = None) -> ResponseReturnValue:
    """Run one builder operation; a refusal is shown on the questionnaire's page (409) with nothing changed."""
    try:
        action()
    except CaseFlowError as exc:
        uow.discard()
        flash(exc.message, "error")
        return _page(db.session.get(Questionnaire, questionnaire.id) or abort(404), 409)
    flash(success, "success")
    return redirect(target or url_for("questionnaires.edit", questionnaire_id=questionnaire.id))


def _refused_form() -> ResponseReturnValue:
    flash(_("Please correct the errors in the form."), "error")
    return redirect(request.referrer or url_for("questionnaires.index"))


@bp.route("/", methods=["GET", "POST"])
def index() -> ResponseReturnValue:
    """List the questionnaires and their versions; create a new one."""
    form = CreateForm(prefix="new")
    status = 200
    if request.method == "POST":
        if form.validate_on_submit():
            try:
                created = ops.create_questionnaire(form.key.data or "", form.texts("title"), _me())
            except CaseFlowError as exc:
                uow.discard()
                flash(exc.message, "error")
                status = 409
            else:
                flash(_("Questionnaire created as a draft."), "success")
                return redirect(url_for("questionnaires.edit", questionnaire_id=created.id))
        else:
            status = 400
    rows = db.session.scalars(sa.select(Questionnaire).order_by(Questionnaire.key, Questionnaire.version)).all()
    return render_template("questionnaires/admin_list.html", rows=rows, form=form, languages=LANGUAGES), status


@bp.get("/<int:questionnaire_id>")
def edit(questionnaire_id: int) -> ResponseReturnValue:
    """One version: its steps and questions, the translations side by side, and what it still lacks."""
    return _page(_questionnaire(questionnaire_id))


@bp.post("/<int:questionnaire_id>/title")
def update_title(questionnaire_id: int) -> ResponseReturnValue:
    """Change a draft's title."""
    questionnaire = _questionnaire(questionnaire_id)
    form = TitleForm(prefix="title")
    if not form.validate_on_submit():
        return _page(questionnaire, 400, title_form=form)
    return _run(questionnaire, lambda: ops.update_title(questionnaire, form.texts("title"), _me()),
                _("Title saved."))


@bp.post("/<int:questionnaire_id>/steps")
def add_step(questionnaire_id: int) -> ResponseReturnValue:
    """Add a step to a draft."""
    questionnaire = _questionnaire(questionnaire_id)
    form = TitleForm(prefix="newstep")
    if not form.validate_on_submit():
        return _page(questionnaire, 400, new_step=form)
    return _run(questionnaire, lambda: ops.add_step(questionnaire, form.texts("title"), _me()), _("Step added."))


@bp.post("/steps/<int:step_id>")
def update_step(step_id: int) -> ResponseReturnValue:
    """Change a draft step's title."""
    step = _step(step_id)
    form = TitleForm(prefix=f"step{step.id}")
    if not form.validate_on_submit():
        return _refused_form()
    return _run(step.questionnaire, lambda: ops.update_step(step, form.texts("title"), _me()), _("Step saved."))


@bp.post("/steps/<int:step_id>/move")
def move_step(step_id: int) -> ResponseReturnValue:
    """Move a draft step up or down."""
    step = _step(step_id)
    if not ConfirmForm().validate_on_submit():
        return _refused_form()
    delta = 1 if request.form.get("direction") == "down" else -1
    return _run(step.questionnaire, lambda: ops.move_step(step, delta, _me()), _("Step moved."))


@bp.post("/steps/<int:step_id>/delete")
def delete_step(step_id: int) -> ResponseReturnValue:
    """Delete a draft step and its questions."""
    step = _step(step_id)
    if not ConfirmForm().validate_on_submit():
        return _refused_form()
    return _run(step.questionnaire, lambda: ops.delete_step(step, _me()), _("Step deleted."))


@bp.post("/steps/<int:step_id>/questions")
def add_question(step_id: int) -> ResponseReturnValue:
    """Add a question to a draft step."""
    step = _step(step_id)
    form = _question_form(step)
    if not form.validate_on_submit():
        return _refused_form()
    return _run(step.questionnaire, lambda: ops.add_question(step, form.spec(), _me()), _("Question added."))


@bp.route("/questions/<int:question_id>", methods=["GET", "POST"])
def edit_question(question_id: int) -> ResponseReturnValue:
    """Edit one question of a draft: kind, texts in the five languages, choices, condition."""
    question = _question(question_id)
    form = _question_form(question.step, question)
    questionnaire = question.step.questionnaire
    if request.method == "POST":
        if not form.validate_on_submit():
            return render_template("questionnaires/admin_question.html", question=question, form=form,
                                   languages=LANGUAGES, questionnaire=questionnaire), 400
        return _run(questionnaire, lambda: ops.update_question(question, form.spec(), _me()), _("Question saved."))
    form.fill(question)
    return render_template("questionnaires/admin_question.html", question=question, form=form, languages=LANGUAGES,
                           questionnaire=questionnaire)


@bp.post("/questions/<int:question_id>/move")
def move_question(question_id: int) -> ResponseReturnValue:
    """Move a draft question up or down within its step."""
    question = _question(question_id)
    if not ConfirmForm().validate_on_submit():
        return _refused_form()
    delta = 1 if request.form.get("direction") == "down" else -1
    return _run(question.step.questionnaire, lambda: ops.move_question(question, delta, _me()), _("Question moved."))


@bp.post("/questions/<int:question_id>/delete")
def delete_question(question_id: int) -> ResponseReturnValue:
    """Delete a draft question."""
    question = _question(question_id)
    if not ConfirmForm().validate_on_submit():
        return _refused_form()
    return _run(question.step.questionnaire, lambda: ops.delete_question(question, _me()), _("Question deleted."))


@bp.post("/<int:questionnaire_id>/publish")
def publish(questionnaire_id: int) -> ResponseReturnValue:
    """Publish a complete, fully translated draft."""
    questionnaire = _questionnaire(questionnaire_id)
    if not ConfirmForm().validate_on_submit():
        return _refused_form()
    return _run(questionnaire, lambda: ops.publish(questionnaire, _me()), _("Published: reporters now fill this "
                                                                           "version."))


@bp.post("/<int:questionnaire_id>/retire")
def retire(questionnaire_id: int) -> ResponseReturnValue:
    """Retire a published version."""
    questionnaire = _questionnaire(questionnaire_id)
    if not ConfirmForm().validate_on_submit():
        return _refused_form()
    return _run(questionnaire, lambda: ops.retire(questionnaire, _me()), _("Retired: reporters no longer see it."))


@bp.post("/<int:questionnaire_id>/new-version")
def new_version(questionnaire_id: int) -> ResponseReturnValue:
    """Copy a published or retired version into a new draft."""
    questionnaire = _questionnaire(questionnaire_id)
    if not ConfirmForm().validate_on_submit():
        return _refused_form()
    made: list[Questionnaire] = []
    response = _run(questionnaire, lambda: made.append(ops.new_version(questionnaire, _me())),
                    _("New version drafted: edit it, then publish it."))
    if made:
        return redirect(url_for("questionnaires.edit", questionnaire_id=made[0].id))
    return response


@bp.get("/<int:questionnaire_id>/preview")
def preview(questionnaire_id: int) -> ResponseReturnValue:
    """Every step as a reporter would see it, in a chosen language (nothing can be sent from here)."""
    questionnaire = _questionnaire(questionnaire_id)
    language = request.args.get("in", "en")
    if language not in LANGUAGES:
        language = "en"
    return render_template("questionnaires/admin_preview.html", questionnaire=questionnaire, language=language,
                           languages=LANGUAGES, rtl=is_rtl(language), currencies=CURRENCIES)
