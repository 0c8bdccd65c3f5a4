"""Cell-key perturbation: the one protected source of every count a manager sees, exports or prints.

Every case (and every allegation) has a fixed pseudo-random record key, computed in SQL from its id under a
secret derived from the installation's SECRET_KEY. A published cell's key is the sum of its records' keys
modulo a prime, so a cell made of the same records always has the same key, whichever view, filter or table
it is reached through, and always gets the same small noise from a fixed table: asking again, or asking an
overlapping question, gives no fresh noise to average away. Whether a count is shown at all is decided on
its perturbed value, not on the true count: a cell whose perturbed value is below the threshold is marked
small, any other is shown as its perturbed value. So someone who adds records one at a time to a cell shown
small and watches it turn into a number does not learn the count it started from: every added record
changes the cell's key, hence its noise, unpredictably, and the cell turns at a true count anywhere within
the noise range. (An exact zero is never shown: beside small cells under a small total it would pin them.)
A total is its own cell (its records' keys summed), perturbed itself rather than added up from perturbed parts.
"""

from __future__ import annotations

import hashlib
import hmac
from typing import Any

import sqlalchemy as sa
from flask import current_app

PRIME = 2_147_483_647  # 2**31 - 1: keys and sums of keys stay well inside 64-bit integers in SQL
SECOND = 65_521
# How often each noise value is drawn, out of 256: zero is drawn about one time in five, so a shown number is
# seldom the true one; the weights fall off gently towards the bound, because a sharp edge (values at the
# bound as likely as zero, then none) tells a watcher of a cell turning from small to shown where the count
# was. With these, the best guess of a small count from the point where it turns is right about a third of the
# time (tests/attacks/test_dashboard_threshold_switch.py). The bound (3) and these weights may be public; the
# keys are not.
NOISE_WEIGHTS = {-3: 20, -2: 36, -1: 44, 0: 56, 1: 44, 2: 36, 3: 20}
NOISE_BOUND = 3
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
    """Return what a manager sees of a count: the count with its cell's noise, or SMALL if that is below the
    threshold (decided on the perturbed value, so the true count at which a cell turns is not known).

    A zero is shown as small, whatever its noise: shown, zeros beside small cells under a small total pin them.
    """
    count = int(count)
    shown = count + noise(key)
    if count == 0 or shown < threshold:
        return SMALL
    return shown


def threshold() -> int:
    """Return the configured threshold below which counts are not shown to managers."""
    return int(current_app.config["CASEFLOW_SUPPRESSION_THRESHOLD"])
