"""Verb-first mutations of the questionnaire builder: a version that is not a draft is never changed; all audited."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

import sqlalchemy as sa
from flask_babel import gettext as _

from caseflow import audit
from caseflow.clock import utcnow
from caseflow.errors import ValidationError
from caseflow.extensions import db
from caseflow.models import User
from caseflow.models.questionnaires import (
    Question,
    QuestionKind,
    Questionnaire,
    QuestionnaireStatus,
    QuestionnaireStep,
)
from caseflow.questionnaires import LANGUAGES

KEY_PATTERN = re.compile(r"^[a-z0-9][a-z0-9-]{1,59}$")
VALUE_PATTERN = re.compile(r"^[a-z0-9][a-z0-9_-]{0,59}$")
MAX_LABEL, MAX_HELP, MAX_CHOICES = 300, 1000, 40
CHOICE_KINDS = (QuestionKind.SINGLE_CHOICE, QuestionKind.MULTIPLE_CHOICE)
CONDITION_KINDS = (QuestionKind.SINGLE_CHOICE, QuestionKind.MULTIPLE_CHOICE, QuestionKind.YES_NO)
YES_NO_VALUES = ("yes", "no")


class FrozenVersionError(ValidationError):
    """The version is published or retired: it is never edited in place."""

    def __init__(self) -> None:
        super().__init__(_("This version is published or retired and cannot be changed. Make a new version "
                           "and edit that draft."))


@dataclass
class QuestionSpec:
    """What the builder says about one question."""

    kind: QuestionKind
    label: dict[str, str]
    help: dict[str, str] = field(default_factory=dict)
    required: bool = False
    choices: list[dict[str, Any]] = field(default_factory=list)  # [{"value": ..., "label": {lang: ...}}]
    condition_question_id: int | None = None
    condition_value: str | None = None


def clean_texts(texts: dict[str, str] | None, limit: int) -> dict[str, str]:
    """Return the texts of the five languages trimmed; refuse one that is too long."""
    cleaned = {}
    for lang in LANGUAGES:
        value = " ".join(str((texts or {}).get(lang) or "").split())
        if len(value) > limit:
            raise ValidationError(_("A text is longer than %(n)s characters (%(lang)s).", n=str(limit), lang=lang))
        if value:
            cleaned[lang] = value
    return cleaned


def _frozen_check(questionnaire: Questionnaire) -> None:
    if questionnaire.status != QuestionnaireStatus.DRAFT:
        raise FrozenVersionError()


def _record(action: str, actor: User, questionnaire: Questionnaire, **detail: Any) -> None:
    audit.record(action, actor, detail={"questionnaire": questionnaire.key, "version": questionnaire.version,
                                        **detail})


def create_questionnaire(key: str, title: dict[str, str], actor: User) -> Questionnaire:
    """Create version 1 of a new questionnaire, as a draft."""
    key = (key or "").strip().lower()
    if not KEY_PATTERN.match(key):
        raise ValidationError(_("The key must be 2 to 60 lower-case letters, digits or hyphens."))
    if db.session.scalar(sa.select(Questionnaire.id).where(Questionnaire.key == key)) is not None:
        raise ValidationError(_("A questionnaire with this key already exists."))
    title = clean_texts(title, MAX_LABEL)
    if not title.get("en"):
        raise ValidationError(_("Give the questionnaire a title in English."))
    questionnaire = Questionnaire(key=key, version=1, status=QuestionnaireStatus.DRAFT, title=title)
    db.session.add(questionnaire)
    db.session.flush()
    _record("questionnaire.create", actor, questionnaire)
    return questionnaire


def update_title(questionnaire: Questionnaire, title: dict[str, str], actor: User) -> None:
    """Change a draft's title in the five languages."""
    _frozen_check(questionnaire)
    questionnaire.title = clean_texts(title, MAX_LABEL)
    db.session.flush()
    _record("questionnaire.update", actor, questionnaire)


def add_step(questionnaire: Questionnaire, title: dict[str, str], actor: User) -> QuestionnaireStep:
    """Add a step at the end of a draft."""
    _frozen_check(questionnaire)
    position = max((s.position for s in questionnaire.steps), default=0) + 1
    step = QuestionnaireStep(questionnaire=questionnaire, position=position, title=clean_texts(title, MAX_LABEL))
    db.session.add(step)
    db.session.flush()
    _record("questionnaire.step_add", actor, questionnaire, step=step.id)
    return step


def update_step(step: QuestionnaireStep, title: dict[str, str], actor: User) -> None:
    """Change a draft step's title."""
    _frozen_check(step.questionnaire)
    step.title = clean_texts(title, MAX_LABEL)
    db.session.flush()
    _record("questionnaire.step_update", actor, step.questionnaire, step=step.id)


def _swap(items: list[Any], item: Any, delta: int) -> bool:
    index = items.index(item)
    other = index + delta
    if not 0 <= other < len(items):
        return False
    items[index].position, items[other].position = items[other].position, items[index].position
    return True


