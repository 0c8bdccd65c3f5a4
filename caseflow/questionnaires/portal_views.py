"""The reporter's questionnaire pages: one step per page, no JavaScript, no cookie, no address kept.

Every page after "Start" is the answer to a POST that carries the draft's random token in a hidden field,
so Back, Next and Send work without a cookie; the last step sends through the public forms' intake.
"""

from __future__ import annotations

from typing import Any

from flask import abort, current_app, redirect, render_template, request
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _

from caseflow import deadlines, uow
from caseflow.attachments import UNCLEANABLE_CHOICES, UncleanableFilesError, prepare_files
from caseflow.crypto import format_receipt
from caseflow.enums import Channel
from caseflow.errors import ValidationError
from caseflow.extensions import csrf, limiter
from caseflow.i18n import current_language, lang_url
from caseflow.inputs import keeps_text, parse_int
from caseflow.models.intake import UsedFormToken
from caseflow.models.questionnaires import AnswerDraft, QuestionKind, Questionnaire, QuestionnaireStep
from caseflow.questionnaires import drafts
from caseflow.questionnaires.answers import (
    CURRENCIES,
    Answers,
    parse_answer,
    shown_answers,
    shown_questions,
    shown_steps,
)
from caseflow.questionnaires.operations import latest_published
from caseflow.reporting import bp, tokens
from caseflow.reporting.downloads import read_uploads
from caseflow.reporting.forms import IdentityFields, identity_given, identity_of_form
from caseflow.reporting.operations import REPORTER
from caseflow.reporting.receipts import already_received
from caseflow.units.operations import check_unit_accepts, unit_by_key

IDENTITY_STEP = "identity"  # the step field of a named report's identity step (questionnaire steps are ids)


def _limit(key: str) -> Any:
    return lambda: current_app.config[key]


def _no_files() -> bool:
    return not any(f.filename for name in request.files for f in request.files.getlist(name))


def _published(key: str) -> Questionnaire:
    if len(key) > 60:
        abort(404)
    return latest_published(key) or abort(404)


def _unit() -> str | None:
    return request.args.get("unit") or None


def _named() -> bool:
    """Return whether the link asks for a named report (the landing page's "with your name")."""
    return request.args.get("named") == "1"


def _unit_problem() -> str | None:
    """Say why the unit asked for takes no such questionnaire report (unknown, closed, not this kind), if so."""
    try:
        check_unit_accepts(unit_by_key(_unit()), anonymous=not _named())
    except ValidationError as exc:
        return exc.message
    return None


def _step_page(questionnaire: Questionnaire, draft_token: str, draft: AnswerDraft, step: QuestionnaireStep,
               answers: Answers, status: int = 200, problems: dict[int, str] | None = None,
               problem: str | None = None, uncleanable: list[str] | None = None,
               same_report: bool = False) -> ResponseReturnValue:
    steps = shown_steps(questionnaire, answers)
    number = steps.index(step) + 1
    named = drafts.is_named(draft)
    last = number == len(steps) and not named  # a named report sends from its identity step, after the last
    return render_template(
        "questionnaires/step.html", questionnaire=questionnaire, step=step, number=number,
        total=len(steps) + named, named=named,
        last=last, questions=shown_questions(step, shown_answers(questionnaire, answers)), answers=answers,
        problems=problems or {}, problem=problem, draft=draft_token, unit=_unit(), language=current_language(),
        files={q.id: [f.filename for f in drafts.draft_files(draft, q.id)] for q in step.questions
               if q.kind == QuestionKind.FILE},
        form_token=tokens.issue_form_token(f"questionnaire:{questionnaire.key}") if last else None,
        currencies=CURRENCIES, uncleanable=uncleanable, same_report=same_report,
        files_lost=status >= 400 and request.method == "POST" and not _no_files()), status


@bp.get("/questionnaire/<key>")
def questionnaire_intro(key: str) -> ResponseReturnValue:
    """A questionnaire's first page: what it asks and how many steps; nothing is kept until Start."""
    questionnaire = _published(key)
    problem = _unit_problem()  # said before a step is answered, not after the last one
    return render_template("questionnaires/intro.html", questionnaire=questionnaire, unit=_unit(), problem=problem,
                           total=len(shown_steps(questionnaire, {})) + _named(), named=_named(),
                           language=current_language()), 400 if problem else 200


@bp.post("/questionnaire/<key>/start")
@csrf.exempt
@limiter.shared_limit(_limit("CASEFLOW_LIMIT_REPORT"), scope="report-submit")  # the forms' budget
def questionnaire_begin(key: str) -> ResponseReturnValue:
    """The reporter chose to start: open a server-side draft and show the first step."""
    questionnaire = _published(key)
    problem = _unit_problem()
    if problem is not None:
        return render_template("questionnaires/intro.html", questionnaire=questionnaire, unit=_unit(),
                               problem=problem, total=len(shown_steps(questionnaire, {})) + _named(),
                               named=_named(), language=current_language()), 400
    raw, draft = drafts.start_draft(questionnaire, _unit(), named=_named())
    return _step_page(questionnaire, raw, draft, shown_steps(questionnaire, {})[0], {})


