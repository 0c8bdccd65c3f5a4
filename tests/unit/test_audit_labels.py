"""Every audit action the code records has a label, so the audit log never shows a raw code as the only text."""

from __future__ import annotations

import re
from pathlib import Path

from caseflow.templating import ACTION_LABELS

ROOT = Path(__file__).resolve().parents[2]
RECORDED = re.compile(r"\brecord(?:_event)?\(\s*\"([a-z_]+\.[a-z_.]+)\"|\baction\s*=\s*\"([a-z_]+\.[a-z_.]+)\"")


def test_every_recorded_action_has_a_label():
    actions = {a or b for p in (ROOT / "caseflow").rglob("*.py") for a, b in RECORDED.findall(p.read_text())}
    assert len(actions) > 50
    missing = sorted(actions - set(ACTION_LABELS))
    assert not missing, f"audit actions without a label in caseflow/templating.py: {missing}"
