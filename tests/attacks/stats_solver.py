"""What an attacker does with a manager's published counts: differencing and exact rational linear solving.

Each published number counts a set of records. Records that every published number treats alike form an
atom; a published number is then the sum of its atoms, and the attacker knows every such identity (totals,
sums over offices, categories and channels, a period as the sum of its months, one table against another).
Unknowns are the atoms' true counts. With the numbers taken as exact up to a public bound on their noise
(0 when nothing is perturbed), each derivation c of a target from published numbers p gives
target in [c.p - bound * sum|c|, c.p + bound * sum|c|]; a target whose intervals, intersected with what a
"<t" reveals (0 to t-1+bound; atoms that no number shows are granted 1 to t-1), leave one value is recovered.
"""

from __future__ import annotations

import heapq
import math
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from fractions import Fraction


@dataclass
class Published:
    """One number as a manager sees it: the records it counts, what is shown (an int or None), the truth."""

    records: frozenset[object]
    shown: int | None
    true: int


def atoms(cells: list[Published]) -> tuple[list[frozenset[int]], dict[int, int]]:
    """Return each cell as a set of atom ids, and the true count of each atom."""
    signature: dict[object, list[int]] = defaultdict(list)
    for i, cell in enumerate(cells):
        for record in cell.records:
            signature[record].append(i)
    atom_of: dict[tuple[int, ...], int] = {}
    sizes: dict[int, int] = defaultdict(int)
    for sig in signature.values():
        atom = atom_of.setdefault(tuple(sig), len(atom_of))
        sizes[atom] += 1
    members: list[set[int]] = [set() for _c in cells]
    for sig, atom in atom_of.items():
        for i in sig:
            members[i].add(atom)
    return [frozenset(m) for m in members], dict(sizes)


class Solver:
    """Incremental Gaussian elimination over the rationals, remembering how each row was built."""

    def __init__(self) -> None:
        self.rows: list[tuple[dict[int, Fraction], Fraction, dict[int, Fraction]]] = []
        self.pivot: dict[int, int] = {}  # atom -> index of the row it is the pivot of

    def _reduce(self, vec: dict[int, Fraction], rhs: Fraction,
                origin: dict[int, Fraction]) -> tuple[dict[int, Fraction], Fraction, dict[int, Fraction]]:
        heap = [self.pivot[a] for a in vec if a in self.pivot]
        heapq.heapify(heap)
        seen = set(heap)
        while heap:
            j = heapq.heappop(heap)
            row, row_rhs, row_origin = self.rows[j]
            p = next(iter(row))  # the pivot is the row's first key
            factor = vec.get(p, Fraction(0)) / row[p]
            if factor == 0:
                continue
            for a, v in row.items():
                nv = vec.get(a, Fraction(0)) - factor * v
                if nv:
                    vec[a] = nv
                    k = self.pivot.get(a)
                    if k is not None and k not in seen:
                        seen.add(k)
                        heapq.heappush(heap, k)
                else:
                    vec.pop(a, None)
            rhs -= factor * row_rhs
            for e, v in row_origin.items():
                nv = origin.get(e, Fraction(0)) - factor * v
                if nv:
                    origin[e] = nv
                else:
                    origin.pop(e, None)
        return vec, rhs, origin

    def add(self, eq: int, atom_set: Iterable[int], value: int) -> None:
        """Add 'the atoms sum to value' (published number eq)."""
        vec, rhs, origin = self._reduce({a: Fraction(1) for a in atom_set}, Fraction(value), {eq: Fraction(1)})
        if not vec:
            return  # dependent on earlier rows (consistent or not: the attacker learns nothing new)
        p = min(vec)
        row = {p: vec.pop(p), **vec}
        self.pivot[p] = len(self.rows)
        self.rows.append((row, rhs, origin))

    def derive(self, atom_set: Iterable[int]) -> tuple[Fraction, Fraction] | None:
        """Return (value, sum of |coefficients|) of the target from published numbers, or None if undetermined."""
        vec, rhs, origin = self._reduce({a: Fraction(1) for a in atom_set}, Fraction(0), {})
        if vec:
            return None
        return -rhs, sum((abs(v) for v in origin.values()), Fraction(0))


