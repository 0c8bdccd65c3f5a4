"""Attachments: type by content, size limit, metadata stripped, hashes kept, encrypted on disk, safe names."""

from __future__ import annotations

import hashlib
import io
import zipfile
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa
from flask import Flask

from caseflow import attachments
from caseflow.errors import ValidationError
from caseflow.extensions import db
from caseflow.models import AuditEvent
from tests.factories import make_case
from tests.reporting_support import png_bytes


def _jpeg_with_exif() -> bytes:
    from PIL import Image

    img = Image.new("RGB", (16, 16), (10, 120, 200))
    exif = Image.Exif()
    exif[0x013B] = "Reporter Private Name"  # Artist
    exif[0x0110] = "Phone Model X"  # Model
    out = io.BytesIO()
    img.save(out, format="JPEG", exif=exif.tobytes())
    return out.getvalue()


def _pdf_with_author() -> bytes:
    from pypdf import PdfWriter

    writer = PdfWriter()
    writer.add_blank_page(width=200, height=200)
    writer.add_metadata({"/Author": "Reporter Private Name", "/Title": "Ledger"})
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def _stored_blob(app: Flask, attachment: attachments.Attachment) -> bytes:
    root = Path(app.config["CASEFLOW_UPLOAD_DIR"])
    return (root / attachment.storage_name[:2] / attachment.storage_name).read_bytes()


@pytest.mark.parametrize(("data", "kind"), [
    (b"%PDF-1.7\n...", "pdf"), (b"\xff\xd8\xff\xe0rest", "jpeg"), (b"GIF89a....", "gif"),
    (b"RIFF\x00\x00\x00\x00WAVEfmt ", "wav"), (b"ID3\x04\x00rest", "mp3"), ("Plain words, ünïcode\n".encode(), "text"),
    ("\ufeffNotes with a byte-order mark\r\n".encode(), "text"),
])
def test_type_is_judged_by_content(data: bytes, kind: str) -> None:
    found = attachments.detect_kind(data)
    assert found is not None and found.name == kind


def test_a_program_or_a_plain_zip_is_refused_whatever_its_name() -> None:
    case = make_case()
    for data, name in ((b"MZ\x90\x00\x03\x00\x00\x00" + bytes(range(256)), "invoice.pdf"),
                       (b"\x7fELF\x02\x01\x01" + b"\x00" * 64, "photo.jpg")):
        with pytest.raises(ValidationError, match="not an accepted type"):
            attachments.store_attachment(case, name, data, None, "reporter")
    zipped = io.BytesIO()
    with zipfile.ZipFile(zipped, "w") as zf:
        zf.writestr("payload.exe", b"MZ")
    assert attachments.detect_kind(zipped.getvalue()) is None


def test_a_png_named_pdf_is_stored_as_png_with_a_png_name(app: Flask) -> None:
    case = make_case()
    stored = attachments.store_attachment(case, "report.pdf", png_bytes(), None, "reporter")
    assert stored.kind == "png" and stored.content_type == "image/png"
    assert attachments.attachment_name(stored) == "report.pdf.png"


def test_oversize_file_is_refused_with_a_clear_message(app: Flask, monkeypatch: Any) -> None:
    case = make_case()
    monkeypatch.setitem(app.config, "CASEFLOW_MAX_UPLOAD_MB", 1)
    with pytest.raises(ValidationError, match=r"larger than 1 MB"):
        attachments.store_attachment(case, "big.txt", b"a" * (1024 * 1024 + 1), None, "reporter")


@pytest.mark.parametrize(("name", "expected"), [
    ("../../etc/passwd", "passwd.txt"), ("..\\..\\windows\\win.ini", "win.ini.txt"), ("/abs/notes.txt", "notes.txt"),
    (".bashrc", "bashrc.txt"), ("a\x00b\r\n.txt", "ab.txt"), ('<img src=x onerror="1">.txt', "img src=x onerror=1.txt"),
    ("", "attachment.txt"),
])
def test_path_traversal_and_control_characters_are_neutralised(name: str, expected: str) -> None:
    assert attachments.safe_filename(name, attachments.KINDS["text"]) == expected


