"""Envelope encryption of confidential case data, and receipt codes for anonymous reporters.

Each case has its own random 256-bit data key, stored wrapped (RFC 3394 AES key wrap) by the
key-encryption key (KEK). The KEK lives in CASEFLOW_KEK_FILE, outside the database, created 0600 on
first use. Data is sealed with AES-256-GCM; the case id is bound in as associated data, so a blob
copied onto another case does not open.

Receipt codes are 16 digits from `secrets`. Only argon2id(code, installation salt) is stored, so
the lookup is an equality on an indexed column; the salt lives in CASEFLOW_RECEIPT_SALT_FILE.

Staff secrets that must be read back (TOTP seeds) are sealed with a key derived from the KEK (HKDF, one key
per purpose), so a copy of the database alone does not let anyone generate a user's codes.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import os
import secrets
import unicodedata
from collections.abc import Callable
from pathlib import Path

from argon2.low_level import Type, hash_secret_raw
from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from cryptography.hazmat.primitives.keywrap import InvalidUnwrap, aes_key_unwrap, aes_key_wrap
from flask import current_app

from caseflow.errors import CaseFlowError

FORMAT_V1 = b"\x01"
NONCE_BYTES = 12
RECEIPT_DIGITS = 16
_CACHE_KEY = "caseflow.crypto.keys"


class DecryptionError(CaseFlowError):
    """Stored data could not be opened: wrong key file, or the data was altered."""


def _secret_file(path: str, nbytes: int) -> bytes:
    """Return the key material in a file, creating it (0600, random) on first use."""
    target = Path(path)
    if not target.exists():
        target.parent.mkdir(parents=True, exist_ok=True)
        try:
            fd = os.open(target, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        except FileExistsError:
            pass  # another process created it first; read theirs
        else:
            with os.fdopen(fd, "w") as fh:
                fh.write(base64.b64encode(secrets.token_bytes(nbytes)).decode() + "\n")
    raw = base64.b64decode(target.read_text().strip())
    if len(raw) != nbytes:
        raise DecryptionError(f"{target} does not hold a {nbytes * 8}-bit key")
    return raw


def _material() -> dict[str, bytes]:
    """Return the installation's KEK and receipt salt, read once per application."""
    cache = current_app.extensions.setdefault(_CACHE_KEY, {})
    if "kek" not in cache:
        cache["kek"] = _secret_file(current_app.config["CASEFLOW_KEK_FILE"], 32)
        cache["salt"] = _secret_file(current_app.config["CASEFLOW_RECEIPT_SALT_FILE"], 16)
    return cache


def kek_fingerprint() -> str:
    """Return a short fingerprint of the KEK, recorded with each wrapped key (never the key itself)."""
    return hashlib.sha256(b"caseflow-kek-id" + _material()["kek"]).hexdigest()[:16]


SECRET_PREFIX = "s1:"  # noqa: S105 - a format marker, not a secret
PAD_BUCKET = 64  # sealed texts are padded to a multiple of this many bytes: a short value's length does not show
IDENTITY_BUCKET = 256  # a reporter's identity (name, contact, relationship as one JSON text) pads to this
_PADDED = b"\x00"  # first byte of a padded plaintext (no text stored before padding starts with NUL)


def pad_text(text: str, bucket: int = PAD_BUCKET) -> bytes:
    """Return a text's UTF-8 bytes padded to a multiple of the bucket (marker, text, 0x80, zeros)."""
    body = _PADDED + text.encode("utf-8") + b"\x80"
    return body + b"\x00" * (-len(body) % bucket)


def unpad_text(plain: bytes) -> str:
    """Return the text of a plaintext padded by pad_text(); one sealed before padding existed is read as it is."""
    if not plain.startswith(_PADDED):
        return plain.decode("utf-8")
    body = plain[1:].rstrip(b"\x00")
    return body[:-1].decode("utf-8")


def _purpose_key(purpose: str) -> bytes:
    """Return the key for one kind of staff secret, derived from the KEK."""
    cache = _material()
    name = f"purpose:{purpose}"
    if name not in cache:
        cache[name] = HKDF(algorithm=hashes.SHA256(), length=32, salt=None,
                           info=f"caseflow:secret:{purpose}".encode()).derive(cache["kek"])
    return cache[name]


