"""One injectable clock: all of CaseFlow asks it for the time, so tests can move it."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from flask import current_app, has_app_context


class Clock:
    """The real clock: naive UTC datetimes, as the database stores them."""

    def now(self) -> datetime:
        """Return the current time as naive UTC."""
        return datetime.now(UTC).replace(tzinfo=None)


class FrozenClock(Clock):
    """A clock that stands still until moved; for tests and benchmarks."""

    def __init__(self, at: datetime) -> None:
        self.at = at

    def now(self) -> datetime:
        """Return the frozen time."""
        return self.at

    def advance(self, **kwargs: float) -> None:
        """Move the clock forward by a timedelta given as keyword arguments."""
        self.at = self.at + timedelta(**kwargs)


_DEFAULT = Clock()


def get_clock() -> Clock:
    """Return the application's clock (the real one unless a test installed another)."""
    if has_app_context():
        clock = current_app.extensions.get("caseflow.clock")
        if clock is not None:
            return clock
    return _DEFAULT


def set_clock(app: object, clock: Clock) -> None:
    """Install a clock on an application."""
    app.extensions["caseflow.clock"] = clock  # type: ignore[attr-defined]


def utcnow() -> datetime:
    """Return the current naive-UTC time from the application's clock."""
    return get_clock().now()
