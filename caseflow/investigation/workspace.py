"""What every page of a case's investigation workspace needs: the case, if the user may open it, and task owners."""

from __future__ import annotations

from flask_login import current_user

from caseflow import access
from caseflow.cases.loading import load_case
from caseflow.models import Case


def workspace_case(number: str) -> Case:
    """Return the case if the user may open its workspace; 403/404 otherwise."""
    case = load_case(number)
    access.require(access.can_view_workspace(current_user, case))
    return case


def owner_choices(case: Case) -> list[tuple[object, str]]:
    """Return the people a task or interview can be given to: the assignees and the acting supervisor."""
    people = [u for u in access.assigned_users(case) if access.can_own_task(u, case)]
    if current_user not in people and access.can_own_task(current_user, case):
        people.append(current_user)
    return [(u.id, u.full_name) for u in people]
