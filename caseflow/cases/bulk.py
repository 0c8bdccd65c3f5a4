"""Bulk actions of the case list: each selected case goes through the same rule, operation and audit as one by one.

A case is done whole or not at all (a savepoint each); a case refused is reported with its reason and audited,
and the others still go through. A case the actor may not see is answered as one that does not exist.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import sqlalchemy as sa
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from caseflow import access, denials, uow
from caseflow.cases import operations as ops
from caseflow.errors import CaseFlowError
from caseflow.extensions import db
from caseflow.models import Case, User

ACTIONS = {"assign_lead": _l("Assign a lead investigator"), "priority": _l("Set the priority"),
           "category": _l("Set the category"), "export": _l("Export (CSV)")}
MAX_CASES = 200


@dataclass
class BulkOutcome:
    """What a bulk action did to one selected case, or why it was refused."""

    number: str
    done: bool
    message: str


def _refused(outcomes: list[BulkOutcome], number: str, why: str, action: str, actor: User,
             case: Case | None) -> None:
    denials.record_case_refusal(f"bulk {action} {number}", why, case, actor)
    outcomes.append(BulkOutcome(number, False, why))


def selected_cases(actor: User, numbers: list[str], action: str) -> tuple[list[Case], list[BulkOutcome]]:
    """Return the selected cases the actor may act on, and a refusal for each other number (unknown or unseen)."""
    wanted = list(dict.fromkeys(n.strip() for n in numbers if n.strip()))[:MAX_CASES]
    found = {c.number: c for c in db.session.scalars(sa.select(Case).where(Case.number.in_(wanted)))}
    allowed: list[Case] = []
    refused: list[BulkOutcome] = []
    for number in wanted:
        case = found.get(number)
        if case is None or not access.can_view_case(actor, case):
            _refused(refused, number, _("No case with this number that you may see."), action, actor, case)
        elif not access.may_bulk(actor, case, action):
            _refused(refused, number, _("You may not do this to this case."), action, actor, case)
        else:
            allowed.append(case)
    return allowed, refused


def _each(actor: User, cases: list[Case], action: str, act: Callable[[Case], str]) -> list[BulkOutcome]:
    outcomes: list[BulkOutcome] = []
    for case in cases:
        try:
            with uow.savepoint():
                message = act(case)
        except CaseFlowError as exc:
            _refused(outcomes, case.number, exc.message, action, actor, case)
            continue
        outcomes.append(BulkOutcome(case.number, True, message))
    return outcomes


def assign_lead(actor: User, cases: list[Case], lead: User) -> list[BulkOutcome]:
    """Make one user the lead investigator of each case, refused where they are a subject or conflicted."""
    def act(case: Case) -> str:
        if case.lead_investigator_id == lead.id:
            return _("%(name)s was already the lead investigator.", name=lead.full_name)
        ops.assign_lead_investigator(case, lead, actor)
        return _("%(name)s is now the lead investigator.", name=lead.full_name)
    return _each(actor, cases, "assign_lead", act)


def set_details(actor: User, cases: list[Case], action: str, **fields: object) -> list[BulkOutcome]:
    """Change the priority or the category of each case through the one-by-one edit operation."""
    def act(case: Case) -> str:
        changed = ops.update_case_details(case, actor, **fields)
        return _("Changed.") if changed else _("Already so: nothing changed.")
    return _each(actor, cases, action, act)
