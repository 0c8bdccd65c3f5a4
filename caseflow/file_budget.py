"""Budgets a file must fit before it is decoded: pixels and frames of images, unpacked size of office files.

Every check reads headers and directories only (bounded work on at most the upload size), so a bomb is
refused in milliseconds and before any database write, form token or lock.
"""

from __future__ import annotations

import io
import struct
import zipfile
from dataclasses import dataclass

from flask import current_app
from flask_babel import gettext as _
from flask_babel import ngettext

from caseflow.errors import ValidationError

ZIP_KINDS = ("docx", "xlsx", "odt", "ods")
RATIO_FLOOR = 1024 * 1024  # a member smaller than this may compress as well as it likes


@dataclass(frozen=True)
class Budget:
    """The limits in force (from the configuration)."""

    pixels: int
    frames: int
    decoded_pixels: int
    unpacked_bytes: int
    ratio: int
    entries: int
    pdf_pages: int


def current_budget() -> Budget:
    """Return the budget configured for this installation."""
    cfg = current_app.config
    return Budget(pixels=cfg["CASEFLOW_MAX_IMAGE_PIXELS"], frames=cfg["CASEFLOW_MAX_IMAGE_FRAMES"],
                  decoded_pixels=cfg["CASEFLOW_MAX_DECODED_PIXELS"],
                  unpacked_bytes=cfg["CASEFLOW_MAX_UNPACKED_MB"] * 1024 * 1024, ratio=cfg["CASEFLOW_MAX_PACK_RATIO"],
                  entries=cfg["CASEFLOW_MAX_PACK_ENTRIES"], pdf_pages=cfg["CASEFLOW_MAX_PDF_PAGES"])


def gif_frames(data: bytes, stop_after: int) -> tuple[int, int, int]:
    """Return (width, height, frames) of a GIF by walking its blocks (no decoding); counting stops early."""
    if len(data) < 13:
        raise ValueError("truncated GIF")
    width, height, flags = struct.unpack_from("<HHB", data, 6)
    pos = 13 + (3 << ((flags & 7) + 1) if flags & 0x80 else 0)
    frames, biggest = 0, width * height
    while pos < len(data) and frames <= stop_after:
        block = data[pos]
        if block == 0x3B:  # trailer
            break
        if block == 0x21:  # extension: label, then sub-blocks
            pos += 2
        elif block == 0x2C:  # image descriptor (+ local colour table), LZW code size, then sub-blocks
            w, h, lflags = struct.unpack_from("<HHB", data, pos + 5)
            biggest = max(biggest, w * h)
            frames += 1
            pos += 10 + (3 << ((lflags & 7) + 1) if lflags & 0x80 else 0) + 1
        else:
            raise ValueError("bad GIF block")
        while pos < len(data) and data[pos]:
            pos += data[pos] + 1
        pos += 1
    if biggest > width * height:
        raise ValueError("a GIF frame larger than its screen")
    return width, height, max(frames, 1)


def _refuse(message: str) -> None:
    raise ValidationError(message)


def check_image(data: bytes, kind: str, name: str, budget: Budget) -> None:
    """Refuse an image whose decoded pixels or frames exceed the budget (headers only)."""
    from PIL import Image

    if kind == "gif":
        width, height, frames = gif_frames(data, budget.frames)
    else:
        with Image.open(io.BytesIO(data)) as img:
            width, height = img.size
            frames = getattr(img, "n_frames", 1) if kind == "png" else 1
    if width * height > budget.pixels:
        mp = budget.pixels // 1_000_000
        _refuse(ngettext("The image %(name)s is too large to process (%(w)d × %(h)d pixels; "
                         "at most %(mp)d megapixel).",
                         "The image %(name)s is too large to process (%(w)d × %(h)d pixels; "
                         "at most %(mp)d megapixels).", mp, name=name, w=width, h=height, mp=mp))
    if frames > budget.frames:
        _refuse(ngettext("The image %(name)s has too many frames (at most %(n)d).",
                         "The image %(name)s has too many frames (at most %(n)d).",
                         budget.frames, name=name, n=budget.frames))
    if width * height * frames > budget.decoded_pixels:
        mp = budget.decoded_pixels // 1_000_000
        _refuse(ngettext("The image %(name)s is too large to process once decoded (at most %(mp)d megapixel in all).",
                         "The image %(name)s is too large to process once decoded "
                         "(at most %(mp)d megapixels in all).", mp, name=name, mp=mp))


def check_package(data: bytes, name: str, budget: Budget) -> None:
    """Refuse an office file (a zip) that unpacks beyond the size, ratio or entry budget (directory only)."""
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        infos = zf.infolist()
    if len(infos) > budget.entries:
        _refuse(ngettext("The file %(name)s holds too many parts (at most %(n)d).",
                         "The file %(name)s holds too many parts (at most %(n)d).",
                         budget.entries, name=name, n=budget.entries))
    total = sum(i.file_size for i in infos)
    packed = any(i.file_size > RATIO_FLOOR and i.file_size > budget.ratio * max(i.compress_size, 1) for i in infos)
    if total > budget.unpacked_bytes or packed:
        mb = budget.unpacked_bytes // (1024 * 1024)
        _refuse(ngettext("The file %(name)s unpacks to too much data (at most %(mb)d MB, compressed at most %(r)d "
                         "to 1); it may be a compression bomb.",
                         "The file %(name)s unpacks to too much data (at most %(mb)d MB, compressed at most %(r)d "
                         "to 1); it may be a compression bomb.", mb, name=name, mb=mb, r=budget.ratio))


def check_pdf(data: bytes, name: str, budget: Budget) -> None:
    """Refuse a PDF with more pages than the budget (pypdf reads the page tree, not the page contents)."""
    from pypdf import PdfReader

    reader = PdfReader(io.BytesIO(data))
    if reader.is_encrypted:
        return  # its pages cannot be counted without the password; the cleaner cannot open it either
    pages = len(reader.pages)
    if pages > budget.pdf_pages:
        _refuse(ngettext("The PDF %(name)s has too many pages to process (at most %(n)d).",
                         "The PDF %(name)s has too many pages to process (at most %(n)d).", budget.pdf_pages,
                         name=name, n=budget.pdf_pages))


def check_budget(data: bytes, kind: str, name: str) -> None:
    """Refuse a file that would cost more than the budget to decode; damaged headers are refused too."""
    budget = current_budget()
    try:
        if kind in ("jpeg", "png", "gif"):
            check_image(data, kind, name, budget)
        elif kind in ZIP_KINDS:
            check_package(data, name, budget)
        elif kind == "pdf":
            check_pdf(data, name, budget)
    except ValidationError:
        raise
    except Exception as exc:  # noqa: BLE001 - any parser failure means a damaged file
        raise ValidationError(_("The file %(name)s could not be read; it may be damaged.", name=name)) from exc
