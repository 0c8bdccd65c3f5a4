"""What kind of mail a message is before it may become a complaint: automatic (RFC 3834), a bounce (RFC 3464),
list or bulk mail; the language it is written in; what the receiving server said about its sender."""

from __future__ import annotations

import re
from email.message import Message

# Header checks, in order; each gives the reason kept on the "not a complaint" list.
LIST_HEADERS = ("List-Id", "List-Unsubscribe", "List-Post")
BULK_PRECEDENCE = {"bulk", "junk", "list"}
DAEMONS = re.compile(r"^(mailer-daemon|postmaster|mail-daemon|mailerdaemon)@", re.I)
MSGID = re.compile(r"<[^<>\s]{3,250}>")

# A few frequent words per language; enough to tell a complaint's language when no header says it.
STOPWORDS = {
    "fr": {"le", "la", "les", "des", "est", "une", "et", "que", "qui", "pas", "pour", "dans", "avec", "nous",
           "vous", "il", "elle", "mais", "sur", "au", "aux", "du", "j'ai", "agent", "été", "très"},
    "es": {"el", "los", "las", "es", "una", "y", "que", "por", "para", "con", "pero", "del", "nos", "usted",
           "muy", "fue", "está", "agente", "dinero", "me", "mi"},
    "pt": {"o", "os", "as", "é", "uma", "e", "que", "por", "para", "com", "mas", "do", "da", "não", "muito",
           "foi", "está", "agente", "dinheiro", "me", "meu", "você"},
}


def automatic_reason(msg: Message, from_addr: str) -> str | None:
    """Return why a message is automatic or bulk mail (never a complaint, never answered), or None."""
    auto = str(msg.get("Auto-Submitted", "") or "").strip().lower()
    if auto and auto.split(";")[0].strip() != "no":
        return f"auto-reply (Auto-Submitted: {auto[:40]})"
    for header in ("X-Autoreply", "X-Autorespond"):
        if msg.get(header) is not None:
            return f"auto-reply ({header})"
    if is_bounce(msg, from_addr):
        return "bounce (delivery status notification)"
    for header in LIST_HEADERS:
        if msg.get(header) is not None:
            return f"mailing list ({header})"
    precedence = str(msg.get("Precedence", "") or "").strip().lower()
    if precedence in BULK_PRECEDENCE:
        return f"bulk mail (Precedence: {precedence})"
    return None


def is_bounce(msg: Message, from_addr: str) -> bool:
    """Return whether a message is a delivery status notification (a bounce)."""
    if msg.get_content_type() == "multipart/report":
        return True
    return_path = str(msg.get("Return-Path", "") or "").strip()
    return return_path == "<>" or bool(DAEMONS.match(from_addr or ""))


def bounced_message_ids(msg: Message) -> list[str]:
    """Return the Message-IDs quoted by a bounce (of the mail that could not be delivered)."""
    found: list[str] = []
    for part in msg.walk():
        ctype = part.get_content_type()
        if ctype in ("message/rfc822", "message/rfc822-headers", "text/rfc822-headers", "message/global-headers"):
            payload = part.get_payload()
            text = ""
            if isinstance(payload, list):
                text = "\n".join(str(p.get("Message-ID", "")) for p in payload if isinstance(p, Message))
            elif isinstance(payload, str):
                text = payload
            found += MSGID.findall(text)
    return found


def detect_language(msg: Message, text: str, supported: list[str]) -> str | None:
    """Return the complaint's language: Content-Language if supported, else guessed from the text."""
    for tag in str(msg.get("Content-Language", "") or "").replace(";", ",").split(","):
        code = tag.strip().lower().split("-")[0]
        if code in supported:
            return code
    sample = text[:4000]
    arabic = sum(1 for ch in sample if "\u0600" <= ch <= "\u06ff")
    if arabic > 20 and "ar" in supported:
        return "ar"
    words = re.findall(r"[\w']+", sample.lower())
    scores = {lang: sum(1 for w in words if w in stop) for lang, stop in STOPWORDS.items() if lang in supported}
    english = sum(1 for w in words if w in {"the", "and", "is", "was", "of", "to", "he", "me", "my", "for"})
    if scores:
        best = max(scores, key=lambda k: scores[k])
        if scores[best] >= 3 and scores[best] > english:
            return best
    return None


def authentication_results(msg: Message) -> str | None:
    """Return the receiving server's SPF/DKIM/DMARC verdicts, e.g. "spf=pass dkim=fail dmarc=fail"."""
    header = msg.get("Authentication-Results")
    if header is None:
        return None
    verdicts: dict[str, str] = {}
    for method, result in re.findall(r"\b(spf|dkim|dmarc)\s*=\s*([a-z]+)", str(header).lower()):
        verdicts.setdefault(method, result)
    return " ".join(f"{m}={verdicts[m]}" for m in ("spf", "dkim", "dmarc") if m in verdicts) or None


def authentication_failed(results: str | None) -> bool:
    """Return whether the receiving server said the sender failed authentication (DMARC, or SPF/DKIM with no pass)."""
    if not results:
        return False
    verdicts = dict(item.split("=", 1) for item in results.split())
    if verdicts.get("dmarc") == "fail":
        return True
    checks = [verdicts[m] for m in ("spf", "dkim") if m in verdicts]
    return "pass" not in checks and any(v in ("fail", "softfail") for v in checks)
