"""Turn a raw e-mail into the parts a complaint needs: sender, subject, plain text, attachments."""

from __future__ import annotations

import codecs
import email
import email.errors
import email.parser
import email.policy
import html
import re
from dataclasses import dataclass, field
from email.message import EmailMessage, Message
from email.utils import getaddresses
from html.parser import HTMLParser

from flask import current_app

from caseflow.channels.mailkind import (
    authentication_results,
    automatic_reason,
    bounced_message_ids,
    detect_language,
    is_bounce,
)

MAX_TEXT = 200_000


class UnparseableMail(Exception):  # noqa: N818 - reads as a reason
    """The message cannot become a complaint; the reason is logged and it goes to the failed folder."""


@dataclass
class ParsedMail:
    """The useful parts of one incoming message."""

    message_id: str
    subject: str
    from_addr: str
    from_name: str
    text: str
    attachments: list[tuple[str, bytes]] = field(default_factory=list)
    ignore_reason: str | None = None  # automatic, bounce, list or bulk mail: never a case, never answered
    bounced_ids: list[str] = field(default_factory=list)  # Message-IDs quoted by a bounce
    language: str | None = None
    auth_results: str | None = None

    def case_number(self) -> str | None:
        """Return the case number quoted in the subject (a reply), if any."""
        prefix = re.escape(current_app.config.get("CASEFLOW_CASE_PREFIX", "IA"))
        match = re.search(rf"\b({prefix}-\d{{4}}-\d{{5,}})\b", self.subject)
        return match.group(1) if match else None


class _TextExtractor(HTMLParser):
    """Collect the visible text of an HTML body; scripts and styles are dropped, nothing is executed."""

    BLOCK = {"p", "div", "br", "li", "tr", "h1", "h2", "h3", "h4", "h5", "h6", "table", "blockquote"}

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self._skip = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in ("script", "style", "head", "title"):
            self._skip += 1
        elif tag in self.BLOCK:
            self.parts.append("\n")

    def handle_endtag(self, tag: str) -> None:
        if tag in ("script", "style", "head", "title"):
            self._skip = max(0, self._skip - 1)
        elif tag in self.BLOCK:
            self.parts.append("\n")

    def handle_data(self, data: str) -> None:
        if not self._skip:
            self.parts.append(data)


def html_to_text(markup: str) -> str:
    """Return the readable text of an HTML body (tags removed, entities decoded, blank lines collapsed)."""
    parser = _TextExtractor()
    parser.feed(markup)
    parser.close()
    text = html.unescape("".join(parser.parts))
    lines = [" ".join(line.split()) for line in text.splitlines()]
    return re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip()


BAD_TRANSFER = (email.errors.InvalidBase64CharactersDefect, email.errors.InvalidBase64LengthDefect,
                email.errors.InvalidBase64PaddingDefect)


def _payload(part: Message) -> bytes | None:
    """Return a part's decoded bytes; raise UnparseableMail when its transfer encoding is broken."""
    data = part.get_payload(decode=True)
    if any(isinstance(d, BAD_TRANSFER) for d in part.defects):
        raise UnparseableMail(f"invalid base64 in a {part.get_content_type()} part")
    return data if isinstance(data, bytes) else None


def _decode_part(part: Message) -> str:
    payload = _payload(part)
    if payload is None:
        return ""
    charset = part.get_content_charset() or "utf-8"
    try:
        codecs.lookup(charset)
    except LookupError:
        raise UnparseableMail(f"unknown charset {charset[:40]!r}") from None
    try:
        return payload.decode(charset)
    except UnicodeDecodeError:
        return payload.decode("cp1252" if charset.lower() in ("us-ascii", "ascii") else "latin-1", "replace")


def safe_filename(name: str | None, index: int) -> str:
    """Return a harmless file name: no path, no control characters, a sane length."""
    name = (name or "").replace("\\", "/").rsplit("/", 1)[-1]
    name = "".join(ch for ch in name if ch.isprintable() and ch not in '<>:"|?*').strip(" .")
    if not name:
        name = f"attachment-{index}.bin"
    if len(name) > 120:
        stem, dot, ext = name.rpartition(".")
        name = (stem[:100] + dot + ext[:15]) if dot else name[:120]
    return name


def message_id_of(raw: bytes) -> str:
    """Return a message's own Message-ID from its headers alone ("" when it has none or they cannot be read)."""
    try:
        headers = email.parser.BytesHeaderParser(policy=email.policy.compat32).parsebytes(raw[:65536])
        return " ".join(str(headers.get("Message-ID", "") or "").split())[:300]
    except Exception:  # noqa: BLE001 - unreadable headers have no usable id
        return ""


def parse_mail(raw: bytes) -> ParsedMail:
    """Parse a raw RFC 5322 message; raise UnparseableMail with a reason when it cannot be used."""
    limit = current_app.config.get("CASEFLOW_IMAP_MAX_BYTES", 25 * 1024 * 1024)
    if len(raw) > limit:
        raise UnparseableMail(f"message is {len(raw)} bytes, over the {limit}-byte limit")
    try:
        msg = email.message_from_bytes(raw, policy=email.policy.default)
    except Exception as exc:  # noqa: BLE001 - any parser failure means unparseable
        raise UnparseableMail(f"cannot parse message: {type(exc).__name__}") from exc
    assert isinstance(msg, EmailMessage)
    try:
        senders = getaddresses([str(msg.get("From", ""))])
        subject = " ".join(str(msg.get("Subject", "") or "").split())
        message_id = str(msg.get("Message-ID", "") or "").strip()
    except Exception as exc:  # noqa: BLE001 - malformed headers
        raise UnparseableMail(f"malformed headers: {type(exc).__name__}") from exc
    from_name, from_addr = senders[0] if senders else ("", "")
    reason = automatic_reason(msg, from_addr)
    if reason is not None:
        return ParsedMail(message_id=message_id[:300], subject=subject[:500], from_addr=from_addr[:320],
                          from_name=from_name[:200], text="", ignore_reason=reason,
                          bounced_ids=bounced_message_ids(msg) if is_bounce(msg, from_addr) else [])
    if not from_addr or "@" not in from_addr:
        raise UnparseableMail("no sender address")
    plain: list[str] = []
    htmls: list[str] = []
    attachments: list[tuple[str, bytes]] = []
    for part in msg.walk():
        if part.is_multipart():
            continue
        disposition = part.get_content_disposition()
        ctype = part.get_content_type()
        if disposition == "attachment" or (disposition == "inline" and part.get_filename()) \
                or ctype not in ("text/plain", "text/html"):
            data = _payload(part)
            if data:
                attachments.append((safe_filename(part.get_filename(), len(attachments) + 1), data))
            continue
        (plain if ctype == "text/plain" else htmls).append(_decode_part(part))
    text = "\n\n".join(t.strip() for t in plain if t.strip())
    if not text and htmls:
        text = "\n\n".join(html_to_text(h) for h in htmls)
    text = text.replace("\x00", "")[:MAX_TEXT]
    if not text.strip() and not attachments:
        raise UnparseableMail("empty message: no text and no attachment")
    return ParsedMail(message_id=message_id[:300], subject=subject[:500], from_addr=from_addr[:320],
                      from_name=from_name[:200], text=text, attachments=attachments,
                      language=detect_language(msg, text, list(current_app.config.get("CASEFLOW_LANGUAGES", []))),
                      auth_results=authentication_results(msg))