def _purpose_aead(purpose: str) -> AESGCM:
    """Return the AES-GCM cipher of one kind of staff secret, set up once (a bulk import seals many)."""
    ciphers: dict[str, AESGCM] = _material().setdefault("aead", {})  # type: ignore[arg-type, assignment]
    cipher = ciphers.get(purpose)
    if cipher is None:
        cipher = ciphers[purpose] = AESGCM(_purpose_key(purpose))
    return cipher


def seal_secret(purpose: str, text: str) -> str:
    """Return text sealed for storage (AES-256-GCM under the purpose's key), as printable text."""
    nonce = os.urandom(NONCE_BYTES)
    blob = nonce + _purpose_aead(purpose).encrypt(nonce, pad_text(text), purpose.encode())
    return SECRET_PREFIX + base64.urlsafe_b64encode(blob).decode()


def open_secret(purpose: str, stored: str) -> str:
    """Return the text of a sealed secret (a value stored before sealing existed is returned as it is)."""
    if not stored.startswith(SECRET_PREFIX):
        return stored
    blob = base64.urlsafe_b64decode(stored[len(SECRET_PREFIX):])
    try:
        plain = AESGCM(_purpose_key(purpose)).decrypt(blob[:NONCE_BYTES], blob[NONCE_BYTES:], purpose.encode())
    except InvalidTag as exc:
        raise DecryptionError("a stored secret does not open with this key-encryption key") from exc
    return unpad_text(plain)


def blind_index(purpose: str, value: str) -> str:
    """Return the keyed blind index of a normalised value (HMAC-SHA256 under a key derived from the KEK).

    Equal values give equal indexes, so rows can be matched and grouped by them, but without the KEK nobody
    can test a guessed name against the database.
    """
    return blind_indexer(purpose)(value)


def blind_indexer(purpose: str) -> Callable[[str], str]:
    """Return blind_index() for one purpose, its key looked up once (for the many terms of one person or import)."""
    macs: dict[str, hmac.HMAC] = _material().setdefault("hmac", {})  # type: ignore[arg-type, assignment]
    keyed = macs.get(purpose)
    if keyed is None:  # keyed once: a copy skips the key set-up of every new HMAC (a bulk import makes millions)
        keyed = macs[purpose] = hmac.new(_purpose_key(f"blind:{purpose}"), digestmod=hashlib.sha256)

    def index(value: str) -> str:
        mac = keyed.copy()
        mac.update(value.encode())
        return mac.hexdigest()[:32]

    return index


def user_ref(user_id: int) -> str:
    """Return the keyed blind reference of a staff account, stored where a clear user id would say who is named."""
    return blind_index("user", str(int(user_id)))


def derived_key(purpose: str) -> bytes:
    """Return a 256-bit key derived from the KEK for a use outside the database (e.g. encrypting backups)."""
    return _purpose_key(f"key:{purpose}")


def keyed_mac(purpose: str, data: bytes) -> str:
    """Return HMAC-SHA256 of data (hex) under a key derived from the KEK for this purpose (e.g. backup manifests)."""
    return hmac.new(_purpose_key(f"mac:{purpose}"), data, hashlib.sha256).hexdigest()


def new_wrapped_key() -> tuple[bytes, bytes, str]:
    """Return a fresh random 256-bit data key, its KEK-wrapped form and the KEK's fingerprint."""
    key = AESGCM.generate_key(bit_length=256)
    return key, aes_key_wrap(_material()["kek"], key), kek_fingerprint()


def unwrap_key(wrapped: bytes) -> bytes:
    """Return the data key inside a KEK-wrapped key; DecryptionError if this KEK did not wrap it."""
    try:
        return aes_key_unwrap(_material()["kek"], wrapped)
    except InvalidUnwrap as exc:
        raise DecryptionError("the case key does not open with this key-encryption key "
                              "(is CASEFLOW_KEK_FILE the installation's key?)") from exc


