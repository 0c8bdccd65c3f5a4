"""Staff password hashing with argon2id, rehashed when the parameters change."""

from __future__ import annotations

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from flask import current_app


def hasher() -> PasswordHasher:
    """Return an argon2id hasher with the configured cost parameters."""
    params = current_app.config["CASEFLOW_ARGON2"]
    return PasswordHasher(time_cost=params["time_cost"], memory_cost=params["memory_cost"],
                          parallelism=params["parallelism"])


def hash_password(password: str) -> str:
    """Return the argon2id hash of a password."""
    return hasher().hash(password)


def verify_password(stored_hash: str, password: str) -> bool:
    """Return whether the password matches the stored hash."""
    try:
        return hasher().verify(stored_hash, password)
    except (VerificationError, InvalidHashError):
        return False


def needs_rehash(stored_hash: str) -> bool:
    """Return whether the stored hash was made with other parameters than the configured ones."""
    return hasher().check_needs_rehash(stored_hash)


_dummy: dict[str, str] = {}


def spend_verify_time(password: str) -> None:
    """Verify against a throwaway hash so an unknown account costs as much time as a known one."""
    key = repr(current_app.config["CASEFLOW_ARGON2"])
    if key not in _dummy:
        _dummy[key] = hash_password("caseflow-timing-equaliser")
    verify_password(_dummy[key], password)
