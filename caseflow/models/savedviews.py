"""A user's saved, named views of the case list: filters and sort, never case ids."""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from caseflow.models.base import Model, SealedText, now_default


class SavedView(Model):
    """Filters and sort of the case list saved under a name, private to the user who saved them."""

    __tablename__ = "saved_views"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id", ondelete="CASCADE"), index=True)
    # A name or a search may name a person: both sealed (so names are kept unique by the operations, not an index).
    name: Mapped[str] = mapped_column(SealedText("saved_view"))
    query: Mapped[str] = mapped_column(SealedText("saved_view"))  # the list's query string, re-parsed on use
    created_at: Mapped[datetime] = mapped_column(sa.DateTime, default=now_default)
