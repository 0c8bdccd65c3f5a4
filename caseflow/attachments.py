"""Files received on a case: type by content, reporter files cleaned (original sealed), hashed, encrypted."""

from __future__ import annotations

import hashlib
import io
import os
import re
import secrets
import unicodedata
import zipfile
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from flask import current_app
from flask_babel import gettext as _
from flask_babel import ngettext
from sqlalchemy import event
from sqlalchemy.orm import Session

from caseflow import audit
from caseflow.active_content import describe, find_active_content
from caseflow.casekeys import decrypt_for_case, encrypt_for_case, open_text, seal_text
from caseflow.clock import reporter_time, utcnow
from caseflow.errors import ValidationError
from caseflow.extensions import db
from caseflow.file_budget import check_budget
from caseflow.file_cleaning import CannotCleanError, clean_file
from caseflow.models.intake import STAFF_SOURCES, Attachment

if TYPE_CHECKING:
    from caseflow.models import Case, ReporterMessage, User


@dataclass(frozen=True)
class FileKind:
    """An accepted file type: its name, MIME type and canonical extension."""

    name: str
    mimetype: str
    extension: str


KINDS = {k.name: k for k in (
    FileKind("pdf", "application/pdf", ".pdf"),
    FileKind("jpeg", "image/jpeg", ".jpg"),
    FileKind("png", "image/png", ".png"),
    FileKind("gif", "image/gif", ".gif"),
    FileKind("text", "text/plain; charset=utf-8", ".txt"),
    FileKind("docx", "application/vnd.openxmlformats-officedocument.wordprocessingml.document", ".docx"),
    FileKind("xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", ".xlsx"),
    FileKind("odt", "application/vnd.oasis.opendocument.text", ".odt"),
    FileKind("ods", "application/vnd.oasis.opendocument.spreadsheet", ".ods"),
    FileKind("mp3", "audio/mpeg", ".mp3"),
    FileKind("m4a", "audio/mp4", ".m4a"),
    FileKind("wav", "audio/wav", ".wav"),
)}
ALIASES = {"jpeg": (".jpeg", ".jpe"), "text": (".text", ".log", ".csv", ".md")}
ALLOWED_DESCRIPTION = "PDF, JPEG, PNG, GIF, TXT, DOCX, XLSX, ODT, ODS, MP3, M4A, WAV"
MAX_NAME = 120


def _zip_kind(data: bytes) -> str | None:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as zf:
            names = set(zf.namelist())
            if "mimetype" in names:
                mime = zf.read("mimetype").strip()
                return {b"application/vnd.oasis.opendocument.text": "odt",
                        b"application/vnd.oasis.opendocument.spreadsheet": "ods"}.get(mime)
            if "[Content_Types].xml" in names:
                if "word/document.xml" in names:
                    return "docx"
                if "xl/workbook.xml" in names:
                    return "xlsx"
    except (zipfile.BadZipFile, OSError, KeyError):
        return None
    return None


def _is_text(data: bytes) -> bool:
    if b"\x00" in data:
        return False
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return all(ch.isprintable() or ch in "\r\n\t\f\ufeff" for ch in text[:65536])


def detect_kind(data: bytes) -> FileKind | None:
    """Return the file's type judged by its content (magic bytes), never by its name; None if not allowed."""
    head = data[:16]
    name: str | None = None
    if head.startswith(b"%PDF-"):
        name = "pdf"
    elif head.startswith(b"\xff\xd8\xff"):
        name = "jpeg"
    elif head.startswith(b"\x89PNG\r\n\x1a\n"):
        name = "png"
    elif head[:6] in (b"GIF87a", b"GIF89a"):
        name = "gif"
    elif head.startswith(b"PK\x03\x04"):
        name = _zip_kind(data)
    elif head[:4] == b"RIFF" and head[8:12] == b"WAVE":
        name = "wav"
    elif head[4:8] == b"ftyp" and head[8:11] in (b"M4A", b"mp4", b"iso", b"M4B"):
        name = "m4a"
    elif head.startswith(b"ID3") or (len(head) > 1 and head[0] == 0xFF and head[1] & 0xE0 == 0xE0):
        name = "mp3"
    elif data and _is_text(data):
        name = "text"
    return KINDS[name] if name else None


def safe_filename(filename: str, kind: FileKind | None = None) -> str:
    """Return a harmless file name: no directories, control characters or leading dots; the right extension."""
    name = unicodedata.normalize("NFC", filename or "")
    name = re.split(r"[/\\]", name)[-1]
    name = "".join(ch for ch in name if ch.isprintable() and ch not in '<>:"|?*;')
    name = re.sub(r"\s+", " ", name).strip(" .")[:MAX_NAME].strip(" .") or "attachment"
    if kind is None:
        return name
    stem, dot, ext = name.rpartition(".")
    if dot and "." + ext.lower() in (kind.extension, *ALIASES.get(kind.name, ())):
        name = stem
    return name + kind.extension


