"""Named signals operations emit after a change, for other areas to subscribe to (knows no model).

Receivers are connected explicitly by the area that wants them (e.g. `caseflow.mywork.init_app`), never on import.
"""

from __future__ import annotations

from blinker import Namespace

_signals = Namespace()

# sender: the case; kwargs: user (assigned), actor, as_lead
case_assigned = _signals.signal("case-assigned")
# sender: the case; kwargs: user (taken off), actor
case_unassigned = _signals.signal("case-unassigned")
# sender: the case; kwargs: source, target (CaseState), actor, reason
case_transitioned = _signals.signal("case-transitioned")
# sender: the case; kwargs: unit (the one it moved to), previous (or None), actor
case_moved_unit = _signals.signal("case-moved-unit")
# sender: the case; kwargs: message_id
reporter_message_posted = _signals.signal("reporter-message-posted")