@bp.get("/questionnaire/<key>/step")
def questionnaire_step_get(key: str) -> ResponseReturnValue:
    """A step address opened directly (a language link, a bookmark): back to the questionnaire's first page."""
    return redirect(lang_url("reporting.questionnaire_intro", key=key, unit=_unit(), named=_named() or None))


def _expired(questionnaire: Questionnaire) -> ResponseReturnValue:
    if request.form.get("action") == "send":
        try:  # the draft is gone because this very form was sent: say so, never make a second case
            tokens.spend_form_token(request.form.get("form_token", ""), f"questionnaire:{questionnaire.key}")
        except tokens.FormAlreadySentError as exc:
            uow.discard()
            return already_received(exc.case_id, Channel.WEB if _named() else Channel.WHISTLEBLOWER)
        except ValidationError:
            pass
    uow.discard()
    message = _("Your answers are no longer kept (they are deleted a few hours after you start, or once sent). "
                "Nothing was sent. Please start again.")
    return render_template("questionnaires/expired.html", questionnaire=questionnaire, message=message,
                           unit=_unit(), named=_named()), 400


def _read_step(draft: AnswerDraft, step: QuestionnaireStep, answers: Answers,
               questions: list[Any]) -> tuple[Answers, dict[int, str], list[str]]:
    """Parse the posted answers of a step's shown questions, and keep its files (checked and cleaned first)."""
    values: Answers = {}
    problems: dict[int, str] = {}
    uncleanable: list[str] = []
    choice = request.form.get("uncleanable", "")
    for question in questions:
        if question.kind == QuestionKind.FILE:
            try:
                uploads = read_uploads(request.files.getlist(f"q{question.id}"))
                if uploads:  # checked and cleaned now; with "drop", the files that cannot be cleaned are left out
                    prepared = prepare_files(uploads, REPORTER, choice if choice in UNCLEANABLE_CHOICES else "")
                    drafts.keep_files(draft, question.id, [(name, p.received) for name, p in prepared],
                                      choice == "keep")
            except UncleanableFilesError as exc:
                problems[question.id], uncleanable = exc.message, uncleanable + exc.names
            except ValidationError as exc:
                problems[question.id] = exc.message
            continue
        parsed = parse_answer(question, request.form)
        values[str(question.id)] = parsed.value
        if parsed.problem:
            problems[question.id] = parsed.problem
    return values, problems, uncleanable


@bp.post("/questionnaire/<key>/step")
@csrf.exempt
@limiter.shared_limit(_limit("CASEFLOW_LIMIT_UPLOAD"), scope="report-upload", exempt_when=_no_files)
@keeps_text
def questionnaire_step(key: str) -> ResponseReturnValue:
    """Keep one step's answers and show the next (or the previous) step; the last step sends the report."""
    questionnaire = _published(key)
    raw = request.form.get("draft", "")
    draft = drafts.find_draft(raw, questionnaire)
    if draft is None:
        return _expired(questionnaire)
    channel = _channel(draft)  # read now: a simultaneous Send may delete the draft while this one waits below
    spent = None
    if request.form.get("action") == "send":  # spent first: a simultaneous second Send waits here, then is refused
        try:
            spent = tokens.spend_form_token(request.form.get("form_token", ""), f"questionnaire:{questionnaire.key}")
        except tokens.FormAlreadySentError as exc:
            uow.discard()
            return already_received(exc.case_id, channel)
        except ValidationError:
            spent = None  # an expired or foreign token: _send says so on the step page
    answers = shown_answers(questionnaire, drafts.draft_answers(draft))
    steps = shown_steps(questionnaire, answers)
    pending = next((s for s in steps if s.id not in draft.done_steps), None)
    if request.form.get("step") == IDENTITY_STEP and drafts.is_named(draft) and pending is None:
        return _identity_step(questionnaire, raw, draft, steps, answers, spent)
    step = next((s for s in steps if s.id == parse_int(request.form.get("step"))), None)
    if step is None or (pending is not None and steps.index(step) > steps.index(pending)):
        uow.discard()  # a step not offered yet (skipped by a crafted post): show the first one not answered
        first = pending or steps[0]
        return _step_page(questionnaire, raw, draft, first, answers, 400,
                          problem=_("Please answer this step first."))
    questions = shown_questions(step, answers)
    action = request.form.get("action", "next")
    values, problems, uncleanable = _read_step(draft, step, answers, questions)
    if action == "back":
        drafts.save_step(draft, step, {k: v for k, v in values.items() if int(k) not in problems}, False)
        index = steps.index(step)
        return _step_page(questionnaire, raw, draft, steps[max(index - 1, 0)], drafts.draft_answers(draft))
    merged = {**answers, **values}
    problems = {**drafts.step_problems(draft, step, merged), **problems}
    if problems:
        uow.discard()
        return _step_page(questionnaire, raw, draft, step, merged, 400, problems=problems,
                          problem=_("Please correct the errors below."), uncleanable=uncleanable or None)
    drafts.save_step(draft, step, values, True)
    answers = shown_answers(questionnaire, drafts.draft_answers(draft))
    steps = shown_steps(questionnaire, answers)
    index = steps.index(step)
    if index + 1 < len(steps):
        return _step_page(questionnaire, raw, draft, steps[index + 1], answers)
    if drafts.is_named(draft):  # the questionnaire's last step leads to the identity step
        return _identity_page(questionnaire, raw, draft, steps, IdentityFields(
            data=drafts.draft_identity(draft), prefix="identity"))
    if action != "send":
        return _step_page(questionnaire, raw, draft, step, answers)
    return _send(questionnaire, raw, draft, step, answers, spent)


