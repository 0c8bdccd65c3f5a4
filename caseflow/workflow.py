"""The case workflow's operation: check a transition of the table (caseflow.transitions) and apply it."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from typing import TYPE_CHECKING, Any, NoReturn

from flask import current_app
from flask_babel import gettext as _
from flask_babel import ngettext

from caseflow import access, audit, denials, events
from caseflow.clock import utcnow
from caseflow.enums import CaseState
from caseflow.errors import WorkflowError
from caseflow.extensions import db
from caseflow.transitions import (
    ENDED,
    STATIC_CHECKS,
    TRANSITIONS,
    Actor,
    Check,
    Transition,
    find_transition,
    mermaid_diagram,
)

if TYPE_CHECKING:
    from caseflow.models import Case, User

__all__ = ["CaseState", "TRANSITIONS", "Actor", "Transition", "transition_case", "find_transition",
           "offered_transitions", "mermaid_diagram"]  # the table's names stay importable from here


Guard = Callable[["Case", dict[str, Any]], str | None]


def _category_set(case: Case, inputs: dict[str, Any]) -> str | None:
    return None if case.category_id else _("Set the case category first.")


def _lead_assigned(case: Case, inputs: dict[str, Any]) -> str | None:
    return None if case.lead_investigator_id else _("Assign a lead investigator first.")


def _no_conflict(case: Case, inputs: dict[str, Any]) -> str | None:
    names = [u.full_name for u in access.assigned_users(case) if access.is_excluded(u, case)]
    if names:
        return _("These assignees have a conflict of interest on this case: %(names)s.", names=", ".join(names))
    return None


def _receiving_body(case: Case, inputs: dict[str, Any]) -> str | None:
    return None if (inputs.get("receiving_body") or "").strip() else _("Name the receiving body.")


def _all_findings(case: Case, inputs: dict[str, Any]) -> str | None:
    if not case.allegations:
        return _("Record at least one allegation before reporting.")
    missing = sum(1 for a in case.allegations if a.finding is None)
    if missing:
        return ngettext("%(count)d allegation still has no finding.", "%(count)d allegations still have no finding.",
                        missing, count=missing)
    return None


def _report_approved(case: Case, inputs: dict[str, Any]) -> str | None:
    if case.report_approved_at:  # set only when a supervisor approves a written version (an issued report)
        return None
    return _("A supervisor must first approve a version of the written investigation report.")


def _outcome_recorded(case: Case, inputs: dict[str, Any]) -> str | None:
    return None if (inputs.get("outcome") or case.outcome or "").strip() else _("Record the outcome.")


def _retention_over(case: Case, inputs: dict[str, Any]) -> str | None:
    if case.legal_hold:
        return _("The case is under legal hold.")
    days = current_app.config["CASEFLOW_RETENTION_DAYS"].get(case.state.value)
    since = case.closed_at or case.state_changed_at
    if days is None or since is None or utcnow() < since + timedelta(days=days):
        return _("The retention period is not over.")
    return None


GUARDS: dict[Check, Guard] = {
    Check.CATEGORY_SET: _category_set, Check.LEAD_ASSIGNED: _lead_assigned, Check.NO_CONFLICT: _no_conflict,
    Check.RECEIVING_BODY: _receiving_body, Check.ALL_FINDINGS: _all_findings,
    Check.REPORT_APPROVED: _report_approved, Check.OUTCOME_RECORDED: _outcome_recorded,
    Check.RETENTION_OVER: _retention_over,
}


def static_problems(case: Case, transition: Transition) -> list[str]:
    """Return the messages of the guards that fail on the case as it is now."""
    return [msg for c in transition.guards if c in STATIC_CHECKS and (msg := GUARDS[c](case, {}))]


def offered_transitions(case: Case, user: User) -> list[tuple[Transition, list[str]]]:
    """Return the transitions the user may take from the case's state, each with what still blocks it."""
    return [(t, static_problems(case, t)) for t in TRANSITIONS
            if t.source == case.state and access.may_take(user, case, t)]


# the dates a transition may set or clear; the case_transitioned signal says which of them it changed
EFFECT_DATES = ("triage_started_at", "triaged_at", "investigation_started_at", "reporting_at", "closed_at",
                "report_approved_at", "archived_at")


def _apply_effects(case: Case, target: CaseState, reason: str, inputs: dict[str, Any], actor: User | None) -> None:
    now = utcnow()
    if target == CaseState.TRIAGE and case.triage_started_at is None:
        case.triage_started_at = now
    if case.state == CaseState.TRIAGE and target != CaseState.TRIAGE and case.triaged_at is None:
        case.triaged_at = now
    if target == CaseState.INVESTIGATION and case.investigation_started_at is None:
        case.investigation_started_at = now
    if target == CaseState.REPORTING:
        case.reporting_at = now
    if target == CaseState.ON_HOLD:
        case.hold_reason = reason
    if target in (CaseState.DISMISSED, CaseState.REFERRED, CaseState.CLOSED) and case.closed_at is None:
        case.closed_at = now
    if target in (CaseState.DISMISSED, CaseState.REFERRED):
        case.decision_reason = reason
    if target == CaseState.REFERRED:
        case.referred_to = inputs["receiving_body"].strip()
    if target == CaseState.CLOSED:
        case.outcome = (inputs.get("outcome") or case.outcome or "").strip()
    if target == CaseState.TRIAGE and case.state in ENDED:
        case.closed_at = None
        case.report_approved_at = None
    if target == CaseState.ARCHIVED:
        case.archived_at = now


def _refuse(case: Case, name: str, message: str) -> NoReturn:
    denials.note_refusal(f"transition {name}", message, case)
    raise WorkflowError(message)


def transition_case(case: Case, to_state: CaseState, actor: User | None, reason: str | None = None,
                    **inputs: Any) -> None:
    """Move a case to another state if the table, the actor's role and every guard allow it; audit it."""
    to_state = CaseState(to_state)
    transition = find_transition(case.state, to_state)
    name = f"{case.state.value}->{to_state.value}"
    if transition is None:
        _refuse(case, name, _("A case in state “%(source)s” cannot move to “%(target)s”.",
                              source=case.state.label, target=to_state.label))
    if not access.may_take(actor, case, transition):
        _refuse(case, name, _("You may not “%(action)s” on this case: it needs %(who)s.",
                              action=transition.label, who=access.describe_actors(transition.who)))
    reason = (reason or "").strip()
    problems = [_("Give a reason.")] if transition.reason_required and not reason else []
    problems += [msg for c in transition.guards if (msg := GUARDS[c](case, inputs))]
    if problems:
        _refuse(case, name, " ".join(problems))
    source = case.state
    before = {name: getattr(case, name) for name in EFFECT_DATES}
    _apply_effects(case, to_state, reason, inputs, actor)
    dates = frozenset(name for name in EFFECT_DATES if getattr(case, name) != before[name])
    case.state = to_state
    case.state_changed_at = utcnow()
    detail: dict[str, Any] = {"from": source.value, "to": to_state.value}
    if reason:
        detail["reason"] = reason
    for key in ("receiving_body", "outcome"):
        if inputs.get(key):
            detail[key] = str(inputs[key]).strip()
    audit.record("case.transition", actor, case, detail)
    db.session.flush()
    events.case_transitioned.send(case, source=source, target=to_state, actor=actor, reason=reason, dates=dates)


