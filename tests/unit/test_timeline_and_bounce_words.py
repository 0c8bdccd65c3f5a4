"""What the report's timeline and a bounce's error keep: words for the reader, never raw data or an address."""

from __future__ import annotations

import json

from caseflow.channels.outbound import without_recipient
from caseflow.templating import audit_detail


def test_a_stored_file_is_described_in_words_without_flags_sizes_or_hashes(app: object) -> None:
    detail = json.dumps({"cleanable": True, "metadata_removed": False, "original_sealed": False,
                         "sha256_stored": "ab" * 32, "size": 20, "source": "evidence", "type": "text"})
    text = audit_detail(detail)
    for raw in ("cleanable", "original_sealed", "sha256_stored", "abab", "size", "metadata_removed"):
        assert raw not in text, (raw, text)
    assert "Metadata removed: no" in text and "Source: evidence" in text


def test_a_bounce_keeps_no_form_of_the_recipients_address() -> None:
    to = "rej2.zebulon@example.org"
    for quoted in ("550 <rej2.zebulon@example.org>: unknown", "5.1.1 user rej2.zebulon unknown here",
                   "rej2.zebulon%40example.org refused", "rej2.zebulon at example.org: no such user",
                   "user REJ2.ZEBULON. gone"):
        out = without_recipient(quoted, to)
        assert "zebulon" not in out.lower() and "<recipient>" in out, out
    assert without_recipient("452 mailbox full", to) == "452 mailbox full"
