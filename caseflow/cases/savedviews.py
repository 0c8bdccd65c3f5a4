"""Verb-first operations on a user's saved views of the case list (filters and sort under a name)."""

from __future__ import annotations

from typing import Any
from urllib.parse import parse_qsl, urlencode

import sqlalchemy as sa
from flask_babel import gettext as _
from flask_babel import ngettext
from werkzeug.datastructures import MultiDict

from caseflow import audit
from caseflow.cases.queries import CaseFilters
from caseflow.errors import ValidationError
from caseflow.extensions import db
from caseflow.models import SavedView, User

MAX_NAME = 80
MAX_VIEWS = 50


def user_views(user: User) -> list[SavedView]:
    """Return the user's own saved views, by name."""
    views = db.session.scalars(sa.select(SavedView).where(SavedView.user_id == user.id).order_by(SavedView.id))
    return sorted(views, key=lambda v: v.name.casefold())


def view_filters(view: SavedView) -> CaseFilters:
    """Return the filters a view stores, parsed again as any query string is (so stale values are dropped)."""
    return CaseFilters.from_args(MultiDict(parse_qsl(view.query)))


def _clean_name(user: User, name: str | None, keep: SavedView | None = None) -> str:
    name = " ".join((name or "").split())
    if not name:
        raise ValidationError(_("Give the view a name."))
    if len(name) > MAX_NAME:
        raise ValidationError(ngettext("A view's name has at most %(num)d character.",
                                       "A view's name has at most %(num)d characters.", MAX_NAME))
    if any(v.name.casefold() == name.casefold() and v is not keep for v in user_views(user)):
        raise ValidationError(_("You already have a view named “%(name)s”.", name=name))
    return name


def save_view(user: User, name: str | None, filters: CaseFilters) -> SavedView:
    """Save the list's current filters and sort under a name, for this user only (never the cases themselves)."""
    name = _clean_name(user, name)
    if len(user_views(user)) >= MAX_VIEWS:
        raise ValidationError(ngettext("You have %(num)d saved view; delete one first.",
                                       "You have %(num)d saved views; delete one first.", MAX_VIEWS))
    args: dict[str, Any] = filters.as_args(page=1)
    view = SavedView(user_id=user.id, name=name, query=urlencode(sorted(args.items())))
    db.session.add(view)
    db.session.flush()
    audit.record("view.save", user, detail={"view": view.id})
    return view


def rename_view(view: SavedView, user: User, name: str | None) -> None:
    """Rename one of the user's views."""
    view.name = _clean_name(user, name, keep=view)
    db.session.flush()
    audit.record("view.rename", user, detail={"view": view.id})


def delete_view(view: SavedView, user: User) -> None:
    """Delete one of the user's views."""
    audit.record("view.delete", user, detail={"view": view.id})
    db.session.delete(view)
    db.session.flush()
