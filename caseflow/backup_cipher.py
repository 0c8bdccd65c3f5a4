"""Encryption of backup files: AES-256-GCM in 1 MiB chunks under a key derived from the KEK.

Each file starts with a magic and a random file id; every chunk is sealed with a nonce made of the file id
and the chunk's number, and with the file's path in the backup and a last-chunk flag as associated data, so
a chunk cannot be moved, reordered, dropped or moved to another file without the restore noticing.
"""

from __future__ import annotations

import os
import struct
from pathlib import Path

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from caseflow import crypto

MAGIC = b"CFBK1\n"
CHUNK = 1 << 20
PURPOSE = "backup-encryption"


class BackupCipherError(Exception):
    """An encrypted backup file does not open: altered, truncated, or another KEK."""


def _aad(name: str, last: bool) -> bytes:
    return name.encode() + (b"\x01" if last else b"\x00")


def encrypt_file(path: Path, name: str) -> None:
    """Encrypt a file of a backup in place (name: its path inside the backup)."""
    aead = AESGCM(crypto.derived_key(PURPOSE))
    file_id = os.urandom(8)
    out = path.with_name(path.name + ".partial")
    with path.open("rb") as src, out.open("wb") as dst:
        dst.write(MAGIC + file_id)
        index, chunk = 0, src.read(CHUNK)
        while True:
            following = src.read(CHUNK)
            last = not following
            sealed = aead.encrypt(file_id + struct.pack(">I", index), chunk, _aad(name, last))
            dst.write(struct.pack(">I", len(sealed)) + sealed)
            if last:
                break
            index, chunk = index + 1, following
    out.replace(path)


def decrypt_file(source: Path, target: Path, name: str) -> None:
    """Decrypt one encrypted backup file into target; raise BackupCipherError if it does not open whole."""
    aead = AESGCM(crypto.derived_key(PURPOSE))
    target.parent.mkdir(parents=True, exist_ok=True)
    with source.open("rb") as src, target.open("wb") as dst:
        if src.read(len(MAGIC)) != MAGIC:
            raise BackupCipherError(f"{name} is not an encrypted backup file")
        file_id = src.read(8)
        index, last = 0, False
        while not last:
            header = src.read(4)
            if len(header) != 4:
                raise BackupCipherError(f"{name} is truncated")
            sealed = src.read(struct.unpack(">I", header)[0])
            last = not src.peek(1)  # type: ignore[attr-defined]
            try:
                dst.write(aead.decrypt(file_id + struct.pack(">I", index), sealed, _aad(name, last)))
            except InvalidTag as exc:
                raise BackupCipherError(f"{name} does not decrypt: altered, truncated, or another KEK") from exc
            index += 1
