"""A reporter's draft of a questionnaire, its submission through the public forms' intake, the answers read back.

The draft lives on the server under the hash of a random token the pages carry in a hidden field (no cookie,
no address); its answers and files are sealed, and it disappears when sent or after a few hours.
"""

from __future__ import annotations

import base64
import hashlib
import json
import secrets
from datetime import datetime, timedelta
from typing import Any

import sqlalchemy as sa
from flask import current_app
from flask_babel import force_locale
from flask_babel import gettext as _

from caseflow import audit
from caseflow.attachments import Upload, check_submission, prepare_file
from caseflow.casekeys import open_text, seal_text
from caseflow.clock import utcnow
from caseflow.enums import Channel
from caseflow.errors import ValidationError
from caseflow.extensions import db
from caseflow.intake.operations import Received
from caseflow.models import Case, User
from caseflow.models.questionnaires import (
    AnswerDraft,
    AnswerDraftFile,
    CaseAnswers,
    QuestionKind,
    Questionnaire,
    QuestionnaireStep,
)
from caseflow.questionnaires import text_in
from caseflow.questionnaires.answers import (
    Answers,
    answer_rows,
    display,
    is_empty,
    required_problem,
    shown_answers,
    shown_questions,
    shown_steps,
)
from caseflow.reporting.operations import MAX_TEXT, REPORTER, Report, submit_report
from caseflow.units.operations import default_unit, unit_by_key

DRAFT_AGE = timedelta(hours=3)


def _expiry(now: datetime) -> datetime:
    """Return when a draft started now expires: 3 hours on, rounded up to the hour, so the row does not keep
    the minute a reporter began (the draft lives between 3 and 4 hours)."""
    end = now + DRAFT_AGE
    return end.replace(minute=0, second=0, microsecond=0) + timedelta(hours=1)
TOKEN_MAX = 100
IDENTITY_KEY = "_identity"  # a named draft keeps the reporter's identity (sealed with the answers) under this key


def _hash(raw: str) -> str:
    return hashlib.sha256(b"caseflow.answer-draft|" + raw.encode()).hexdigest()


def start_draft(questionnaire: Questionnaire, unit: str | None, named: bool = False) -> tuple[str, AnswerDraft]:
    """Open a draft for a reporter who chose to start (named: with an identity step); return its token."""
    now = utcnow()
    db.session.execute(sa.delete(AnswerDraft).where(AnswerDraft.expires_at <= now))  # drafts nobody sent
    raw = secrets.token_urlsafe(32)
    draft = AnswerDraft(id_hash=_hash(raw), questionnaire_id=questionnaire.id,
                        answers=json.dumps({IDENTITY_KEY: {}} if named else {}), done_steps=[],
                        unit=(unit or "")[:80] or None, created_on=now.date(), expires_at=_expiry(now))
    db.session.add(draft)
    db.session.flush()
    return raw, draft


def find_draft(raw: str, questionnaire: Questionnaire) -> AnswerDraft | None:
    """Return the live draft a token names for this questionnaire version, else None."""
    if not raw or len(raw) > TOKEN_MAX:
        return None
    draft = db.session.get(AnswerDraft, _hash(raw))
    if draft is None or draft.questionnaire_id != questionnaire.id or draft.expires_at <= utcnow():
        return None
    return draft


def draft_answers(draft: AnswerDraft) -> Answers:
    """Return the answers a draft holds."""
    return dict(json.loads(draft.answers or "{}"))


def is_named(draft: AnswerDraft) -> bool:
    """Return whether a draft is a named report (it ends with the reporter's identity step)."""
    return IDENTITY_KEY in draft_answers(draft)


def draft_identity(draft: AnswerDraft) -> dict[str, str]:
    """Return the identity a named draft holds (as typed so far)."""
    return dict(draft_answers(draft).get(IDENTITY_KEY) or {})


def save_identity(draft: AnswerDraft, identity: dict[str, str]) -> None:
    """Keep the identity typed on a named draft's identity step (sealed with the answers)."""
    answers = draft_answers(draft)
    answers[IDENTITY_KEY] = identity
    draft.answers = json.dumps(answers, ensure_ascii=False)
    db.session.flush()


def draft_files(draft: AnswerDraft, question_id: int) -> list[AnswerDraftFile]:
    """Return the files a draft holds for one file question."""
    return [f for f in draft.files if f.question_id == question_id]


def save_step(draft: AnswerDraft, step: QuestionnaireStep, values: Answers, validated: bool) -> None:
    """Keep a step's answers in the draft (and note the step as validated when it was)."""
    answers = draft_answers(draft)
    for question in step.questions:
        key = str(question.id)
        if key in values:
            answers[key] = values[key]
    draft.answers = json.dumps(answers, ensure_ascii=False)
    done = [s for s in draft.done_steps if s != step.id]
    draft.done_steps = done + [step.id] if validated else done
    db.session.flush()


def keep_files(draft: AnswerDraft, question_id: int, files: list[tuple[str, bytes]], keep_uncleanable: bool) -> None:
    """Replace the files of one file question with these (already checked by the attachment pipeline)."""
    for old in draft_files(draft, question_id):
        db.session.delete(old)
    for name, data in files:
        db.session.add(AnswerDraftFile(draft_hash=draft.id_hash, question_id=question_id, filename=name[:200],
                                       content=base64.b64encode(data).decode(), keep_uncleanable=keep_uncleanable))
    db.session.flush()
    db.session.expire(draft, ["files"])


