"""The case workflow: states, the one transition table, guards, and the transition operation."""

from __future__ import annotations

import enum
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import timedelta
from typing import TYPE_CHECKING, Any, NoReturn

from flask import current_app
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_babel import ngettext

from caseflow import access, audit, denials, events
from caseflow.clock import utcnow
from caseflow.enums import CaseState, Role
from caseflow.errors import WorkflowError
from caseflow.extensions import db

if TYPE_CHECKING:
    from caseflow.models import Case, User

__all__ = ["CaseState", "TRANSITIONS", "Actor", "Transition", "transition_case", "find_transition",
           "offered_transitions", "mermaid_diagram"]


class Actor(enum.StrEnum):
    """Who may take a transition: a role, the case's lead investigator, or the retention job."""

    INTAKE_OFFICER = Role.INTAKE_OFFICER.value
    SUPERVISOR = Role.SUPERVISOR.value
    ADMIN = Role.ADMIN.value
    LEAD_INVESTIGATOR = "lead_investigator"
    RETENTION_JOB = "retention_job"


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


# Guards that depend only on the case (not on what the user types) decide which buttons are live.
STATIC_GUARDS = {_category_set, _lead_assigned, _no_conflict, _all_findings, _report_approved, _retention_over}


@dataclass(frozen=True)
class Transition:
    """One row of the transition table."""

    source: CaseState
    target: CaseState
    who: frozenset[Actor]
    label: Any
    reason_required: bool = False
    guards: tuple[Guard, ...] = field(default_factory=tuple)

    @property
    def name(self) -> str:
        """Return a stable identifier, e.g. 'triage->investigation'."""
        return f"{self.source.value}->{self.target.value}"

    @property
    def needs(self) -> set[str]:
        """Return the input fields this transition's form must ask for."""
        needs = {"reason"} if self.reason_required else set()
        if _receiving_body in self.guards:
            needs.add("receiving_body")
        if _outcome_recorded in self.guards:
            needs.add("outcome")
        return needs


def _rows(sources: tuple[CaseState, ...], target: CaseState, who: tuple[Actor, ...], label: Any,
          reason: bool = False, guards: tuple[Guard, ...] = ()) -> list[Transition]:
    return [Transition(s, target, frozenset(who), label, reason, guards) for s in sources]


S, A = CaseState, Actor
_ENDED = (S.CLOSED, S.DISMISSED, S.REFERRED)
TRANSITIONS: tuple[Transition, ...] = tuple(
    _rows((S.RECEIVED,), S.TRIAGE, (A.INTAKE_OFFICER, A.SUPERVISOR), _l("Start triage"))
    + _rows((S.TRIAGE,), S.INVESTIGATION, (A.SUPERVISOR,), _l("Open investigation"),
            guards=(_category_set, _lead_assigned, _no_conflict))
    + _rows((S.TRIAGE,), S.DISMISSED, (A.SUPERVISOR,), _l("Dismiss"), reason=True)
    + _rows((S.TRIAGE,), S.REFERRED, (A.SUPERVISOR,), _l("Refer to another body"), reason=True,
            guards=(_receiving_body,))
    + _rows((S.INVESTIGATION,), S.ON_HOLD, (A.SUPERVISOR,), _l("Put on hold"), reason=True)
    + _rows((S.ON_HOLD,), S.INVESTIGATION, (A.SUPERVISOR,), _l("Resume investigation"))
    + _rows((S.INVESTIGATION,), S.REPORTING, (A.LEAD_INVESTIGATOR,), _l("Submit for reporting"),
            guards=(_all_findings,))
    + _rows((S.REPORTING,), S.INVESTIGATION, (A.SUPERVISOR,), _l("Send back to investigation"), reason=True)
    + _rows((S.REPORTING,), S.CLOSED, (A.SUPERVISOR,), _l("Close case"),
            guards=(_report_approved, _outcome_recorded))
    + _rows(_ENDED, S.TRIAGE, (A.SUPERVISOR,), _l("Reopen"), reason=True)
    + _rows(_ENDED, S.ARCHIVED, (A.RETENTION_JOB, A.ADMIN), _l("Archive"), guards=(_retention_over,))
)


def find_transition(source: CaseState, target: CaseState) -> Transition | None:
    """Return the table row from source to target, or None."""
    for t in TRANSITIONS:
        if t.source == source and t.target == target:
            return t
    return None


def static_problems(case: Case, transition: Transition) -> list[str]:
    """Return the messages of the guards that fail on the case as it is now."""
    return [msg for g in transition.guards if g in STATIC_GUARDS and (msg := g(case, {}))]


def offered_transitions(case: Case, user: User) -> list[tuple[Transition, list[str]]]:
    """Return the transitions the user may take from the case's state, each with what still blocks it."""
    return [(t, static_problems(case, t)) for t in TRANSITIONS
            if t.source == case.state and access.may_take(user, case, t)]


def _apply_effects(case: Case, target: CaseState, reason: str, inputs: dict[str, Any], actor: User | None) -> None:
    now = utcnow()
    if target == S.TRIAGE and case.triage_started_at is None:
        case.triage_started_at = now
    if case.state == S.TRIAGE and target != S.TRIAGE and case.triaged_at is None:
        case.triaged_at = now
    if target == S.INVESTIGATION and case.investigation_started_at is None:
        case.investigation_started_at = now
    if target == S.REPORTING:
        case.reporting_at = now
    if target == S.ON_HOLD:
        case.hold_reason = reason
    if target in (S.DISMISSED, S.REFERRED, S.CLOSED) and case.closed_at is None:
        case.closed_at = now
    if target in (S.DISMISSED, S.REFERRED):
        case.decision_reason = reason
    if target == S.REFERRED:
        case.referred_to = inputs["receiving_body"].strip()
    if target == S.CLOSED:
        case.outcome = (inputs.get("outcome") or case.outcome or "").strip()
    if target == S.TRIAGE and case.state in _ENDED:
        case.closed_at = None
        case.report_approved_at = None
    if target == S.ARCHIVED:
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
    problems += [msg for g in transition.guards if (msg := g(case, inputs))]
    if problems:
        _refuse(case, name, " ".join(problems))
    source = case.state
    _apply_effects(case, to_state, reason, inputs, actor)
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
    events.case_transitioned.send(case, source=source, target=to_state, actor=actor, reason=reason)


def mermaid_diagram() -> str:
    """Return the transition table as a Mermaid state diagram."""
    lines = ["stateDiagram-v2", "    [*] --> received"]
    for t in TRANSITIONS:
        who = ", ".join(a.value for a in sorted(t.who, key=lambda a: a.value))
        extra = "; reason" if t.reason_required else ""
        lines.append(f"    {t.source.value} --> {t.target.value}: {who}{extra}")
    lines.append("    archived --> [*]")
    return "\n".join(lines)