def _aad(case_id: int) -> bytes:
    return f"caseflow:case:{case_id}".encode()


def encrypt_with_key(key: bytes, case_id: int, plaintext: bytes) -> bytes:
    """Encrypt bytes with a case's data key (AES-256-GCM, fresh nonce, case id as associated data)."""
    nonce = secrets.token_bytes(NONCE_BYTES)
    return FORMAT_V1 + nonce + AESGCM(key).encrypt(nonce, plaintext, _aad(case_id))


def decrypt_with_key(key: bytes, case_id: int, blob: bytes) -> bytes:
    """Decrypt bytes sealed by encrypt_with_key(); raise DecryptionError if altered or foreign."""
    blob = bytes(blob)
    if not blob.startswith(FORMAT_V1) or len(blob) < 1 + NONCE_BYTES + 16:
        raise DecryptionError("not an encrypted CaseFlow blob")
    nonce, body = blob[1:1 + NONCE_BYTES], blob[1 + NONCE_BYTES:]
    try:
        return AESGCM(key).decrypt(nonce, body, _aad(case_id))
    except InvalidTag as exc:
        raise DecryptionError("encrypted data was altered or belongs to another case") from exc


def new_data_keys(count: int) -> list[tuple[bytes, bytes]]:
    """Return `count` fresh random 256-bit data keys, each with its KEK-wrapped form (one per new case)."""
    kek = _material()["kek"]
    keys = [os.urandom(32) for _ in range(count)]
    return [(key, aes_key_wrap(kek, key)) for key in keys]


def seal_texts_with_key(key: bytes, case_id: int, texts: list[str | None],
                        bucket: int = PAD_BUCKET) -> list[bytes | None]:
    """Seal texts for a case whose data key is in hand, in seal_text()'s format; None stays None."""
    aead = AESGCM(key)
    aad = _aad(case_id)
    out: list[bytes | None] = []
    for text in texts:
        if text is None:
            out.append(None)
            continue
        nonce = secrets.token_bytes(NONCE_BYTES)
        out.append(FORMAT_V1 + nonce + aead.encrypt(nonce, pad_text(text, bucket), aad))
    return out


def new_receipt_code() -> str:
    """Return a fresh 16-digit receipt code (digits only; see format_receipt() for display)."""
    return "".join(secrets.choice("0123456789") for _ in range(RECEIPT_DIGITS))


def normalize_receipt(code: str) -> str:
    """Return the digits of a typed receipt as ASCII: decimal digits of any script count, anything else is ignored.

    An Arabic phone keyboard types ٠١٢…, a Persian one ۰۱۲…, a CJK input method fullwidth ０１２…; separators
    (spaces of any width, dashes, dots) are dropped.
    """
    digits = (unicodedata.decimal(ch, None) for ch in (code or "")[:256])
    return "".join(str(d) for d in digits if d is not None)


def format_receipt(code: str) -> str:
    """Return a receipt code grouped 4-4-4-4 for display."""
    digits = normalize_receipt(code)
    return " ".join(digits[i:i + 4] for i in range(0, len(digits), 4))


def is_well_formed_receipt(code: str) -> bool:
    """Return whether a typed receipt has exactly 16 digits."""
    return len(normalize_receipt(code)) == RECEIPT_DIGITS


def receipt_lookup_hash(code: str) -> str:
    """Return the argon2id hash (installation salt) of a receipt code, as hex, for an equality lookup.

    It is always computed, even for a malformed code, so a wrong receipt costs as much as a right one.
    """
    params = current_app.config["CASEFLOW_RECEIPT_ARGON2"]
    digits = normalize_receipt(code)[:64] or "0"
    raw = hash_secret_raw(secret=digits.encode(), salt=_material()["salt"], time_cost=params["time_cost"],
                          memory_cost=params["memory_cost"], parallelism=params["parallelism"],
                          hash_len=32, type=Type.ID)
    return raw.hex()


def same_hash(a: str, b: str) -> bool:
    """Compare two hex digests in constant time."""
    return hmac.compare_digest(a.encode(), b.encode())