def max_upload_bytes() -> int:
    """Return the per-file size limit in bytes."""
    return int(current_app.config.get("CASEFLOW_MAX_UPLOAD_MB", 30)) * 1024 * 1024


def _storage_path(storage_name: str) -> Path:
    return Path(current_app.config["CASEFLOW_UPLOAD_DIR"]) / storage_name[:2] / storage_name


def _write_new(path: Path, blob: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "wb") as fh:
        fh.write(blob)


NEW_FILES = "caseflow.new_files"  # session.info key: files written in the open transaction


def keeps_bytes(source: str) -> bool:
    """Return whether files from this source are stored byte for byte (staff evidence, statements, documents)."""
    return source in STAFF_SOURCES


@dataclass(frozen=True)
class PreparedFile:
    """A file checked, typed and (for a reporter's file) cleaned, ready to be stored; nothing written yet."""

    filename: str
    kind: FileKind
    received: bytes
    stored: bytes
    metadata_removed: bool
    cleanable: bool = True
    active_content: str | None = None  # codes found (see caseflow.active_content.describe)


class UncleanableFilesError(ValidationError):
    """Files of a submission that could not be cleaned; the reporter chooses before anything is sent."""

    def __init__(self, names: list[str]) -> None:
        super().__init__(_("These files could not be cleaned of identifying data (such as an author's name or "
                           "the place a photo was taken): %(names)s. Nothing has been sent yet. Choose below "
                           "whether to send without them or to send them as they are, then attach your files "
                           "again.", names=", ".join(names)))
        self.names = names


UNCLEANABLE_CHOICES = ("drop", "keep")  # send without them; send them as they are (the reporter's choice)


Upload = tuple[str, "bytes | PreparedFile"]  # (file name, content as received or already prepared)


