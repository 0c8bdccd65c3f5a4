"""Finding active content in a file (what runs or fetches something when the file is opened), to warn staff.

Only structure is read (PDF objects, zip directories, small relationship parts): bounded by the file's size.
"""

from __future__ import annotations

import io
import re
import zipfile
from typing import Any

MAX_PDF_OBJECTS = 50_000
MAX_PART = 2 * 1024 * 1024  # relationship and metadata parts read to look for external targets
EXTERNAL = re.compile(rb'TargetMode\s*=\s*"External"')
TEMPLATE_REL = re.compile(rb'<Relationship\b[^>]*attachedTemplate[^>]*>', re.IGNORECASE)
OBJECT_REL = re.compile(rb'<Relationship\b[^>]*(?:oleObject|frame|subDocument)[^>]*>', re.IGNORECASE)
ODF_TEMPLATE = re.compile(rb'<meta:template\b[^>]*xlink:href\s*=\s*"(?:https?|ftp|file|smb)://', re.IGNORECASE)


def _pdf_findings(data: bytes) -> set[str]:
    from pypdf import PdfReader
    from pypdf.generic import DictionaryObject

    found: set[str] = set()
    reader = PdfReader(io.BytesIO(data))
    if reader.is_encrypted:
        return {"unreadable"} if re.search(rb"/(JavaScript|JS|OpenAction|Launch|AA)\b", data) else set()
    numbers = [num for gen in reader.xref.values() for num in gen] + list(reader.xref_objStm)
    for num in numbers[:MAX_PDF_OBJECTS]:
        try:
            obj: Any = reader.get_object(num)
        except Exception:  # noqa: BLE001,S112 - a damaged object holds nothing runnable for a viewer either
            continue
        if not isinstance(obj, DictionaryObject):
            continue
        kind = obj.get("/S")
        if "/JS" in obj or kind == "/JavaScript":
            found.add("pdf_javascript")
        if kind == "/Launch":
            found.add("pdf_launch")
        if "/AA" in obj:
            found.add("pdf_auto_action")
        if "/EmbeddedFiles" in obj or obj.get("/Type") == "/EmbeddedFile":
            found.add("pdf_embedded_files")
    root: Any = reader.trailer["/Root"]
    if "/OpenAction" in root:
        found.add("pdf_open_action")
    return found


def _small(zf: zipfile.ZipFile, info: zipfile.ZipInfo) -> bytes:
    return zf.read(info) if info.file_size <= MAX_PART else b""


def _package_findings(data: bytes) -> set[str]:
    found: set[str] = set()
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        for info in zf.infolist():
            name = info.filename.lower()
            if "vbaproject" in name or name.startswith(("basic/", "scripts/")):  # VBA; ODF Basic and scripts
                found.add("macros")
            if name.endswith(".rels"):
                for rel in TEMPLATE_REL.findall(_small(zf, info)):
                    if EXTERNAL.search(rel):
                        found.add("external_template")
                for rel in OBJECT_REL.findall(_small(zf, info)):
                    if EXTERNAL.search(rel):
                        found.add("external_object")
            if name == "meta.xml" and ODF_TEMPLATE.search(_small(zf, info)):
                found.add("external_template")
    return found


def find_active_content(data: bytes, kind: str) -> list[str]:
    """Return the kinds of active content in a file (sorted codes; empty if none or not inspectable)."""
    try:
        if kind == "pdf":
            found = _pdf_findings(data)
        elif kind in ("docx", "xlsx", "odt", "ods"):
            found = _package_findings(data)
        else:
            return []
    except Exception:  # noqa: BLE001 - a file the parser cannot read is flagged for a careful look
        return ["unreadable"]
    return sorted(found)


def describe(received: list[str], stored: list[str]) -> str | None:
    """Return the column value: each code found in the file as received, '*' when the stored copy has it too."""
    if not received:
        return None
    return ",".join(code + ("*" if code in stored else "") for code in received)[:300]