def _identity_page(questionnaire: Questionnaire, draft_token: str, draft: AnswerDraft,
                   steps: list[QuestionnaireStep], form: IdentityFields, status: int = 200,
                   problem: str | None = None, same_report: bool = False) -> ResponseReturnValue:
    """The named report's last step: who the reporter is (sealed), and Send."""
    return render_template(
        "questionnaires/identity.html", questionnaire=questionnaire, form=form, number=len(steps) + 1,
        total=len(steps) + 1, draft=draft_token, step_id=IDENTITY_STEP, unit=_unit(), language=current_language(),
        problem=problem, same_report=same_report,
        form_token=tokens.issue_form_token(f"questionnaire:{questionnaire.key}")), status


def _identity_step(questionnaire: Questionnaire, raw: str, draft: AnswerDraft, steps: list[QuestionnaireStep],
                   answers: Answers, spent: UsedFormToken | None) -> ResponseReturnValue:
    """Keep the identity typed; Back shows the last questionnaire step, Send checks it as the named form does."""
    form = IdentityFields(request.form, prefix="identity")
    typed = identity_of_form(form)
    if request.form.get("action") == "back":
        drafts.save_identity(draft, typed)
        return _step_page(questionnaire, raw, draft, steps[-1], answers)
    if not all([form.validate(), identity_given(form)]):  # both run: every error is shown at once
        uow.discard()
        return _identity_page(questionnaire, raw, draft, steps, form, 400,
                              problem=_("Please correct the errors below."))
    drafts.save_identity(draft, typed)
    if request.form.get("action") != "send":
        return _identity_page(questionnaire, raw, draft, steps, form)

    def again(status: int, problem: str | None, same_report: bool = False) -> ResponseReturnValue:
        return _identity_page(questionnaire, raw, draft, steps, form, status, problem, same_report)
    return _send(questionnaire, raw, draft, steps[-1], answers, spent, identity=typed, again=again)


def _send(questionnaire: Questionnaire, raw: str, draft: AnswerDraft, step: QuestionnaireStep,
          answers: Answers, spent: UsedFormToken | None = None, identity: dict[str, str] | None = None,
          again: Any = None) -> ResponseReturnValue:
    """Send the draft (with the identity of a named one); `again` shows the page sent from with a problem."""
    purpose = f"questionnaire:{questionnaire.key}"
    channel = Channel.WEB if identity is not None else Channel.WHISTLEBLOWER
    if again is None:
        def again(status: int, problem: str | None, same_report: bool = False) -> ResponseReturnValue:
            return _step_page(questionnaire, raw, draft, step, answers, status, problem=problem,
                              same_report=same_report)
    incomplete = drafts.submission_problem(draft, questionnaire)
    if incomplete is not None:  # an answer changed on an earlier step asks something new on a later one
        uow.discard()
        return _step_page(questionnaire, raw, draft, incomplete, answers, 400,
                          problems=drafts.step_problems(draft, incomplete, answers),
                          problem=_("Please answer this step first."))
    given = sorted((k, str(v)) for k, v in answers.items()) + sorted((identity or {}).items())
    fingerprint = tokens.form_fingerprint(purpose, given)
    try:
        spent = spent or tokens.spend_form_token(request.form.get("form_token", ""), purpose)
        earlier = None if request.form.get("send_again") else tokens.case_sent_with(fingerprint)
        if earlier is not None:
            raise tokens.SameReportError(earlier)
        received = drafts.submit_draft(draft, questionnaire, identity)
        case = received.case
        spent.case_id, spent.content_mac = case.id, fingerprint  # a replay of this form now finds this case
    except tokens.FormAlreadySentError as exc:
        uow.discard()
        return already_received(exc.case_id, channel)
    except tokens.SameReportError as exc:
        uow.discard()
        return again(409, exc.message, True)
    except UncleanableFilesError as exc:
        uow.discard()
        return _step_page(questionnaire, raw, draft, step, answers, 400, problem=exc.message, uncleanable=exc.names)
    except ValidationError as exc:
        uow.discard()
        return again(400, exc.message)
    return render_template("reporting/receipt.html", receipt=format_receipt(received.receipt or ""), case=case,
                           feedback_due=deadlines.due_dates(case)["feedback"], channel=channel.value)


def _channel(draft: AnswerDraft) -> Channel:
    return Channel.WEB if drafts.is_named(draft) else Channel.WHISTLEBLOWER
