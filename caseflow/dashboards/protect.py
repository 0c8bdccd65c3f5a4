"""Cell-key perturbation: the one protected source of every count a manager sees, exports or prints.

Every case (and every allegation) has a fixed pseudo-random record key, computed in SQL from its id under a
secret derived from the installation's SECRET_KEY. A published cell's key is the sum of its records' keys
modulo a prime, so a cell made of the same records always has the same key, whichever view, filter or table
it is reached through, and always gets the same small noise from a fixed table: asking again, or asking an
overlapping question, gives no fresh noise to average away. Counts from 0 to threshold-1 are never shown
(marked small: an exact zero beside small cells under a small total would pin them); every other count is
shown perturbed, never below the threshold; a total is its own
cell (its records' keys summed), perturbed itself rather than added up from perturbed parts.
"""

from __future__ import annotations

import hashlib
import hmac
from typing import Any

import sqlalchemy as sa
from flask import current_app

PRIME = 2_147_483_647  # 2**31 - 1: keys and sums of keys stay well inside 64-bit integers in SQL
SECOND = 65_521
# How often each noise value is drawn, out of 256: zero is no likelier than +-1, so a shown number is seldom
# the true one, and the extremes are rare, so a difference of two shown numbers rarely pins a hidden count at
# the edge of its range. The bound (2) and these weights may be public; the keys are not.
NOISE_WEIGHTS = {-2: 8, -1: 80, 0: 80, 1: 80, 2: 8}
NOISE_BOUND = 2
_TABLE = [value for value, weight in sorted(NOISE_WEIGHTS.items()) for _i in range(weight)]
assert len(_TABLE) == 256  # noqa: S101 - a table of 256 entries, indexed by a byte of the cell key

SMALL = "small"  # a count from 1 to threshold-1
HIDDEN = "hidden"  # a value withheld because the count it rests on is small


def _params() -> tuple[int, int, int]:
    """Return the secret multipliers of the record-key function (derived from SECRET_KEY, never shown)."""
    secret = str(current_app.config.get("SECRET_KEY", "")).encode()
    digest = hmac.new(secret, b"caseflow dashboard record keys v1", hashlib.sha256).digest()
    a, b, c = (int.from_bytes(digest[i:i + 8], "big") for i in (0, 8, 16))
    return a % (PRIME - 1) + 1, b % PRIME, c % (PRIME - SECOND) + 1


def record_key(id_column: Any, salt: int = 0) -> sa.ColumnElement[int]:
    """Return a SQL expression: the fixed pseudo-random key of a record, from its id (same on both databases)."""
    a, b, c = _params()
    ident = sa.cast(id_column, sa.BigInteger) * 2 + salt  # cases and allegations draw from separate key sequences
    first = (ident * a + b) % PRIME
    return (first * ((ident % SECOND) + c)) % PRIME


def key_sum(condition: Any, key: Any) -> sa.ColumnElement[int]:
    """Return a SQL aggregate: the sum of the keys of the rows meeting the condition (0 if none)."""
    return sa.func.coalesce(sa.func.sum(sa.case((condition, key), else_=0)), 0)


def combine(*keys: int) -> int:
    """Return the key of the union of disjoint cells."""
    return sum(int(k) for k in keys) % PRIME


def noise(key: int) -> int:
    """Return the fixed noise of a cell key."""
    mixed = (int(key) % PRIME) * 2_654_435_761 % PRIME
    return _TABLE[(mixed >> 7) & 0xFF]


def perturb(count: int, key: int, threshold: int) -> int | str:
    """Return what a manager sees of a count: SMALL for 0..threshold-1, or the count with its cell's noise.

    A zero is shown as small too: shown exactly, zeros beside small cells under a small total pin each of them.
    """
    count = int(count)
    if count < threshold:
        return SMALL
    return max(threshold, count + noise(key))


def threshold() -> int:
    """Return the configured threshold below which counts are not shown to managers."""
    return int(current_app.config["CASEFLOW_SUPPRESSION_THRESHOLD"])
