"""The case workflow's one transition table, as data: states, who may move a case, and the checks each move needs.

It imports no rule and no model: caseflow.workflow runs the checks and the move; caseflow.access decides who.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass, field
from typing import Any

from flask_babel import lazy_gettext as _l

from caseflow.enums import CaseState, Role

__all__ = ["TRANSITIONS", "Actor", "Check", "Transition", "find_transition", "mermaid_diagram", "ENDED"]


class Actor(enum.StrEnum):
    """Who may take a transition: a role, the case's lead investigator, or the retention job."""

    INTAKE_OFFICER = Role.INTAKE_OFFICER.value
    SUPERVISOR = Role.SUPERVISOR.value
    ADMIN = Role.ADMIN.value
    LEAD_INVESTIGATOR = "lead_investigator"
    RETENTION_JOB = "retention_job"


class Check(enum.StrEnum):
    """A condition a transition needs; caseflow.workflow holds the code that checks each."""

    CATEGORY_SET = "category_set"
    LEAD_ASSIGNED = "lead_assigned"
    NO_CONFLICT = "no_conflict"
    RECEIVING_BODY = "receiving_body"
    ALL_FINDINGS = "all_findings"
    REPORT_APPROVED = "report_approved"
    OUTCOME_RECORDED = "outcome_recorded"
    RETENTION_OVER = "retention_over"


# Checks that depend only on the case (not on what the user types) decide which buttons are live.
STATIC_CHECKS = frozenset({Check.CATEGORY_SET, Check.LEAD_ASSIGNED, Check.NO_CONFLICT, Check.ALL_FINDINGS,
                           Check.REPORT_APPROVED, Check.RETENTION_OVER})


@dataclass(frozen=True)
class Transition:
    """One row of the transition table."""

    source: CaseState
    target: CaseState
    who: frozenset[Actor]
    label: Any
    reason_required: bool = False
    guards: tuple[Check, ...] = field(default_factory=tuple)

    @property
    def name(self) -> str:
        """Return a stable identifier, e.g. 'triage->investigation'."""
        return f"{self.source.value}->{self.target.value}"

    @property
    def needs(self) -> set[str]:
        """Return the input fields this transition's form must ask for."""
        needs = {"reason"} if self.reason_required else set()
        if Check.RECEIVING_BODY in self.guards:
            needs.add("receiving_body")
        if Check.OUTCOME_RECORDED in self.guards:
            needs.add("outcome")
        return needs


def _rows(sources: tuple[CaseState, ...], target: CaseState, who: tuple[Actor, ...], label: Any,
          reason: bool = False, guards: tuple[Check, ...] = ()) -> list[Transition]:
    return [Transition(s, target, frozenset(who), label, reason, guards) for s in sources]


S, A, C = CaseState, Actor, Check
ENDED = (S.CLOSED, S.DISMISSED, S.REFERRED)
TRANSITIONS: tuple[Transition, ...] = tuple(
    _rows((S.RECEIVED,), S.TRIAGE, (A.INTAKE_OFFICER, A.SUPERVISOR), _l("Start triage"))
    + _rows((S.TRIAGE,), S.INVESTIGATION, (A.SUPERVISOR,), _l("Open investigation"),
            guards=(C.CATEGORY_SET, C.LEAD_ASSIGNED, C.NO_CONFLICT))
    + _rows((S.TRIAGE,), S.DISMISSED, (A.SUPERVISOR,), _l("Dismiss"), reason=True)
    + _rows((S.TRIAGE,), S.REFERRED, (A.SUPERVISOR,), _l("Refer to another body"), reason=True,
            guards=(C.RECEIVING_BODY,))
    + _rows((S.INVESTIGATION,), S.ON_HOLD, (A.SUPERVISOR,), _l("Put on hold"), reason=True)
    + _rows((S.ON_HOLD,), S.INVESTIGATION, (A.SUPERVISOR,), _l("Resume investigation"))
    + _rows((S.INVESTIGATION,), S.REPORTING, (A.LEAD_INVESTIGATOR,), _l("Submit for reporting"),
            guards=(C.ALL_FINDINGS,))
    + _rows((S.REPORTING,), S.INVESTIGATION, (A.SUPERVISOR,), _l("Send back to investigation"), reason=True)
    + _rows((S.REPORTING,), S.CLOSED, (A.SUPERVISOR,), _l("Close case"),
            guards=(C.REPORT_APPROVED, C.OUTCOME_RECORDED))
    + _rows(ENDED, S.TRIAGE, (A.SUPERVISOR,), _l("Reopen"), reason=True)
    + _rows(ENDED, S.ARCHIVED, (A.RETENTION_JOB, A.ADMIN), _l("Archive"), guards=(C.RETENTION_OVER,))
)


def find_transition(source: CaseState, target: CaseState) -> Transition | None:
    """Return the table row from source to target, or None."""
    for t in TRANSITIONS:
        if t.source == source and t.target == target:
            return t
    return None


def mermaid_diagram() -> str:
    """Return the transition table as a Mermaid state diagram."""
    lines = ["stateDiagram-v2", "    [*] --> received"]
    for t in TRANSITIONS:
        who = ", ".join(a.value for a in sorted(t.who, key=lambda a: a.value))
        extra = "; reason" if t.reason_required else ""
        lines.append(f"    {t.source.value} --> {t.target.value}: {who}{extra}")
    lines.append("    archived --> [*]")
    return "\n".join(lines)
