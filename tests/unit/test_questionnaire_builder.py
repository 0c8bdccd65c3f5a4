"""The builder's rules: translations before publishing, conditions on earlier steps only, one draft per key."""

from __future__ import annotations

from typing import Any

import pytest

from caseflow.errors import ValidationError
from caseflow.extensions import db
from caseflow.models.questionnaires import QuestionKind, QuestionnaireStatus
from caseflow.questionnaires import operations as ops
from caseflow.questionnaires.answers import is_shown, shown_answers

ALL = {"en": "Text", "fr": "Texte", "es": "Texto", "pt": "Texto", "ar": "نص"}


def _draft(admin: Any) -> Any:
    questionnaire = ops.create_questionnaire("ethics", ALL, admin)
    first = ops.add_step(questionnaire, ALL, admin)
    second = ops.add_step(questionnaire, ALL, admin)
    asked = ops.add_question(first, ops.QuestionSpec(QuestionKind.YES_NO, {**ALL, "en": "Asked?"}), admin)
    return questionnaire, first, second, asked


def test_a_help_text_given_in_one_language_must_be_given_in_all(users: dict[str, Any]) -> None:
    questionnaire, first, second, asked = _draft(users["admin"])
    ops.add_question(second, ops.QuestionSpec(QuestionKind.SHORT_TEXT, ALL, help={"en": "Only English"}),
                     users["admin"])
    with pytest.raises(ValidationError) as refused:
        ops.publish(questionnaire, users["admin"])
    assert "Help of “Text”: fr, es, pt, ar" in refused.value.message
    assert questionnaire.status == QuestionnaireStatus.DRAFT


def test_a_condition_must_name_a_choice_question_of_an_earlier_step(users: dict[str, Any]) -> None:
    questionnaire, first, second, asked = _draft(users["admin"])
    same_step = ops.QuestionSpec(QuestionKind.SHORT_TEXT, ALL, condition_question_id=asked.id, condition_value="yes")
    with pytest.raises(ValidationError, match="earlier step"):
        ops.add_question(first, same_step, users["admin"])
    with pytest.raises(ValidationError, match="one of: yes, no"):
        ops.add_question(second, ops.QuestionSpec(QuestionKind.SHORT_TEXT, ALL, condition_question_id=asked.id,
                                                  condition_value="perhaps"), users["admin"])
    shown = ops.add_question(second, ops.QuestionSpec(QuestionKind.SHORT_TEXT, ALL, condition_question_id=asked.id,
                                                      condition_value="yes"), users["admin"])
    assert is_shown(shown, {str(asked.id): "yes"}) and not is_shown(shown, {str(asked.id): "no"})
    # Moving the enabling step after the conditional one is caught at publishing.
    ops.move_step(first, +1, users["admin"])
    with pytest.raises(ValidationError, match="earlier step"):
        ops.publish(questionnaire, users["admin"])


def test_a_hidden_enabler_hides_what_it_enables(users: dict[str, Any]) -> None:
    questionnaire, first, second, asked = _draft(users["admin"])
    third = ops.add_step(questionnaire, ALL, users["admin"])
    middle = ops.add_question(second, ops.QuestionSpec(
        QuestionKind.YES_NO, ALL, condition_question_id=asked.id, condition_value="yes"), users["admin"])
    last = ops.add_question(third, ops.QuestionSpec(
        QuestionKind.SHORT_TEXT, ALL, condition_question_id=middle.id, condition_value="yes"), users["admin"])
    db.session.expire_all()
    kept = shown_answers(questionnaire, {str(asked.id): "no", str(middle.id): "yes", str(last.id): "x"})
    assert kept == {str(asked.id): "no"}


def test_one_draft_per_key_and_version_numbers_follow(users: dict[str, Any]) -> None:
    questionnaire, first, second, asked = _draft(users["admin"])
    ops.add_question(second, ops.QuestionSpec(QuestionKind.PERSON, ALL), users["admin"])
    with pytest.raises(ValidationError, match="still a draft"):
        ops.new_version(questionnaire, users["admin"])
    ops.publish(questionnaire, users["admin"])
    copy = ops.new_version(questionnaire, users["admin"])
    assert copy.version == 2 and copy.status == QuestionnaireStatus.DRAFT
    with pytest.raises(ValidationError, match="already exists"):
        ops.new_version(questionnaire, users["admin"])
    with pytest.raises(ValidationError, match="already exists"):
        ops.create_questionnaire("ethics", ALL, users["admin"])
