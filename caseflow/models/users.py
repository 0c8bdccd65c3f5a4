"""Staff users and their roles."""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from flask_login import UserMixin
from sqlalchemy.orm import Mapped, mapped_column

from caseflow.enums import Role
from caseflow.models.base import Model, enum_column, now_default


class User(UserMixin, Model):
    """A member of staff who signs in; reporters are never users."""

    __tablename__ = "users"

    id: Mapped[int] = mapped_column(primary_key=True)
    username: Mapped[str] = mapped_column(sa.String(64), unique=True)
    full_name: Mapped[str] = mapped_column(sa.String(200))
    email: Mapped[str | None] = mapped_column(sa.String(254))
    badge_number: Mapped[str | None] = mapped_column(sa.String(40))  # matched against people named as subjects
    aliases: Mapped[str] = mapped_column(sa.Text, default="", server_default="")  # other names, one a line
    role: Mapped[Role] = mapped_column(enum_column(Role, "user_role"), index=True)
    office_id: Mapped[int | None] = mapped_column(sa.ForeignKey("offices.id"))
    password_hash: Mapped[str] = mapped_column(sa.String(255))
    active: Mapped[bool] = mapped_column(sa.Boolean, default=True)
    totp_secret_sealed: Mapped[str | None] = mapped_column("totp_secret", sa.String(160))  # crypto.seal_secret
    totp_enabled: Mapped[bool] = mapped_column(sa.Boolean, default=False)
    totp_last_step: Mapped[int | None] = mapped_column(sa.BigInteger)  # refuses a replayed TOTP code
    failed_logins: Mapped[int] = mapped_column(sa.Integer, default=0)
    locked_until: Mapped[datetime | None] = mapped_column(sa.DateTime)
    session_version: Mapped[int] = mapped_column(sa.Integer, default=1)
    password_changed_at: Mapped[datetime | None] = mapped_column(sa.DateTime)
    last_login_at: Mapped[datetime | None] = mapped_column(sa.DateTime)
    language: Mapped[str | None] = mapped_column(sa.String(10))  # of the last sign-in: mail to them uses it
    created_at: Mapped[datetime] = mapped_column(sa.DateTime, default=now_default)

    @property
    def totp_secret(self) -> str | None:
        """Return the TOTP seed (stored sealed under the key-encryption key)."""
        from caseflow.crypto import open_secret

        return open_secret("totp", self.totp_secret_sealed) if self.totp_secret_sealed else None

    @totp_secret.setter
    def totp_secret(self, value: str | None) -> None:
        from caseflow.crypto import seal_secret

        self.totp_secret_sealed = seal_secret("totp", value) if value else None

    @property
    def is_active(self) -> bool:  # type: ignore[override]
        """Return whether the account may sign in."""
        return bool(self.active)

    def get_id(self) -> str:
        """Return the session identifier: id and session version, so bumping the version logs out."""
        return f"{self.id}:{self.session_version}"

    def has_role(self, *roles: Role) -> bool:
        """Return whether the user holds one of the given roles."""
        return self.role in roles

    def __repr__(self) -> str:
        return f"<User {self.username} {self.role.value}>"