def step_problems(draft: AnswerDraft, step: QuestionnaireStep, answers: Answers) -> dict[int, str]:
    """Return the required questions of a step left unanswered (files count as given when the draft holds some)."""
    problems = {}
    for question in shown_questions(step, answers):
        value = answers.get(str(question.id))
        if question.kind == QuestionKind.FILE:
            value = [f.filename for f in draft_files(draft, question.id)]
        problem = required_problem(question, value)
        if problem:
            problems[question.id] = problem
    return problems


def _composed(questionnaire: Questionnaire, answers: Answers) -> tuple[str, str]:
    """Return the case title and the complaint text built from the answers, in the default language."""
    language = current_app.config["BABEL_DEFAULT_LOCALE"]
    with force_locale(language):
        title = _("Questionnaire report: %(title)s", title=text_in(questionnaire.title, language))[:200]
        lines: list[str] = []
        for step in questionnaire.steps:
            rows = [(q, answers.get(str(q.id))) for q in shown_questions(step, answers)]
            rows = [(q, v) for q, v in rows if not is_empty(v)]
            if rows:
                lines += ["", text_in(step.title, language)] if lines else [text_in(step.title, language)]
                lines += [f"- {text_in(q.label, language)}: {display(q, v, language)}" for q, v in rows]
    return title, "\n".join(lines)


def submission_problem(draft: AnswerDraft, questionnaire: Questionnaire) -> QuestionnaireStep | None:
    """Return the first step a draft has not validated or leaves a required answer empty in, else None."""
    answers = shown_answers(questionnaire, draft_answers(draft))
    for step in shown_steps(questionnaire, answers):
        if step.id not in draft.done_steps or step_problems(draft, step, answers):
            return step
    return None


def submit_draft(draft: AnswerDraft, questionnaire: Questionnaire, identity: dict[str, str] | None = None) -> Received:
    """Send a complete draft through the public forms' intake: case, receipt, people, files, sealed answers.

    With an `identity` it is a named report: the named form's intake checks and seals it (the unit must take
    named reports); without, an anonymous one.
    """
    if submission_problem(draft, questionnaire) is not None:
        raise ValidationError(_("Some steps are not complete yet. Nothing was sent."))
    answers = shown_answers(questionnaire, draft_answers(draft))
    people, files, when = [], [], ""
    for step in shown_steps(questionnaire, answers):
        for question in shown_questions(step, answers):
            key = str(question.id)
            if question.kind == QuestionKind.FILE:
                held = draft_files(draft, question.id)
                files += [(f.filename, base64.b64decode(f.content), f.keep_uncleanable) for f in held]
                answers[key] = [f.filename for f in held]
            elif question.kind == QuestionKind.PERSON and not is_empty(answers.get(key)):
                people.append(dict(answers[key]))
            elif question.kind == QuestionKind.DATE and answers.get(key) and not when:
                when = answers[key]
    check_submission([(name, data) for name, data, _keep in files])
    uploads: list[Upload] = [(name, prepare_file(name, data, REPORTER, keep_uncleanable=keep))
                             for name, data, keep in files]
    title, content = _composed(questionnaire, answers)
    if len(content) > MAX_TEXT * 2:
        raise ValidationError(_("Your answers are too long in all. Shorten the longest ones and send again."))
    report = Report(what=content or title, when=when, involved=people)
    unit = unit_by_key(draft.unit) or default_unit()  # the unit the landing page sent the reporter to
    channel = Channel.WEB if identity is not None else Channel.WHISTLEBLOWER
    received = submit_report(channel, report, identity, uploads, unit=unit,
                             composed=(title, content or title))
    case = received.case
    db.session.add(CaseAnswers(case_id=case.id, questionnaire_id=questionnaire.id,
                               answers_blob=seal_text(case, json.dumps(answers, ensure_ascii=False))))
    audit.record("questionnaire.answers_store", None, case, {"questionnaire": questionnaire.key,
                                                              "version": questionnaire.version},
                 actor_label=REPORTER)
    db.session.delete(draft)
    db.session.flush()
    return received


def case_answers(case: Case) -> CaseAnswers | None:
    """Return the answers a case was reported with, if it came from a questionnaire."""
    return db.session.scalar(sa.select(CaseAnswers).where(CaseAnswers.case_id == case.id))


def answer_list(case: Case, language: str) -> tuple[Questionnaire, list[tuple[str, str]]] | None:
    """Return a case's questionnaire version and its (question label, answer) rows in a language, unaudited.

    For documents whose making is audited itself (the investigation report); pages use read_answers().
    """
    stored = case_answers(case)
    if stored is None:
        return None
    answers: dict[str, Any] = json.loads(open_text(case, stored.answers_blob))
    return stored.questionnaire, answer_rows(stored.questionnaire, answers, language)


def read_answers(case: Case, actor: User | None, language: str) -> tuple[Questionnaire, list[tuple[str, str]]] | None:
    """Open a case's answers for an authorised reader (question label in their language, answer); audited."""
    found = answer_list(case, language)
    if found is not None:
        audit.record("questionnaire.answers_view", actor, case, {"version": found[0].version})
    return found
