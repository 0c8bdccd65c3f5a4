"""Verifying a PDF: is it one CaseFlow issued, byte for byte?"""

from __future__ import annotations

import hashlib
import io
import re
from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa

from caseflow.extensions import db
from caseflow.models.reports import IssuedReport

_ID = re.compile(r"caseflow-report-id=(R-[0-9A-F]{16})")


@dataclass
class Verdict:
    """The result of checking a file."""

    ok: bool
    sha256: str
    issued: IssuedReport | None
    claimed_id: str | None = None


def claimed_report_id(data: bytes) -> str | None:
    """Return the report id a PDF claims in its metadata, if it can be read."""
    match = _ID.search(data.decode("latin-1"))
    if match:
        return match.group(1)
    try:
        from pypdf import PdfReader

        metadata: Any = PdfReader(io.BytesIO(data)).metadata or {}
        keywords = metadata.get("/Keywords", "")
    except Exception:  # noqa: BLE001 - a damaged file simply claims nothing
        return None
    match = _ID.search(str(keywords))
    return match.group(1) if match else None


def verify_pdf(data: bytes) -> Verdict:
    """Look the file's SHA-256 up among issued reports; if unknown, say which report it claims to be."""
    digest = hashlib.sha256(data).hexdigest()
    issued = db.session.scalar(sa.select(IssuedReport).where(IssuedReport.sha256 == digest))
    if issued is not None:
        return Verdict(True, digest, issued, issued.report_id)
    claimed = claimed_report_id(data)
    original = db.session.scalar(sa.select(IssuedReport).where(IssuedReport.report_id == claimed)) if claimed else None
    return Verdict(False, digest, original, claimed)
