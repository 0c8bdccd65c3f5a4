"""Parsing incoming mail: text from HTML, safe attachment names, the case number of a reply, refusals."""

from __future__ import annotations

import pytest

from caseflow.channels.mailparse import UnparseableMail, html_to_text, parse_mail, safe_filename


def test_html_to_text_drops_scripts_styles_and_tags_and_decodes_entities():
    text = html_to_text("<html><head><title>t</title><style>p{}</style></head><body>"
                        "<p>One &amp; two</p><script>alert('x')</script><div>Three<br>Four</div></body></html>")
    assert text == "One & two\n\nThree\nFour"


@pytest.mark.parametrize(("name", "expected"), [
    ("../../etc/passwd", "passwd"),
    ("C:\\Users\\me\\scan.pdf", "scan.pdf"),
    ("evil\x00\x07name.txt", "evilname.txt"),
    ('a<b>:"c|d?.txt', "abcd.txt"),
    ("...", "attachment-3.bin"),
    (None, "attachment-3.bin"),
])
def test_safe_filename(name, expected):
    assert safe_filename(name, 3) == expected


def test_long_names_keep_their_extension():
    name = safe_filename("x" * 300 + ".pdf", 1)
    assert len(name) <= 120 and name.endswith(".pdf")


def test_case_number_is_found_in_a_reply_subject():
    mail = parse_mail(b"From: a@example.org\r\nSubject: RE: Fwd: Complaint IA-2026-00042 received\r\n\r\nhi\r\n")
    assert mail.case_number() == "IA-2026-00042"
    assert parse_mail(b"From: a@example.org\r\nSubject: IA-2026\r\n\r\nhi\r\n").case_number() is None


def test_windows_1252_body_is_decoded():
    raw = (b"From: a@example.org\r\nSubject: x\r\nContent-Type: text/plain; charset=windows-1252\r\n\r\n"
           b"caf\xe9 \x80 50\r\n")
    assert parse_mail(raw).text == "café € 50"


def test_unusable_messages_are_refused_with_a_reason(app, monkeypatch):
    with pytest.raises(UnparseableMail, match="no sender"):
        parse_mail(b"Subject: x\r\n\r\nbody\r\n")
    with pytest.raises(UnparseableMail, match="empty message"):
        parse_mail(b"From: a@example.org\r\nSubject: x\r\n\r\n   \r\n")
    monkeypatch.setitem(app.config, "CASEFLOW_IMAP_MAX_BYTES", 100)
    with pytest.raises(UnparseableMail, match="over the 100-byte limit"):
        parse_mail(b"From: a@example.org\r\nSubject: x\r\n\r\n" + b"y" * 200)