def test_file_is_encrypted_on_disk_hashed_and_read_back(app: Flask) -> None:
    case = make_case()
    data = b"Ledger of payments: 400 EUR to officer at lane 2\n"
    stored = attachments.store_attachment(case, "../../../ledger.txt", data, None, "reporter")
    db.session.commit()
    blob = _stored_blob(app, stored)
    assert b"Ledger" not in blob and b"400 EUR" not in blob
    assert ".." not in stored.storage_name and "/" not in stored.storage_name
    assert stored.sha256_original == hashlib.sha256(data).hexdigest() == stored.sha256_stored
    assert attachments.read_attachment(stored) == data
    assert attachments.attachment_name(stored) == "ledger.txt"
    event = db.session.scalar(sa.select(AuditEvent).where(AuditEvent.action == "attachment.store"))
    assert stored.sha256_original in event.detail and "ledger" not in event.detail


def test_exif_is_removed_from_photos_and_the_original_hash_kept(app: Flask) -> None:
    case = make_case()
    original = _jpeg_with_exif()
    assert b"Reporter Private Name" in original
    stored = attachments.store_attachment(case, "IMG_0001.JPG", original, None, "reporter")
    clean = attachments.read_attachment(stored)
    assert b"Reporter Private Name" not in clean and b"Phone Model X" not in clean
    assert stored.metadata_removed and stored.sha256_original == hashlib.sha256(original).hexdigest()
    assert stored.sha256_stored == hashlib.sha256(clean).hexdigest() != stored.sha256_original
    png = attachments.read_attachment(attachments.store_attachment(case, "x.png", png_bytes(), None, "reporter"))
    assert b"Reporter Private Name" not in png


def test_pdf_and_office_document_metadata_is_removed() -> None:
    case = make_case()
    pdf = attachments.read_attachment(attachments.store_attachment(case, "l.pdf", _pdf_with_author(), None, "r"))
    assert pdf.startswith(b"%PDF-") and b"Reporter Private Name" not in pdf
    from tests.attacks.samples import AUTHOR, docx_with_author

    docx = attachments.store_attachment(case, "l.docx", docx_with_author(), None, "reporter")
    assert docx.kind == "docx"
    with zipfile.ZipFile(io.BytesIO(attachments.read_attachment(docx))) as zf:
        assert all(AUTHOR.encode() not in zf.read(n) for n in zf.namelist())
        assert b"Payments at gate 4" in zf.read("word/document.xml")


def test_a_damaged_image_is_refused() -> None:
    case = make_case()
    with pytest.raises(ValidationError, match="could not be read"):
        attachments.store_attachment(case, "broken.png", b"\x89PNG\r\n\x1a\n" + b"\x00" * 40, None, "reporter")


def test_mp3_tags_that_could_name_the_reporter_are_removed() -> None:
    from caseflow.attachments import detect_kind
    from caseflow.file_cleaning import clean_file

    frames = b"\xff\xfb\x90\x64" + b"\x00" * 413  # one MPEG-1 layer III frame header and its body
    body = b"TPE1" + (19).to_bytes(4, "big") + b"\x00\x00" + b"\x00Maria Lopes iPhone"
    tag = b"ID3\x03\x00\x00" + bytes([0, 0, 0, len(body)]) + body
    v1 = b"TAG" + b"Recorded at the gate".ljust(30, b"\x00") + b"Maria Lopes".ljust(30, b"\x00") + b"\x00" * 65
    data = tag + frames * 3 + v1
    kind = detect_kind(data)
    assert kind is not None and kind.name == "mp3"
    stripped, removed = clean_file(data, kind.name, kind.extension)
    assert removed
    assert b"Maria" not in stripped and b"gate" not in stripped
