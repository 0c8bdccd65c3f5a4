"""Someone who can add records (a reporter through the portal, a staff member registering complaints, an import)
adds them one at a time to a cell a manager sees as "<5" and watches when it turns into a number: the number of
records added then gives the hidden count. The attacker knows the protection's rule and its noise table (they
may be public); only the record keys are secret. Each added record changes the cell's key to one the attacker
cannot predict, so the attacker's best guess is the most likely starting count given every view seen."""

from __future__ import annotations

import csv
import io
import random
from collections import Counter
from datetime import timedelta
from typing import Any

import sqlalchemy as sa

from caseflow.dashboards import protect
from caseflow.extensions import db
from caseflow.models import Category
from caseflow.reference import ensure_categories
from tests import factories

T = 5
TABLE = "Cases received by office and category"
MONTH = {"start": "2026-03-01", "end": "2026-03-31"}  # the clock's month: where new records land
Seen = int | None  # a number shown, or None for "<5"


def _likelihood(threshold: int) -> dict[int, Counter[Seen]]:
    """What each true count is shown as, over many cell keys (the public rule applied to keys the attacker
    cannot know): the chance of each view given the count."""
    rng = random.Random(0)
    keys = [rng.randrange(protect.PRIME) for _i in range(4096)]
    table: dict[int, Counter[Seen]] = {}
    for n in range(threshold + 80):
        seen = Counter(None if (v := protect.perturb(n, key, threshold)) == protect.SMALL else int(v) for key in keys)
        table[n] = Counter({view: times / len(keys) for view, times in seen.items()})
    return table


def _possible(table: dict[int, Counter[Seen]]) -> list[int]:
    """The counts that can be shown as "<t" (the attacker's prior: any of them, alike)."""
    return [n for n, seen in table.items() if seen[None] > 0]


def best_guess(views: list[Seen], table: dict[int, Counter[Seen]]) -> int:
    """Return the most likely count before the first record was added, given the views after 0, 1, ... added."""
    def chance(n: int) -> float:
        p = 1.0
        for added, view in enumerate(views):
            p *= table[n + added][view]
        return p

    return max(_possible(table), key=chance)


def watch(start: int, key: int, rng: random.Random, threshold: int) -> list[Seen]:
    """Add records one at a time to a cell of `start` records (cell key `key`) until it shows a number."""
    views: list[Seen] = []
    count = start
    while True:
        shown = protect.perturb(count, key, threshold)
        views.append(None if shown == protect.SMALL else int(shown))
        if views[-1] is not None or len(views) > 30:
            return views
        count += 1
        key = protect.combine(key, rng.randrange(protect.PRIME))  # the new record's key: unknown to the attacker


def test_adding_records_until_a_small_cell_shows_a_number_seldom_gives_its_count() -> None:
    """Over many cells (random record keys, as the secret makes them), the best guess is seldom exact."""
    table = _likelihood(T)
    rng = random.Random(14)
    exact = small_exact = small = trials = 0
    errors: Counter[int] = Counter()
    while trials < 20_000:
        start, key = rng.choice(_possible(table)), rng.randrange(protect.PRIME)
        if protect.perturb(start, key, T) != protect.SMALL:
            continue  # the attacker picks a cell shown as "<5"
        trials += 1
        guess = best_guess(watch(start, key, rng, T), table)
        exact += guess == start
        errors[abs(guess - start)] += 1
        if 1 <= start < T:
            small += 1
            small_exact += guess == start
    assert small > 8_000
    assert exact / trials <= 0.40, (exact / trials, errors)
    assert small_exact / small <= 0.40, (small_exact / small, errors)


def _cells(client: Any, offices: list[Any], categories: list[tuple[int, str]]) -> dict[tuple[int, int], Seen]:
    text = client.get("/dashboard/export.csv", query_string=MONTH).get_data(as_text=True)
    rows = list(csv.reader(io.StringIO(text.lstrip("\ufeff"))))
    at = next(i for i, row in enumerate(rows) if row and row[0] == TABLE)
    header, out = rows[at + 1], {}
    for row in rows[at + 2:]:
        if not row:
            break
        office = next((o for o in offices if o.name == row[0]), None)
        for category_id, label in categories:
            if office is not None:
                value = row[header.index(label)]
                out[office.id, category_id] = int(value) if value.isdigit() else None
    return out


def test_a_manager_watching_cells_flip_while_records_are_added(app: Any, clock: Any, login_as: Any) -> None:
    """Through the dashboard: 40 small cells, one record added to each still shown "<5" between two views."""
    rng = random.Random(41)
    ensure_categories()
    categories = [(c.id, c.label) for c in db.session.scalars(sa.select(Category).order_by(Category.id).limit(5))]
    offices = [factories.make_office(f"Harbour post {chr(65 + i)}") for i in range(8)]
    start = {}
    for office in offices:
        for category_id, _label in categories:
            start[office.id, category_id] = n = rng.randint(1, T - 1)
            for _i in range(n):
                factories.make_case(commit=False, office_id=office.id, category_id=category_id,
                                    received_at=clock.now() - timedelta(hours=rng.uniform(1, 30)))
    db.session.commit()
    client = login_as(factories.make_user("manager", "mona-watcher"))
    views: dict[tuple[int, int], list[Seen]] = {cell: [] for cell in start}
    watching = set(start)
    for _round in range(20):
        if not watching:
            break
        seen = _cells(client, offices, categories)
        for cell in list(watching):
            if not views[cell] and seen[cell] is not None:
                views.pop(cell)  # shown as a number already: not a cell to attack
                watching.discard(cell)
                continue
            views[cell].append(seen[cell])
            if seen[cell] is not None:
                watching.discard(cell)
            else:  # one more complaint into that cell
                factories.make_case(commit=False, office_id=cell[0], category_id=cell[1], received_at=clock.now())
        db.session.commit()
    table = _likelihood(T)
    guesses = {cell: best_guess(seen, table) for cell, seen in views.items()}
    exact = sum(guesses[cell] == start[cell] for cell in views)
    assert len(views) >= 30
    assert not watching, "every watched cell showed a number in the end"
    assert exact <= 0.5 * len(views), (exact, len(views), {c: (start[c], guesses[c], views[c]) for c in views})
