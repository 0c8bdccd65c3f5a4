"""Decompression bombs built cheaply: frames, pixels and deflate streams that cost the receiver, not us."""

from __future__ import annotations

import io
import struct
import zlib

from tests.attacks.samples import CONTENT_TYPES, RELS


def gif_frames_bomb(frames: int = 300, side: int = 2000) -> bytes:
    """Return an animated GIF of `frames` frames of side x side pixels (about 4 KB a frame)."""
    from PIL import Image

    one = io.BytesIO()
    Image.new("P", (side, side), 1).save(one, format="GIF")
    data = one.getvalue()
    start = data.index(b"\x2c\x00\x00\x00\x00")  # the first image descriptor (at 0, 0)
    head, frame = data[:start], data[start:-1]
    gce = b"\x21\xf9\x04\x04\x02\x00\x00\x00"  # graphic control: keep frame, 20 ms
    loop = b"\x21\xff\x0bNETSCAPE2.0\x03\x01\x00\x00\x00"
    return head + loop + (gce + frame) * frames + b"\x3b"


def _chunk(kind: bytes, body: bytes) -> bytes:
    return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))


def png_pixel_bomb(side: int = 60000) -> bytes:
    """Return a PNG declaring side x side pixels (3.6 gigapixels) in a few hundred bytes."""
    ihdr = struct.pack(">IIBBBBB", side, side, 8, 0, 0, 0, 0)
    return (b"\x89PNG\r\n\x1a\n" + _chunk(b"IHDR", ihdr) + _chunk(b"IDAT", zlib.compress(b"\x00" * 4096))
            + _chunk(b"IEND", b""))


def _deflated_zeros(size: int, chunk: int = 1 << 20) -> tuple[bytes, int]:
    """Return a raw deflate stream of `size` zero bytes and its CRC-32, built from one compressed chunk."""
    comp = zlib.compressobj(9, zlib.DEFLATED, -15)
    block = comp.compress(b"\x00" * chunk) + comp.flush(zlib.Z_FULL_FLUSH)
    again = comp.compress(b"\x00" * chunk) + comp.flush(zlib.Z_FULL_FLUSH)
    assert again == block  # a full flush resets the compressor: every chunk compresses the same
    crc, zeros = 0, b"\x00" * chunk
    for _ in range(size // chunk):
        crc = zlib.crc32(zeros, crc)
    return block * (size // chunk) + comp.flush(), crc


def _zip(members: list[tuple[str, bytes, int, int, int]]) -> bytes:
    """Return a zip of (name, stored bytes, method, uncompressed size, crc) members, written by hand."""
    out, central = io.BytesIO(), io.BytesIO()
    for name, body, method, size, crc in members:
        offset = out.tell()
        raw = name.encode()
        out.write(struct.pack("<IHHHHHIIIHH", 0x04034B50, 20, 0, method, 0, 0x21, crc, len(body), size, len(raw), 0)
                  + raw + body)
        central.write(struct.pack("<IHHHHHHIIIHHHHHII", 0x02014B50, 20, 20, 0, method, 0, 0x21, crc, len(body), size,
                                  len(raw), 0, 0, 0, 0, 0, offset) + raw)
    cd = central.getvalue()
    return out.getvalue() + cd + struct.pack("<IHHHHIIH", 0x06054B50, 0, 0, len(members), len(members), len(cd),
                                             out.tell(), 0)


def _member(name: str, body: bytes) -> tuple[str, bytes, int, int, int]:
    return name, body, 0, len(body), zlib.crc32(body)


def office_zip_bomb(kind: str = "docx", size: int = 1 << 30) -> bytes:
    """Return a .docx or .odt of about 1 MB whose main part inflates to `size` bytes."""
    stream, crc = _deflated_zeros(size)
    if kind == "docx":
        return _zip([_member("[Content_Types].xml", CONTENT_TYPES), _member("_rels/.rels", RELS),
                     ("word/document.xml", stream, 8, size, crc)])
    return _zip([_member("mimetype", b"application/vnd.oasis.opendocument.text"),
                 ("content.xml", stream, 8, size, crc), _member("meta.xml", b"<office:document-meta/>")])


def png_large(side: int = 9000) -> bytes:
    """Return an RGB PNG of side x side pixels (under Pillow's own bomb limit) that decodes to ~240 MB."""
    ihdr = struct.pack(">IIBBBBB", side, side, 8, 2, 0, 0, 0)
    comp = zlib.compressobj(9)
    row = b"\x00" * (1 + 3 * side)
    body = b"".join(comp.compress(row) for _ in range(side)) + comp.flush()
    return b"\x89PNG\r\n\x1a\n" + _chunk(b"IHDR", ihdr) + _chunk(b"IDAT", body) + _chunk(b"IEND", b"")
