"""Name normalisation behind the blind index: spellings of one name agree, different names do not."""

from __future__ import annotations

import pytest

from caseflow import names

SAME = [
    ("Mohammed El Amrani", "Muhammad al-Amrani"),
    ("Mohamed Amrani", "محمد العمراني"),
    ("مُحَمَّد عمراني", "Mohammed Amrani"),
    ("Youssef Haddad", "يوسف حداد"),
    ("Yusuf Hadad", "HADDAD, Youssef"),
    ("Chérif Mansour", "Sherif Mansur"),
    ("José  da Silva", "SILVA Jose"),
]
DIFFERENT = [
    ("Karl Brandt", "Carla Brand"),
    ("Jean Dupont", "Jeanne Durand"),
    ("Ivan Petrov", "Iris Okafor"),
]


@pytest.mark.parametrize(("a", "b"), SAME)
def test_spellings_of_one_name_match(a, b):
    assert names.names_match(names.sound_forms(a), names.sound_forms(b))


@pytest.mark.parametrize(("a", "b"), DIFFERENT)
def test_different_names_do_not_match(a, b):
    assert not names.names_match(names.sound_forms(a), names.sound_forms(b))


def test_exact_form_ignores_case_accents_spacing_and_order():
    assert names.exact_form("AMRANI,  Yûsuf") == names.exact_form("yusuf amrani")
    assert names.exact_form("Karl Brandt") != names.exact_form("Karl Brand")


def test_badge_form_ignores_separators_case_and_digit_scripts():
    assert names.badge_form("C-12 34") == names.badge_form("c.1234") == names.badge_form("C-١٢٣٤") == "c1234"
    assert names.badge_form("") == ""
