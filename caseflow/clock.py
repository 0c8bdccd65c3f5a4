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


_REPORTER_SIDE = "caseflow.reporter_side"


def mark_reporter_side(app: object) -> None:
    """Mark an application as the reporters' one: what it records is dated to the hour (reporter_time)."""
    app.extensions[_REPORTER_SIDE] = True  # type: ignore[attr-defined]


def is_reporter_side() -> bool:
    """Return whether the running application is the reporter portal."""
    return has_app_context() and bool(current_app.extensions.get(_REPORTER_SIDE))


def reporter_time() -> datetime:
    """Return the current time to the hour, for what a reporter does: a time to the second or finer could be
    matched against network or building logs. The day stays exact, which is all the legal clocks count."""
    return utcnow().replace(minute=0, second=0, microsecond=0)
