"""Cell-key perturbation: small counts never shown, the same records always get the same noise."""

from __future__ import annotations

from collections import Counter
from typing import Any

from caseflow.dashboards import protect
from caseflow.dashboards.figures import GRID, Figure, present

T = 5


def test_shown_or_small_is_decided_on_the_perturbed_value_and_stays_near() -> None:
    shown_at: dict[int, int] = {}
    for key in range(0, protect.PRIME, protect.PRIME // 997):
        assert protect.perturb(0, key, T) == protect.SMALL  # a zero too: exact zeros beside small cells pin them
        for n in range(1, 45):
            shown = protect.perturb(n, key, T)
            if shown == protect.SMALL:  # small exactly when the number it would show is below the threshold
                assert n + protect.noise(key) < T
            else:
                assert isinstance(shown, int) and shown >= T and shown == n + protect.noise(key)
                assert abs(shown - n) <= protect.NOISE_BOUND
                shown_at[n] = shown_at.get(n, 0) + 1
    assert min(shown_at) == T - protect.NOISE_BOUND  # a cell may turn from small to shown at several true counts
    assert all(shown_at[n] == 998 for n in range(T + protect.NOISE_BOUND, 45))  # always shown from 8 on


def test_noise_follows_its_table_and_is_fixed_per_key() -> None:
    drawn = Counter(protect.noise(k) for k in range(1, 200_000, 7))
    assert set(drawn) == set(protect.NOISE_WEIGHTS)
    assert drawn[0] < 0.4 * sum(drawn.values())  # most shown numbers are not the true ones
    assert all(protect.noise(k) == protect.noise(k) for k in range(100))


def test_keys_of_disjoint_cells_add_up_modulo_the_prime() -> None:
    assert protect.combine(protect.PRIME - 1, 2) == 1
    assert protect.combine() == 0


def test_a_total_is_its_own_cell_not_the_sum_of_perturbed_parts(app: Any) -> None:
    with app.test_request_context():
        values = [[7, 3], [12, 30]]
        keys = [[11, 12_345], [987_654, 31_337]]
        shown = present(Figure("t", "t", GRID, ["a", "b"], ["x", "y"], values, keys=keys), False, T, False)
        assert shown.body[0][2] == f"<{T}"  # the 3 is small
        assert shown.chart_values[0][1] is None  # and not drawn (not drawn as zero)
        grand = protect.perturb(52, protect.combine(11, 12_345, 987_654, 31_337), T)
        assert shown.footer[-1] == str(grand)
        exact = present(Figure("t", "t", GRID, ["a", "b"], ["x", "y"], values, keys=keys), True, T, False)
        assert exact.body[0][1:] == ["7", "3", "10"] and exact.footer[-1] == "52"


def test_no_total_is_small_beside_a_part_shown_and_every_number_stays_near(app: Any) -> None:
    import random

    rng = random.Random(5)
    raised = 0
    with app.test_request_context():
        for _trial in range(400):
            values = [[rng.choice([0, 1, 2, 3, 4, 5, 6, 9]) for _c in range(3)] for _r in range(3)]
            keys = [[rng.randrange(protect.PRIME) for _c in range(3)] for _r in range(3)]
            shown = present(Figure("t", "t", GRID, ["a", "b", "c"], ["x", "y", "z"], values, keys=keys), False, T,
                            False)
            grid = [row[1:] for row in shown.body] + [shown.footer[1:]]
            truth = [[*row, sum(row)] for row in values]
            truth.append([sum(col) for col in zip(*truth, strict=True)])
            cell_keys = [[*row, protect.combine(*row)] for row in keys]
            cell_keys.append([protect.combine(*col) for col in zip(*cell_keys, strict=True)])
            for r in range(4):
                for c in range(4):
                    text, true = grid[r][c], truth[r][c]
                    if text == f"<{T}":
                        assert true <= T - 1 + protect.NOISE_BOUND
                        parts = [grid[r][j] for j in range(3)] if c == 3 else []
                        parts += [grid[i][c] for i in range(3)] if r == 3 else []
                        assert all(p == f"<{T}" for p in parts)  # a total "<5" has no part shown as a number
                    else:
                        assert int(text) >= T and abs(int(text) - true) <= protect.NOISE_BOUND
                    if r < 3 and c < 3:  # a cell is small exactly when its perturbed value is below the threshold
                        assert (text == f"<{T}") == (true == 0 or true + protect.noise(keys[r][c]) < T)
                    elif text != f"<{T}" and protect.perturb(true, cell_keys[r][c], T) == protect.SMALL:
                        raised += 1  # small on its own, shown as its largest part
    assert raised > 10  # totals small on their own beside a part shown: shown as that part, not as "<5"
