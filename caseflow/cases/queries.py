"""Case list filters, shared by the list page, the API and exports."""

from __future__ import annotations

from dataclasses import dataclass, fields
from typing import Any, cast

import sqlalchemy as sa
from flask import current_app
from werkzeug.datastructures import MultiDict

from caseflow import access, deadlines, search
from caseflow.enums import CaseState, Channel, Priority
from caseflow.extensions import db
from caseflow.inputs import parse_int
from caseflow.models import Case


def _enum_or_none(enum_cls: Any, value: str | None) -> Any:
    try:
        return enum_cls(value) if value else None
    except ValueError:
        return None


MAX_ID = 2**31 - 1
MAX_PAGE = 100000  # a larger page number is read as the first page


def _int_or_none(value: str | None) -> int | None:
    """Return a positive database-sized integer, or None for anything else (malformed, negative, huge)."""
    return parse_int(value, 1, MAX_ID)


@dataclass
class CaseFilters:
    """The filters a case list can apply; unknown or malformed values are ignored."""

    state: CaseState | None = None
    category: int | None = None
    priority: Priority | None = None
    channel: Channel | None = None
    office: int | None = None
    assignee: int | None = None
    deadline: str | None = None  # "overdue" or "due_week"
    q: str | None = None
    page: int = 1

    @classmethod
    def from_args(cls, args: MultiDict[str, str] | dict[str, Any]) -> CaseFilters:
        """Parse filters from query-string arguments."""
        deadline = args.get("deadline")
        return cls(
            state=_enum_or_none(CaseState, args.get("state")),
            category=_int_or_none(args.get("category")),
            priority=_enum_or_none(Priority, args.get("priority")),
            channel=_enum_or_none(Channel, args.get("channel")),
            office=_int_or_none(args.get("office")),
            assignee=_int_or_none(args.get("assignee")),
            deadline=deadline if deadline in ("overdue", "due_week") else None,
            q=(args.get("q") or "").strip()[:200] or None,
            page=parse_int(args.get("page"), 1, MAX_PAGE) or 1,
        )

    def as_args(self, **override: Any) -> dict[str, Any]:
        """Return the filters as query-string arguments (for paging and export links)."""
        out: dict[str, Any] = {}
        for f in fields(self):
            value = override.get(f.name, getattr(self, f.name))
            if value not in (None, "") and not (f.name == "page" and value == 1):
                out[f.name] = value.value if hasattr(value, "value") else value
        return out

    def conditions(self) -> list[sa.ColumnElement[bool]]:
        """Return the SQL conditions of the filters that are set."""
        conds: list[sa.ColumnElement[bool]] = []
        if self.state:
            conds.append(Case.state == self.state)
        if self.category:
            conds.append(Case.category_id == self.category)
        if self.priority:
            conds.append(Case.priority == self.priority)
        if self.channel:
            conds.append(Case.channel == self.channel)
        if self.office:
            conds.append(Case.office_id == self.office)
        if self.assignee:
            conds.append(Case.lead_investigator_id == self.assignee)
        if self.deadline == "overdue":
            conds.append(deadlines.overdue_clause())
        elif self.deadline == "due_week":
            conds.append(deadlines.due_soon_clause(days=7))
        if self.q:
            conds.append(cast(sa.ColumnElement[bool], search.search_clause(self.q, db.session.get_bind().dialect.name)))
        return conds


COUNT_CAP = 1_000  # counting every visible match of a national list is slow; above this the list says "more than"


@dataclass
class CasePage:
    """One page of a filtered case list."""

    items: list[Case]
    total: int
    page: int
    per_page: int
    capped: bool = False  # True when more than COUNT_CAP cases match (total is then COUNT_CAP)

    @property
    def pages(self) -> int:
        """Return the number of pages."""
        return max(1, -(-self.total // self.per_page))


def visible_cases(user: Any, filters: CaseFilters) -> sa.Select[Any]:
    """Return the SELECT of the cases a user may see that match the filters, newest first."""
    stmt = sa.select(Case).where(access.visible_cases_clause(user), *filters.conditions())
    return stmt.order_by(Case.received_at.desc(), Case.id.desc())


def list_cases(user: Any, filters: CaseFilters, per_page: int | None = None) -> CasePage:
    """Return one page of the cases a user may see that match the filters."""
    per_page = per_page or current_app.config["CASEFLOW_PAGE_SIZE"]
    stmt = visible_cases(user, filters)
    counted = stmt.order_by(None).with_only_columns(Case.id).limit(COUNT_CAP + 1).subquery()
    total = db.session.scalar(sa.select(sa.func.count()).select_from(counted)) or 0
    capped = total > COUNT_CAP
    total = min(total, COUNT_CAP)
    # The page's ids first (an index walk, no joins), then those cases with their office, category and lead:
    # joining before the limit made PostgreSQL join every match when it under-estimated a search's matches.
    page_ids = list(db.session.scalars(stmt.with_only_columns(Case.id).limit(per_page)
                                       .offset((filters.page - 1) * per_page)))
    by_id = {c.id: c for c in db.session.scalars(sa.select(Case).where(Case.id.in_(page_ids)))} if page_ids else {}
    items = [by_id[i] for i in page_ids if i in by_id]
    return CasePage(items=items, total=total, page=filters.page, per_page=per_page, capped=capped)
