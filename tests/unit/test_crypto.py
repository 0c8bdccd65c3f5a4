"""Envelope encryption per case, the key file, and receipt codes."""

from __future__ import annotations

import os
import stat
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa
from flask import Flask

from caseflow import casekeys, crypto
from caseflow.extensions import db
from caseflow.models import CaseKey
from tests.factories import make_case


def test_case_data_round_trips_and_is_never_stored_in_clear() -> None:
    case = make_case()
    blob = casekeys.seal_text(case, "Inspector took 500 euros at lane 3")
    assert b"Inspector" not in blob and b"500 euros" not in blob
    assert casekeys.open_text(case, blob) == "Inspector took 500 euros at lane 3"
    assert casekeys.seal_text(case, "same") != casekeys.seal_text(case, "same")  # fresh nonce every time


def test_each_case_has_its_own_wrapped_key_and_blobs_do_not_move_between_cases() -> None:
    one, two = make_case(), make_case()
    blob = casekeys.encrypt_for_case(one, b"secret")
    casekeys.encrypt_for_case(two, b"other")
    keys = db.session.scalars(sa.select(CaseKey).order_by(CaseKey.case_id)).all()
    assert [k.case_id for k in keys] == [one.id, two.id]
    assert keys[0].wrapped_key != keys[1].wrapped_key and len(keys[0].wrapped_key) == 40
    with pytest.raises(crypto.DecryptionError):
        casekeys.decrypt_for_case(two, blob)


def test_an_altered_blob_is_refused() -> None:
    case = make_case()
    blob = bytearray(casekeys.encrypt_for_case(case, b"evidence"))
    blob[-1] ^= 1
    with pytest.raises(crypto.DecryptionError):
        casekeys.decrypt_for_case(case, bytes(blob))
    with pytest.raises(crypto.DecryptionError):
        casekeys.decrypt_for_case(case, b"plain text")


def test_key_files_are_private_and_outside_the_database(app: Flask) -> None:
    make_case()
    crypto.receipt_lookup_hash("1234567812345678")
    for key in ("CASEFLOW_KEK_FILE", "CASEFLOW_RECEIPT_SALT_FILE"):
        path = Path(app.config[key])
        assert path.exists()
        assert stat.S_IMODE(os.stat(path).st_mode) == 0o600
    kek = crypto._material()["kek"]
    stored = b"".join(k.wrapped_key for k in db.session.scalars(sa.select(CaseKey)))
    assert kek not in stored


def test_another_key_file_cannot_open_the_data(app: Flask, tmp_path: Path, monkeypatch: Any) -> None:
    case = make_case()
    blob = casekeys.encrypt_for_case(case, b"who reported")
    db.session.commit()
    saved_path, saved_cache = app.config["CASEFLOW_KEK_FILE"], app.extensions.pop(crypto._CACHE_KEY)
    monkeypatch.setitem(app.config, "CASEFLOW_KEK_FILE", str(tmp_path / "other.key"))
    try:
        with pytest.raises(crypto.DecryptionError, match="CASEFLOW_KEK_FILE"):
            casekeys.decrypt_for_case(case, blob)
    finally:
        monkeypatch.setitem(app.config, "CASEFLOW_KEK_FILE", saved_path)
        app.extensions[crypto._CACHE_KEY] = saved_cache
    assert casekeys.decrypt_for_case(case, blob) == b"who reported"


def test_receipt_codes_are_16_digits_and_shown_in_groups_of_four() -> None:
    codes = {crypto.new_receipt_code() for _ in range(50)}
    assert len(codes) == 50
    assert all(len(c) == 16 and c.isdigit() for c in codes)
    assert crypto.format_receipt("1234567812345678") == "1234 5678 1234 5678"


def test_receipt_lookup_hash_ignores_spacing_and_separates_codes() -> None:
    one = crypto.receipt_lookup_hash("1234 5678 1234 5678")
    assert one == crypto.receipt_lookup_hash("1234-5678-1234-5678") == crypto.receipt_lookup_hash("1234567812345678")
    assert one != crypto.receipt_lookup_hash("1234567812345679")
    assert len(one) == 64 and "12345678" not in one
    assert crypto.same_hash(one, one) and not crypto.same_hash(one, "0" * 64)
    assert not crypto.is_well_formed_receipt("1234") and crypto.is_well_formed_receipt("1234 5678 1234 5678")


def test_staff_secrets_are_sealed_per_purpose_and_old_clear_values_still_read(app):
    from caseflow.crypto import DecryptionError, open_secret, seal_secret

    with app.app_context():
        sealed = seal_secret("totp", "JBSWY3DPEHPK3PXP")
        assert sealed.startswith("s1:") and "JBSWY3DPEHPK3PXP" not in sealed
        assert sealed != seal_secret("totp", "JBSWY3DPEHPK3PXP")  # a fresh nonce each time
        assert open_secret("totp", sealed) == "JBSWY3DPEHPK3PXP"
        assert open_secret("totp", "JBSWY3DPEHPK3PXP") == "JBSWY3DPEHPK3PXP"  # stored before sealing existed
        with pytest.raises(DecryptionError):
            open_secret("other-purpose", sealed)
