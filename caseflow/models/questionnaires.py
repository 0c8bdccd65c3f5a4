"""Questionnaires a reporter fills on the portal: versions, ordered steps, typed questions, the sealed answers.

Every text a reporter reads (title, step titles, labels, help, choices) is a JSON object keyed by language.
A published version is frozen: operations refuse to change it, and a new version is a draft copy.
"""

from __future__ import annotations

import enum
from datetime import date, datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from caseflow.models.base import Model, SealedText, enum_column, now_default


class QuestionnaireStatus(enum.StrEnum):
    """Where a questionnaire version stands."""

    DRAFT = "draft"
    PUBLISHED = "published"
    RETIRED = "retired"


class QuestionKind(enum.StrEnum):
    """The kinds of question a step may ask."""

    SHORT_TEXT = "short_text"
    LONG_TEXT = "long_text"
    NUMBER = "number"
    DATE = "date"
    SINGLE_CHOICE = "single_choice"
    MULTIPLE_CHOICE = "multiple_choice"
    YES_NO = "yes_no"
    FILE = "file"
    PERSON = "person"
    AMOUNT = "amount"


class Questionnaire(Model):
    """One version of a questionnaire, named by its key (unique with the version number)."""

    __tablename__ = "questionnaires"
    __table_args__ = (sa.UniqueConstraint("key", "version", name="uq_questionnaires_key_version"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(sa.String(60), index=True)
    version: Mapped[int] = mapped_column(sa.Integer)
    status: Mapped[QuestionnaireStatus] = mapped_column(enum_column(QuestionnaireStatus, "questionnaire_status"),
                                                        default=QuestionnaireStatus.DRAFT)
    title: Mapped[dict[str, Any]] = mapped_column(sa.JSON, default=dict)
    created_at: Mapped[datetime] = mapped_column(sa.DateTime, default=now_default)
    published_at: Mapped[datetime | None] = mapped_column(sa.DateTime)
    retired_at: Mapped[datetime | None] = mapped_column(sa.DateTime)

    steps = relationship("QuestionnaireStep", order_by="QuestionnaireStep.position", cascade="all, delete-orphan",
                         back_populates="questionnaire")


class QuestionnaireStep(Model):
    """One page of a questionnaire, in order."""

    __tablename__ = "questionnaire_steps"

    id: Mapped[int] = mapped_column(primary_key=True)
    questionnaire_id: Mapped[int] = mapped_column(sa.ForeignKey("questionnaires.id", ondelete="CASCADE"), index=True)
    position: Mapped[int] = mapped_column(sa.Integer)
    title: Mapped[dict[str, Any]] = mapped_column(sa.JSON, default=dict)

    questionnaire = relationship("Questionnaire", back_populates="steps")
    questions = relationship("Question", order_by="Question.position", cascade="all, delete-orphan",
                             back_populates="step", foreign_keys="Question.step_id")


class Question(Model):
    """One question of a step; shown only when an earlier question's answer equals a value, if a condition is set."""

    __tablename__ = "questions"

    id: Mapped[int] = mapped_column(primary_key=True)
    step_id: Mapped[int] = mapped_column(sa.ForeignKey("questionnaire_steps.id", ondelete="CASCADE"), index=True)
    position: Mapped[int] = mapped_column(sa.Integer)
    kind: Mapped[QuestionKind] = mapped_column(enum_column(QuestionKind, "question_kind"))
    required: Mapped[bool] = mapped_column(sa.Boolean, default=False)
    label: Mapped[dict[str, Any]] = mapped_column(sa.JSON, default=dict)
    help: Mapped[dict[str, Any]] = mapped_column(sa.JSON, default=dict)
    # [{"value": "cash", "label": {"en": "Cash", ...}}, ...] for the choice kinds
    choices: Mapped[list[dict[str, Any]]] = mapped_column(sa.JSON, default=list)
    condition_question_id: Mapped[int | None] = mapped_column(sa.ForeignKey("questions.id", ondelete="SET NULL"))
    condition_value: Mapped[str | None] = mapped_column(sa.String(60))

    step = relationship("QuestionnaireStep", back_populates="questions", foreign_keys=[step_id])


class CaseAnswers(Model):
    """The answers a case was reported with: the questionnaire version, and the answers sealed with the case key."""

    __tablename__ = "case_answers"

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(sa.ForeignKey("cases.id", ondelete="CASCADE"), unique=True)
    questionnaire_id: Mapped[int] = mapped_column(sa.ForeignKey("questionnaires.id"), index=True)
    answers_blob: Mapped[bytes] = mapped_column(sa.LargeBinary)
    created_at: Mapped[datetime] = mapped_column(sa.DateTime, default=now_default)

    questionnaire = relationship("Questionnaire")


class AnswerDraft(Model):
    """A reporter's answers while they fill a questionnaire: named by the hash of a random token, no address."""

    __tablename__ = "answer_drafts"

    id_hash: Mapped[str] = mapped_column(sa.String(64), primary_key=True)
    questionnaire_id: Mapped[int] = mapped_column(sa.ForeignKey("questionnaires.id", ondelete="CASCADE"),
                                                  index=True)
    answers: Mapped[str] = mapped_column(SealedText("answer-draft"))  # JSON, sealed
    done_steps: Mapped[list[int]] = mapped_column(sa.JSON, default=list)  # ids of the steps validated
    unit: Mapped[str | None] = mapped_column(sa.String(80))
    created_on: Mapped[date] = mapped_column(sa.Date)  # the day only
    expires_at: Mapped[datetime] = mapped_column(sa.DateTime, index=True)

    files = relationship("AnswerDraftFile", cascade="all, delete-orphan", passive_deletes=True)


class AnswerDraftFile(Model):
    """A file given to a file question of a draft, kept sealed until the report is sent."""

    __tablename__ = "answer_draft_files"

    id: Mapped[int] = mapped_column(primary_key=True)
    draft_hash: Mapped[str] = mapped_column(sa.ForeignKey("answer_drafts.id_hash", ondelete="CASCADE"), index=True)
    question_id: Mapped[int] = mapped_column(sa.Integer)
    filename: Mapped[str] = mapped_column(SealedText("answer-draft"))
    content: Mapped[str] = mapped_column(SealedText("answer-draft"))  # base64 of the bytes, sealed
    keep_uncleanable: Mapped[bool] = mapped_column(sa.Boolean, default=False)