def prepare_file(filename: str, data: bytes, source: str, keep_uncleanable: bool = False) -> PreparedFile:
    """Check a file against the size, type and decoding budgets and clean it if it is a reporter's; no writes.

    A file that cannot be cleaned raises UncleanableFilesError, unless the reporter chose to send it as it is.
    """
    shown = safe_filename(filename)
    if not data:
        raise ValidationError(_("The file %(name)s is empty.", name=shown))
    limit = max_upload_bytes()
    if len(data) > limit:
        raise ValidationError(ngettext("The file %(name)s is larger than %(mb)d MB.",
                                       "The file %(name)s is larger than %(mb)d MB.",
                                       limit // (1024 * 1024), name=shown, mb=limit // (1024 * 1024)))
    kind = detect_kind(data)
    if kind is None:
        raise ValidationError(_("The file %(name)s is not an accepted type (accepted: %(types)s). "
                                "The type is judged by the content, not the name.",
                                name=shown, types=ALLOWED_DESCRIPTION))
    name = safe_filename(filename, kind)
    if keeps_bytes(source):
        found = find_active_content(data, kind.name)
        return PreparedFile(name, kind, data, data, False, active_content=describe(found, found))
    check_budget(data, kind.name, shown)
    found = find_active_content(data, kind.name)
    try:
        stored, stripped = clean_file(data, kind.name, kind.extension)
    except CannotCleanError as exc:
        if not keep_uncleanable:
            raise UncleanableFilesError([shown]) from exc
        return PreparedFile(name, kind, data, data, False, cleanable=False, active_content=describe(found, found))
    left = find_active_content(stored, kind.name) if found and stored != data else found
    return PreparedFile(name, kind, data, stored, stripped, active_content=describe(found, left))


def prepare_files(files: list[tuple[str, bytes]], source: str,
                  uncleanable: str = "") -> list[tuple[str, PreparedFile]]:
    """Prepare every file of one submission (all checked before any is stored); raises ValidationError.

    Files that cannot be cleaned are all named in one UncleanableFilesError, unless the reporter chose to send
    without them (uncleanable="drop") or to send them as they are ("keep").
    """
    check_submission(files)
    prepared, refused = [], []
    for name, data in files:
        try:
            prepared.append((name, prepare_file(name, data, source, keep_uncleanable=uncleanable == "keep")))
        except UncleanableFilesError as exc:
            refused += exc.names
    if refused and uncleanable != "drop":
        raise UncleanableFilesError(refused)
    return prepared


def check_submission(files: list[tuple[str, bytes]]) -> None:
    """Refuse a submission with more files, or more bytes in all, than configured; the message names the file."""
    cfg = current_app.config
    if len(files) > cfg["CASEFLOW_MAX_FILES"]:
        raise ValidationError(ngettext("Too many files: at most %(n)d can be sent at once (%(name)s is one too many).",
                                       "Too many files: at most %(n)d can be sent at once (%(name)s is one too many).",
                                       cfg["CASEFLOW_MAX_FILES"], n=cfg["CASEFLOW_MAX_FILES"],
                                       name=safe_filename(files[cfg["CASEFLOW_MAX_FILES"]][0])))
    total, budget = 0, cfg["CASEFLOW_MAX_SUBMISSION_MB"] * 1024 * 1024
    for name, data in files:
        total += len(data)
        if total > budget:
            raise ValidationError(ngettext("The files sent at once may total at most %(mb)d MB; %(name)s goes over it.",
                                           "The files sent at once may total at most %(mb)d MB; %(name)s goes over it.",
                                           cfg["CASEFLOW_MAX_SUBMISSION_MB"], mb=cfg["CASEFLOW_MAX_SUBMISSION_MB"],
                                           name=safe_filename(name)))


def _write_tracked(storage_name: str, blob: bytes) -> None:
    path = _storage_path(storage_name)
    db.session.info.setdefault(NEW_FILES, []).append(path)
    _write_new(path, blob)


@event.listens_for(Session, "after_commit")
def _keep_new_files(session: Session) -> None:
    """The transaction that refers to the new files committed: they stay."""
    session.info.pop(NEW_FILES, None)


@event.listens_for(Session, "after_transaction_end")
def _remove_orphans(session: Session, transaction: Any) -> None:
    """A transaction that wrote files ended without committing: remove them, so nothing is left unreferenced."""
    if transaction.parent is None:
        for path in session.info.pop(NEW_FILES, []):
            path.unlink(missing_ok=True)


def store_attachment(case: Case, filename: str, data: bytes | PreparedFile, actor: User | None, source: str,
                     message: ReporterMessage | None = None) -> Attachment:
    """Check, hash, encrypt and store one file on a case; audited. Raises ValidationError.

    Staff uploads are stored exactly as received. A reporter's file is cleaned of identifying metadata for
    daily work; when cleaning changed it, the file as received is kept beside it, sealed. Files written by a
    transaction that is rolled back are removed from disk. Raw bytes come from channels where nobody can be
    asked (mail, API, staff-entered): a file that cannot be cleaned is kept as it is, and flagged.
    """
    prepared = data if isinstance(data, PreparedFile) else prepare_file(filename, data, source,
                                                                        keep_uncleanable=True)
    received, stored, kind = prepared.received, prepared.stored, prepared.kind
    storage_name = secrets.token_hex(20)
    _write_tracked(storage_name, encrypt_for_case(case, stored))
    original_name = None
    if stored != received:
        original_name = secrets.token_hex(20)
        _write_tracked(original_name, encrypt_for_case(case, received))
    attachment = Attachment(
        case_id=case.id, message=message, source=source[:32], filename_blob=seal_text(case, prepared.filename),
        content_type=kind.mimetype, kind=kind.name, size_original=len(received), size_stored=len(stored),
        sha256_original=hashlib.sha256(received).hexdigest(), sha256_stored=hashlib.sha256(stored).hexdigest(),
        metadata_removed=prepared.metadata_removed, storage_name=storage_name, original_storage_name=original_name,
        original_lost=False, active_content=prepared.active_content,
        uploaded_by_id=actor.id if actor is not None else None,
        created_at=reporter_time() if source == "reporter" else utcnow())
    db.session.add(attachment)
    db.session.flush()
    audit.record("attachment.store", actor, case, {
        "attachment": attachment.id, "type": kind.name, "size": len(received), "source": attachment.source,
        "sha256_original": attachment.sha256_original, "sha256_stored": attachment.sha256_stored,
        "metadata_removed": prepared.metadata_removed, "original_sealed": original_name is not None,
        "cleanable": prepared.cleanable, "active_content": prepared.active_content},
        actor_label=None if actor is not None else source)
    return attachment


def _case_of(attachment: Attachment) -> Any:
    from caseflow.models import Case

    return db.session.get(Case, attachment.case_id)


def read_attachment(attachment: Attachment) -> bytes:
    """Return a stored file's content (decrypted and checked against its recorded SHA-256)."""
    blob = _storage_path(attachment.storage_name).read_bytes()
    data = decrypt_for_case(_case_of(attachment), blob)
    if hashlib.sha256(data).hexdigest() != attachment.sha256_stored:
        raise ValidationError(_("The stored file does not match its recorded fingerprint."))
    return data


def read_original(attachment: Attachment) -> bytes:
    """Return the sealed original of a cleaned file, exactly as received (checked against its SHA-256)."""
    if attachment.original_storage_name is None:
        if attachment.original_lost:
            raise ValidationError(_("The file as received was not kept: it was altered before storage."))
        return read_attachment(attachment)
    blob = _storage_path(attachment.original_storage_name).read_bytes()
    data = decrypt_for_case(_case_of(attachment), blob)
    if hashlib.sha256(data).hexdigest() != attachment.sha256_original:
        raise ValidationError(_("The stored file does not match its recorded fingerprint."))
    return data


def attachment_name(attachment: Attachment) -> str:
    """Return the attachment's safe file name (decrypted)."""
    return open_text(_case_of(attachment), attachment.filename_blob)


def delete_attachment_files(storage_names: list[str]) -> None:
    """Remove stored files from disk (used when a case's records are purged)."""
    for name in storage_names:
        _storage_path(name).unlink(missing_ok=True)