def move_step(step: QuestionnaireStep, delta: int, actor: User) -> None:
    """Move a draft step one place up (-1) or down (+1)."""
    questionnaire = step.questionnaire
    _frozen_check(questionnaire)
    if _swap(sorted(questionnaire.steps, key=lambda s: s.position), step, 1 if delta > 0 else -1):
        db.session.flush()
        db.session.expire(questionnaire, ["steps"])
        _record("questionnaire.step_move", actor, questionnaire, step=step.id)


def delete_step(step: QuestionnaireStep, actor: User) -> None:
    """Delete a draft step and its questions (conditions on them are dropped)."""
    questionnaire = step.questionnaire
    _frozen_check(questionnaire)
    ids = [q.id for q in step.questions]
    if ids:
        db.session.execute(sa.update(Question).where(Question.condition_question_id.in_(ids))
                           .values(condition_question_id=None, condition_value=None))
    db.session.delete(step)
    db.session.flush()
    db.session.expire(questionnaire, ["steps"])
    _record("questionnaire.step_delete", actor, questionnaire, step=step.id)


def _check_spec(step: QuestionnaireStep, spec: QuestionSpec, question: Question | None) -> QuestionSpec:
    kind = QuestionKind(spec.kind)
    label = clean_texts(spec.label, MAX_LABEL)
    if not label.get("en"):
        raise ValidationError(_("Give the question a label in English."))
    choices = []
    if kind in CHOICE_KINDS:
        seen = set()
        for choice in spec.choices[:MAX_CHOICES + 1]:
            value = str(choice.get("value") or "").strip().lower()
            if not VALUE_PATTERN.match(value) or value in seen:
                raise ValidationError(_("Each choice needs its own value: lower-case letters, digits, - or _."))
            seen.add(value)
            choices.append({"value": value, "label": clean_texts(choice.get("label"), MAX_LABEL)})
        if not 2 <= len(choices) <= MAX_CHOICES:
            raise ValidationError(_("A choice question needs between 2 and %(n)s choices.", n=str(MAX_CHOICES)))
    condition_id, condition_value = spec.condition_question_id, (spec.condition_value or "").strip().lower()
    if condition_id:
        earlier = db.session.get(Question, condition_id)
        if (earlier is None or earlier.step.questionnaire_id != step.questionnaire_id
                or earlier.step.position >= step.position or (question is not None and earlier.id == question.id)):
            raise ValidationError(_("A condition must name a question of an earlier step."))
        if earlier.kind not in CONDITION_KINDS:
            raise ValidationError(_("A condition must name a choice or yes/no question."))
        allowed = YES_NO_VALUES if earlier.kind == QuestionKind.YES_NO else [c["value"] for c in earlier.choices]
        if condition_value not in allowed:
            raise ValidationError(_("The condition's value must be one of: %(values)s.", values=", ".join(allowed)))
    else:
        condition_id, condition_value = None, ""
    return QuestionSpec(kind=kind, label=label, help=clean_texts(spec.help, MAX_HELP), required=bool(spec.required),
                        choices=choices, condition_question_id=condition_id, condition_value=condition_value or None)


def _apply_spec(question: Question, spec: QuestionSpec) -> None:
    question.kind, question.label, question.help = spec.kind, spec.label, spec.help
    question.required, question.choices = spec.required, spec.choices
    question.condition_question_id, question.condition_value = spec.condition_question_id, spec.condition_value


def add_question(step: QuestionnaireStep, spec: QuestionSpec, actor: User) -> Question:
    """Add a question at the end of a draft step."""
    _frozen_check(step.questionnaire)
    spec = _check_spec(step, spec, None)
    question = Question(step=step, position=max((q.position for q in step.questions), default=0) + 1)
    _apply_spec(question, spec)
    db.session.add(question)
    db.session.flush()
    _record("questionnaire.question_add", actor, step.questionnaire, question=question.id)
    return question


def update_question(question: Question, spec: QuestionSpec, actor: User) -> None:
    """Change a draft question (kind, texts, choices, condition)."""
    _frozen_check(question.step.questionnaire)
    _apply_spec(question, _check_spec(question.step, spec, question))
    db.session.flush()
    _record("questionnaire.question_update", actor, question.step.questionnaire, question=question.id)


def move_question(question: Question, delta: int, actor: User) -> None:
    """Move a draft question one place up (-1) or down (+1) within its step."""
    step = question.step
    _frozen_check(step.questionnaire)
    if _swap(sorted(step.questions, key=lambda q: q.position), question, 1 if delta > 0 else -1):
        db.session.flush()
        db.session.expire(step, ["questions"])
        _record("questionnaire.question_move", actor, step.questionnaire, question=question.id)


def delete_question(question: Question, actor: User) -> None:
    """Delete a draft question; questions that depended on it lose their condition."""
    questionnaire = question.step.questionnaire
    _frozen_check(questionnaire)
    db.session.execute(sa.update(Question).where(Question.condition_question_id == question.id)
                       .values(condition_question_id=None, condition_value=None))
    step = question.step
    db.session.delete(question)
    db.session.flush()
    db.session.expire(step, ["questions"])
    _record("questionnaire.question_delete", actor, questionnaire, question=question.id)


