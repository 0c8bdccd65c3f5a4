"""Demo investigation work: plan, tasks, interviews, evidence with custody and referrals on demo cases."""

from __future__ import annotations

import random
from datetime import timedelta

from caseflow.clock import utcnow
from caseflow.investigation import evidence, operations
from caseflow.models import Case, User

WITNESSES = ["Paul Broker", "Hana Trucker", "Li Wei (forwarding agent)", "Gate guard on duty", "Shift supervisor"]
BODIES = [("anti_corruption_commission", "National Anti-Corruption Commission"),
          ("police", "Police Financial Crimes Unit"), ("prosecutor", "Public Prosecutor"),
          ("other_unit", "Customs Internal Audit")]


def add_workspace(rng: random.Random, case: Case, lead: User, supervisor: User) -> None:
    """Record what a lead investigator does in the first days of an investigation (no files: keeps demo fast)."""
    now = utcnow()
    operations.declare_conflict(case, lead, False)
    operations.save_plan(case, lead, "1. Interview the complainant's witnesses.\n2. Obtain the gate CCTV and "
                                     "the clearance records.\n3. Interview the subject last.")
    done = operations.add_task(case, lead, "Request the clearance records", lead.id, (now + timedelta(days=3)).date())
    operations.set_task_done(done, lead, True)
    operations.add_task(case, lead, "Obtain the gate CCTV export", lead.id,
                        (now + timedelta(days=rng.randint(-5, 20))).date())
    operations.record_interview(case, lead, rng.choice(WITNESSES), "witness", now - timedelta(hours=2),
                                "Interview room, regional office", lead.id,
                                "Confirms the sequence of events; saw cash handed over near the gate.")
    item = evidence.register_evidence(case, lead, "Clearance records for the consignment (paper file)",
                                      "Clearance office", "Evidence safe, regional office", None,
                                      now - timedelta(hours=1))
    evidence.hand_over(item, lead, "Forensic document examiner", now, "Check for alterations",
                       "Forensic laboratory locker")
    if rng.random() < 0.25:
        kind, name = rng.choice(BODIES)
        operations.add_referral(case, supervisor, kind, name, now.date(), f"REF-{rng.randint(100, 999)}")
