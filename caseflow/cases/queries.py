"""Case list filters, shared by the list page, the API and exports."""

from __future__ import annotations

from dataclasses import dataclass, field, fields
from typing import Any, cast

import sqlalchemy as sa
from flask import current_app
from werkzeug.datastructures import MultiDict

from caseflow import access, deadlines, search
from caseflow.enums import CaseState, Channel, Priority
from caseflow.extensions import db
from caseflow.inputs import parse_int
from caseflow.models import Case, Category, Office, User


def _enum_or_none(enum_cls: Any, value: str | None) -> Any:
    try:
        return enum_cls(value) if value else None
    except ValueError:
        return None


MAX_ID = 2**31 - 1
SORT_KEYS = ("number", "received", "state", "priority", "lead", "deadline", "category", "office")
DEFAULT_SORT = "-received"
NEVER_NULL = ("received", "number")  # sort keys of NOT NULL columns: ordered as their index is, no NULLS clause
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
    sort: str = DEFAULT_SORT  # a key of SORT_KEYS, "-" first for descending; anything else reads as the default
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
            sort=_sort_or_default(args.get("sort")),
            page=parse_int(args.get("page"), 1, MAX_PAGE) or 1,
        )

    def as_args(self, **override: Any) -> dict[str, Any]:
        """Return the filters as query-string arguments (for paging and export links)."""
        out: dict[str, Any] = {}
        for f in fields(self):
            value = override.get(f.name, getattr(self, f.name))
            if value not in (None, "") and not (f.name == "page" and value == 1) \
                    and not (f.name == "sort" and value == DEFAULT_SORT):
                out[f.name] = value.value if hasattr(value, "value") else value
        return out

    def sort_link(self, key: str) -> dict[str, Any]:
        """Return the query-string arguments that sort by a column: ascending first, descending if already so."""
        return self.as_args(sort=f"-{key}" if self.sort == key else key, page=1)

    @property
    def sort_key(self) -> str:
        """Return the column the list is sorted by."""
        return self.sort.lstrip("-")

    @property
    def descending(self) -> bool:
        """Return whether the list is sorted in descending order."""
        return self.sort.startswith("-")

    def order_by(self) -> list[Any]:
        """Return the ORDER BY of the chosen sort (missing values last either way), the case id breaking ties."""
        column = _sort_column(self.sort_key)
        ordered = column.desc() if self.descending else column.asc()
        tie = Case.id.desc() if self.descending else Case.id.asc()
        if self.sort_key in NEVER_NULL:  # NULLS LAST on DESC keeps PostgreSQL from walking the index: it sorts all
            return [ordered, tie]
        return [ordered.nulls_last(), tie]

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


def _sort_or_default(value: str | None) -> str:
    """Return a sort value only if its key is one of SORT_KEYS; a hostile value never reaches the SQL."""
    value = (value or "").strip()
    return value if value.lstrip("-") in SORT_KEYS and value.count("-") <= 1 and value[-1:] != "-" else DEFAULT_SORT


_PRIORITY_ORDER = {p: i for i, p in enumerate(Priority)}
_STATE_ORDER = {s: i for i, s in enumerate(CaseState)}


def _sort_column(key: str) -> Any:
    """Return the SQL expression a whitelisted sort key orders by."""
    if key == "number":
        return Case.year * 1_000_000 + Case.seq  # numbers sort by year, then sequence (not as text)
    if key == "state":
        return sa.case(*[(Case.state == s, i) for s, i in _STATE_ORDER.items()])
    if key == "priority":
        return sa.case(*[(Case.priority == p, i) for p, i in _PRIORITY_ORDER.items()])
    if key == "lead":
        return sa.select(User.full_name).where(User.id == Case.lead_investigator_id).scalar_subquery()
    if key == "category":
        return sa.select(Category.name).where(Category.id == Case.category_id).scalar_subquery()
    if key == "office":
        return sa.select(Office.name).where(Office.id == Case.office_id).scalar_subquery()
    if key == "deadline":
        return deadlines.next_due_expression(db.session.get_bind().dialect.name == "postgresql")
    return Case.received_at


COUNT_CAP = 1_000  # counting every visible match of a national list is slow; above this the list says "more than"


@dataclass
class CasePage:
    """One page of a filtered case list."""

    items: list[Case]
    total: int
    page: int
    per_page: int
    capped: bool = False  # True when more than COUNT_CAP cases match (total is then COUNT_CAP)
    next_clocks: dict[int, deadlines.ClockStatus | None] = field(default_factory=dict)

    @property
    def pages(self) -> int:
        """Return the number of pages."""
        return max(1, -(-self.total // self.per_page))


def visible_cases(user: Any, filters: CaseFilters) -> sa.Select[Any]:
    """Return the SELECT of the cases a user may see that match the filters, in the filters' order."""
    stmt = sa.select(Case).where(access.visible_cases_clause(user), *filters.conditions())
    return stmt.order_by(*filters.order_by())


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
    return CasePage(items=items, total=total, page=filters.page, per_page=per_page, capped=capped,
                    next_clocks={c.id: deadlines.next_running_clock(c) for c in items})