def missing_translations(questionnaire: Questionnaire) -> list[str]:
    """Return, in words, every text that lacks one of the five languages (help texts only when one is given)."""
    missing = []

    def check(texts: dict[str, Any], what: str, optional: bool = False) -> None:
        if optional and not any((texts or {}).values()):
            return
        lacking = [lang for lang in LANGUAGES if not (texts or {}).get(lang)]
        if lacking:
            missing.append(_("%(what)s: %(languages)s", what=what, languages=", ".join(lacking)))

    check(questionnaire.title, _("Title"))
    for step in questionnaire.steps:
        check(step.title, _("Step %(n)s title", n=str(step.position)))
        for question in step.questions:
            name = (question.label or {}).get("en") or str(question.id)
            check(question.label, _("Question “%(q)s”", q=name))
            check(question.help, _("Help of “%(q)s”", q=name), optional=True)
            for choice in question.choices or []:
                check(choice.get("label") or {}, _("Choice “%(c)s” of “%(q)s”", c=choice["value"], q=name))
    return missing


def publish(questionnaire: Questionnaire, actor: User) -> None:
    """Publish a complete draft; the key's previous published version is retired (cases keep theirs)."""
    _frozen_check(questionnaire)
    if not questionnaire.steps or any(not s.questions for s in questionnaire.steps):
        raise ValidationError(_("Every step needs at least one question, and there must be at least one step."))
    missing = missing_translations(questionnaire)
    if missing:
        raise ValidationError(_("Not published: translations are missing. %(list)s", list="; ".join(missing)))
    for step in questionnaire.steps:
        for question in step.questions:
            if question.condition_question_id:
                earlier = db.session.get(Question, question.condition_question_id)
                if earlier is None or earlier.step.position >= step.position:
                    raise ValidationError(_("Not published: the condition of “%(q)s” must name a question of an "
                                            "earlier step.", q=question.label.get("en", "")))
    now = utcnow()
    for older in db.session.scalars(sa.select(Questionnaire).where(
            Questionnaire.key == questionnaire.key, Questionnaire.status == QuestionnaireStatus.PUBLISHED)):
        older.status, older.retired_at = QuestionnaireStatus.RETIRED, now
    questionnaire.status, questionnaire.published_at = QuestionnaireStatus.PUBLISHED, now
    db.session.flush()
    _record("questionnaire.publish", actor, questionnaire)


def retire(questionnaire: Questionnaire, actor: User) -> None:
    """Retire a published version: the portal no longer offers it; cases answered with it keep it."""
    if questionnaire.status != QuestionnaireStatus.PUBLISHED:
        raise ValidationError(_("Only a published version can be retired."))
    questionnaire.status, questionnaire.retired_at = QuestionnaireStatus.RETIRED, utcnow()
    db.session.flush()
    _record("questionnaire.retire", actor, questionnaire)


def new_version(questionnaire: Questionnaire, actor: User) -> Questionnaire:
    """Copy a published or retired version into a new draft (the next version number)."""
    if questionnaire.status == QuestionnaireStatus.DRAFT:
        raise ValidationError(_("This version is still a draft: edit it."))
    if db.session.scalar(sa.select(Questionnaire.id).where(
            Questionnaire.key == questionnaire.key, Questionnaire.status == QuestionnaireStatus.DRAFT)):
        raise ValidationError(_("A draft of this questionnaire already exists: edit that one."))
    last = db.session.scalar(sa.select(sa.func.max(Questionnaire.version)).where(
        Questionnaire.key == questionnaire.key)) or 0
    copy = Questionnaire(key=questionnaire.key, version=last + 1, status=QuestionnaireStatus.DRAFT,
                         title=dict(questionnaire.title))
    db.session.add(copy)
    new_ids: dict[int, Question] = {}
    pending: list[tuple[Question, int]] = []
    for step in questionnaire.steps:
        new_step = QuestionnaireStep(position=step.position, title=dict(step.title))
        copy.steps.append(new_step)
        for question in step.questions:
            twin = Question(position=question.position, kind=question.kind,
                            required=question.required, label=dict(question.label), help=dict(question.help),
                            choices=[dict(c) for c in question.choices], condition_value=question.condition_value)
            new_step.questions.append(twin)
            new_ids[question.id] = twin
            if question.condition_question_id:
                pending.append((twin, question.condition_question_id))
    db.session.flush()
    for twin, old_id in pending:
        twin.condition_question_id = new_ids[old_id].id if old_id in new_ids else None
    db.session.flush()
    _record("questionnaire.new_version", actor, copy, source=questionnaire.version)
    return copy


def latest_published(key: str) -> Questionnaire | None:
    """Return the published version of a questionnaire key, if any."""
    return db.session.scalar(sa.select(Questionnaire).where(
        Questionnaire.key == key, Questionnaire.status == QuestionnaireStatus.PUBLISHED)
        .order_by(Questionnaire.version.desc()).limit(1))
