"""Named signals operations emit after a change, for other areas to subscribe to (knows no model).

Receivers are connected explicitly by the area that wants them, from the app factories (e.g.
`caseflow.mywork.notices.connect`, `caseflow.dashboards.stale.connect`), never on import. A receiver runs
inside the operation's transaction, so what it writes is committed or rolled back with the change.
"""

from __future__ import annotations

from blinker import Namespace

_signals = Namespace()

# sender: the case (flushed, numbered); kwargs: actor
case_received = _signals.signal("case-received")
# sender: None; kwargs: received (the datetimes the imported cases were received at), actor
cases_imported = _signals.signal("cases-imported")
# sender: the case; kwargs: actor
case_acknowledged = _signals.signal("case-acknowledged")
# sender: the case; kwargs: changes (field name -> [old, new]), actor
case_details_changed = _signals.signal("case-details-changed")
# sender: the case; kwargs: user (assigned), actor, as_lead
case_assigned = _signals.signal("case-assigned")
# sender: the case; kwargs: user (taken off), actor
case_unassigned = _signals.signal("case-unassigned")
# sender: the case; kwargs: source, target (CaseState), actor, reason, dates (names of the date fields set)
case_transitioned = _signals.signal("case-transitioned")
# sender: the case; kwargs: unit (the one it moved to), previous (or None), actor
case_moved_unit = _signals.signal("case-moved-unit")
# sender: the case; kwargs: allegation, previous_at (the finding's former date, or None), actor
finding_recorded = _signals.signal("finding-recorded")
# sender: the case; kwargs: allegation, actor
sanction_decided = _signals.signal("sanction-decided")
# sender: the case; kwargs: message_id
reporter_message_posted = _signals.signal("reporter-message-posted")
# sender: the case; kwargs: none (the reporter opened the case with the receipt, first time that day)
reporter_returned = _signals.signal("reporter-returned")
# sender: the case; kwargs: actor (the first reply to the reporter: the feedback the legal clock waits for)
feedback_given = _signals.signal("feedback-given")
# sender: the case; kwargs: counts (what the retention job destroyed)
case_purged = _signals.signal("case-purged")
