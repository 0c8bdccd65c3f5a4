"""Removing identifying metadata from a reporter's file: mat2 (libmat2) where it covers the format, own code
only where it does not (WAV without ffmpeg, M4A); a file that cannot be cleaned is reported, never passed.
"""

from __future__ import annotations

import io
import logging
import struct
import tempfile
from pathlib import Path
from typing import Any

from flask import current_app

log = logging.getLogger(__name__)

MAT2_KINDS = frozenset({"jpeg", "png", "gif", "pdf", "docx", "xlsx", "odt", "ods", "mp3"})
WAV_KEEP = (b"fmt ", b"data", b"fact", b"cue ")  # sound and its layout; LIST/INFO, bext, iXML, id3 hold names


class CannotCleanError(Exception):
    """The file could not be cleaned of its metadata (damaged, or a structure the cleaner refuses)."""


def mat2_parser_factory() -> Any:
    """Return libmat2's parser factory, or None when mat2 is not installed (every file is then refused)."""
    try:
        from libmat2 import parser_factory
    except (ImportError, ValueError):  # ValueError: a GObject typelib it needs is missing
        return None
    return parser_factory


def _work_dir() -> Path:
    path = Path(current_app.config["CASEFLOW_UPLOAD_DIR"]) / "tmp"
    path.mkdir(parents=True, exist_ok=True, mode=0o700)
    return path


def _with_mat2(data: bytes, extension: str) -> bytes:
    factory = mat2_parser_factory()
    if factory is None:
        raise CannotCleanError("mat2 is not installed")
    from libmat2.archive import UnknownMemberPolicy

    with tempfile.TemporaryDirectory(dir=_work_dir()) as folder:
        source = Path(folder) / ("upload" + extension)
        source.write_bytes(data)
        try:
            parser, _mime = factory.get_parser(str(source))
            if parser is None:
                raise CannotCleanError("no mat2 parser")
            # PDFs: pages redrawn as vectors by Poppler/cairo (text stays text); rasterising every page at
            # 200 dpi (the thorough mode) costs seconds a page, beyond the time budget of a submission.
            parser.lightweight_cleaning = extension == ".pdf"
            if hasattr(parser, "unknown_member_policy"):
                parser.unknown_member_policy = UnknownMemberPolicy.OMIT  # drops macros and unlisted parts
            if not parser.remove_all():
                raise CannotCleanError("mat2 refused the file")
            return Path(parser.output_filename).read_bytes()
        except CannotCleanError:
            raise
        except Exception as exc:  # noqa: BLE001 - any parser failure means the file cannot be cleaned
            log.info("mat2 could not clean a %s file: %s", extension, type(exc).__name__)
            raise CannotCleanError(str(exc)) from exc


def _clean_wav(data: bytes) -> bytes:
    """Keep only the RIFF chunks that carry sound (names and devices live in LIST/INFO, bext, iXML, id3)."""
    if len(data) < 12 or data[:4] != b"RIFF" or data[8:12] != b"WAVE":
        raise CannotCleanError("not a WAVE file")
    pos, kept = 12, []
    while pos + 8 <= len(data):
        tag, size = data[pos:pos + 4], struct.unpack_from("<I", data, pos + 4)[0]
        end = pos + 8 + size + (size & 1)
        if end > len(data) + 1:
            raise CannotCleanError("truncated chunk")
        if tag in WAV_KEEP:
            kept.append(data[pos:end])
        pos = end
    body = b"WAVE" + b"".join(kept)
    return b"RIFF" + struct.pack("<I", len(body)) + body


def _clean_m4a(data: bytes) -> bytes:
    """Remove the iTunes-style tags (names, titles, devices, pictures) with mutagen."""
    try:
        from mutagen.mp4 import MP4
    except ImportError as exc:
        raise CannotCleanError("mutagen is not installed") from exc
    buf = io.BytesIO(data)
    try:
        audio = MP4(buf)
        audio.delete(buf)
    except Exception as exc:  # noqa: BLE001 - a damaged file cannot be cleaned
        raise CannotCleanError(str(exc)) from exc
    return buf.getvalue()


def clean_file(data: bytes, kind: str, extension: str) -> tuple[bytes, bool]:
    """Return the file without identifying metadata and whether it was changed; raise CannotCleanError."""
    if kind == "text":
        return data, False  # plain text carries no metadata beyond what the reporter typed
    if kind == "wav":
        cleaned = _clean_wav(data)
    elif kind == "m4a":
        cleaned = _clean_m4a(data)
    elif kind in MAT2_KINDS:
        cleaned = _with_mat2(data, extension)
    else:
        raise CannotCleanError(f"no cleaner for {kind}")
    return cleaned, True
