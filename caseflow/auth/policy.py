"""Staff password policy: length, not a well-known password, not built on the username."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from flask_babel import gettext as _
from flask_babel import ngettext

from caseflow.errors import ValidationError

MIN_LENGTH = 12
MAX_LENGTH = 256
COMMON_FILE = Path(__file__).resolve().parent.parent / "data" / "common-passwords.txt"


@lru_cache(maxsize=1)
def common_passwords() -> frozenset[str]:
    """Return the shipped list of well-known passwords, lower-cased."""
    return frozenset(line.strip().lower() for line in COMMON_FILE.read_text(encoding="utf-8").splitlines()
                     if line.strip())


def password_problems(password: str, username: str = "") -> list[str]:
    """Return what is wrong with a proposed password (empty when it is acceptable)."""
    problems = []
    if len(password) < MIN_LENGTH:
        problems.append(ngettext("Use at least %(n)d character.",
                                 "Use at least %(n)d characters.", MIN_LENGTH, n=MIN_LENGTH))
    if len(password) > MAX_LENGTH:
        problems.append(ngettext("Use at most %(n)d character.",
                                 "Use at most %(n)d characters.", MAX_LENGTH, n=MAX_LENGTH))
    lowered = password.lower()
    if lowered in common_passwords() or len(set(lowered)) < 4:
        problems.append(_("This password is too common or too easy to guess; choose another."))
    name = username.strip().lower()
    if len(name) >= 3 and name in lowered:
        problems.append(_("The password must not contain your username."))
    return problems


def check_password(password: str, username: str = "") -> None:
    """Raise ValidationError with every problem if the password breaks the policy."""
    problems = password_problems(password, username)
    if problems:
        raise ValidationError(" ".join(problems))
