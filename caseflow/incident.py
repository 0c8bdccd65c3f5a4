"""Time from incident to report, as a coarse band read from the reporter's free-text "when" answer.

The answer itself is sealed (it can identify a reporter); only the band is kept in clear, for the dashboard.
A band is set when the answer reads as a date (2025-03-04, 04/03/2025, 4.3.2025, 2025-03); otherwise unknown.
"""

from __future__ import annotations

import re
from datetime import date, datetime

# (last day of the band, or None) in days from the incident to receipt
BANDS = (7, 30, 90, 365, None)
_ISO = re.compile(r"(\d{4})-(\d{1,2})(?:-(\d{1,2}))?")
_DMY = re.compile(r"(\d{1,2})[./](\d{1,2})[./](\d{4})")


def parse_incident_date(text: str | None) -> date | None:
    """Return the date a "when it happened" answer gives (the first of the month for YYYY-MM), or None."""
    text = (text or "").strip()
    for pattern, order in ((_ISO, "ymd"), (_DMY, "dmy")):
        match = pattern.search(text)
        if match is None:
            continue
        parts = [int(p) if p else 1 for p in match.groups()]
        year, month, day = parts if order == "ymd" else parts[::-1]
        try:
            return date(year, month, day)
        except ValueError:
            return None
    return None


def incident_band(text: str | None, received_at: datetime | None) -> int | None:
    """Return the band (index into BANDS) of the delay from the incident to receipt, or None if unknown."""
    when = parse_incident_date(text)
    if when is None or received_at is None:
        return None
    days = (received_at.date() - when).days
    if days < 0 or days > 366 * 30:
        return None  # after receipt, or implausibly old: not a usable date
    for i, last in enumerate(BANDS):
        if last is None or days <= last:
            return i
    return None  # pragma: no cover - the last band is open