def recovered(cells: list[Published], threshold: int, bound: int) -> list[tuple[int, int]]:
    """Return (true count, value pinned) for every small count the attacker pins to its true value."""
    sets, sizes = atoms(cells)
    published: dict[frozenset[int], int] = {}
    solver = Solver()
    for i, (s, cell) in enumerate(zip(sets, cells, strict=True)):
        if cell.shown is not None and s not in published:
            published[s] = cell.shown
            solver.add(i, s, cell.shown)
    by_atom: dict[int, list[frozenset[int]]] = defaultdict(list)
    for s in published:
        for a in s:
            by_atom[a].append(s)
    targets = {s: cell.true for s, cell in zip(sets, cells, strict=True) if 0 < cell.true < threshold}
    targets.update({frozenset([a]): n for a, n in sizes.items() if 0 < n < threshold})
    hidden = hidden_sets(sets, cells, published)
    out = []
    for target, true in targets.items():
        # What the attacker is granted beyond the numbers: that a target not shown as a number is at most t-1
        # (more than a "<t" says when suppression is decided on the perturbed value), and at least 1 unless it
        # is itself shown "<t" (a zero is shown "<t" too, so a "<t" does not say the cell has a record). A
        # target shown as a number may rest on a small count, but nothing tells the attacker so: 0 or more.
        lo, hi = Fraction(0 if target in hidden else 1), Fraction(threshold - 1)
        derivations = []
        if target in published:
            lo, hi = Fraction(0), Fraction(sum(sizes.values()))
            derivations.append((Fraction(published[target]), Fraction(1)))
        got = solver.derive(target)
        if got is not None:
            derivations.append(got)
        first = next(iter(target))
        for whole in by_atom[first]:  # differencing: a shown number minus another one inside it
            if target < whole and (rest := whole - target) in published:
                derivations.append((Fraction(published[whole] - published[rest]), Fraction(2)))
        for value, weight in derivations:
            lo, hi = max(lo, value - bound * weight), min(hi, value + bound * weight)
        if derivations and math.ceil(lo) == math.floor(hi) == true:
            out.append((true, true))
    pinned = {target for target in targets if (true := targets[target], true) in out}
    for target, true in propagated(published, hidden, sizes, threshold,
                                   bound, targets).items():
        if target not in pinned:
            out.append((true, true))
    return out


def hidden_sets(sets: list[frozenset[int]], cells: list[Published],
                published: dict[frozenset[int], int]) -> set[frozenset[int]]:
    """Return the atom sets shown as hidden (no number)."""
    return {s for s, cell in zip(sets, cells, strict=True) if cell.shown is None and s not in published}


def propagated(published: dict[frozenset[int], int], hidden: set[frozenset[int]], sizes: dict[int, int],
               threshold: int, bound: int, targets: dict[frozenset[int], int]) -> dict[frozenset[int], int]:
    """Return the small targets pinned by propagating ranges through every sum: a shown 0 is exact (if zeros are
    shown, a hidden cell is 1 to t-1, else 0 to t-1; up to t-1+bound when suppression is decided on the
    perturbed value), any other number is itself plus or minus the noise bound (so it may rest on a small count)."""
    zeros_shown = any(v == 0 for v in published.values())
    ranges: dict[frozenset[int], tuple[int, int]] = {}
    for s, v in published.items():
        ranges[s] = (0, 0) if v == 0 else (max(0, v - bound), v + bound)
    for s in hidden:
        ranges[s] = (1 if zeros_shown else 0, threshold - 1 + bound)
    big = sum(sizes.values())
    lo = dict.fromkeys(sizes, 0)
    hi = dict.fromkeys(sizes, big)
    for _round in range(30):
        changed = False
        for s, (low, high) in ranges.items():
            total_lo, total_hi = sum(lo[a] for a in s), sum(hi[a] for a in s)
            for a in s:
                new_lo = max(lo[a], low - (total_hi - hi[a]))
                new_hi = min(hi[a], high - (total_lo - lo[a]))
                if (new_lo, new_hi) != (lo[a], hi[a]):
                    total_lo += new_lo - lo[a]
                    total_hi += new_hi - hi[a]
                    lo[a], hi[a], changed = new_lo, new_hi, True
        if not changed:
            break
    out = {}
    for target, true in targets.items():
        low, high = ranges.get(target, (0, big))
        low, high = max(low, sum(lo[a] for a in target)), min(high, sum(hi[a] for a in target))
        if low == high == true:
            out[target] = true
    return out
