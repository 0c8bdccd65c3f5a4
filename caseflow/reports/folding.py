"""Text folded for matching (case, accents, diacritics, Arabic harakat and tatweel ignored), and common words."""

from __future__ import annotations

import unicodedata
from functools import lru_cache

ARABIC_VARIANTS = str.maketrans({"أ": "ا", "إ": "ا", "آ": "ا", "ٱ": "ا", "ة": "ه", "ى": "ي", "ؤ": "و", "ئ": "ي"})
TATWEEL = "\u0640"

# Function words of the UI languages and name particles: never struck on their own.
_WORDS = """
a an and are as at be been but by can did do does for from had has have he her his how i if in into is it its
me my no not of on or our she so than that the their them then there these they this to too up us was we were
what when where which who why will with you your yes all any each few more most other some such only own same
very just over under again further once here out off down about above after before below between both during
through until while against because per via mr mrs ms dr sir madam miss
may mark rose bill hope faith joy dawn june april august summer frank art pat sue rich rob bob ray jack
pierre olive constance prudence aime rosa pilar luz paz dolores cruz sol angel esperanza rocio gloria
le la les un une des du de d l au aux et ou où est sont été être avec pour par sur sous dans en ne pas plus
que qui quoi dont ce cet cette ces mon ma mes ton ta tes son sa ses notre nos votre vos leur leurs je tu il elle
nous vous ils elles on se y chez entre sans vers mais donc or ni car m mme mlle
el los las una unos unas del al y o u es son fue ser con por para sobre bajo entre sin hacia pero que quien
como cuando donde mi mis tu tus su sus nuestro nuestra yo usted ellos ellas sr sra srta don doña
o os as um uma uns umas do da dos das no na nos nas ao aos e é são foi ser com por para sobre sob entre sem mas
que quem como quando onde meu minha seu sua nosso nossa eu você ele ela eles elas sr sra dona
van von der den ten ter di da dal della dei degli del du des zu bin ben ibn bint abu abou ould el al
في من إلى الى على عن مع هذا هذه ذلك تلك التي الذي الذين هو هي هم أنا انا نحن أنت انت و أو او ثم لا لم لن ما
كان كانت يكون قد كل بعض غير بين عند حتى إذا اذا إن ان أن لكن بن ابن بنت أبو ابو أم ام ال عبد السيد السيدة
"""


def fold_char(ch: str) -> str:
    """Return one character folded: no case, accent or diacritic; Arabic letter variants and digits unified."""
    if ch == TATWEEL:
        return ""
    if ch.isdigit() and not ch.isascii():
        return str(unicodedata.digit(ch, 0))
    decomposed = unicodedata.normalize("NFKD", ch)
    kept = "".join(c for c in decomposed if not unicodedata.combining(c) and unicodedata.category(c) != "Mn")
    return kept.casefold().translate(ARABIC_VARIANTS)


def fold(text: str) -> str:
    """Return text folded for matching, spaces collapsed."""
    return " ".join("".join(fold_char(c) for c in text).split())


def folded_with_map(text: str) -> tuple[str, list[int]]:
    """Return the folded text and, for each of its characters, the index of the original character."""
    out: list[str] = []
    where: list[int] = []
    for i, ch in enumerate(text):
        for c in fold_char(ch):
            out.append(c)
            where.append(i)
    return "".join(out), where


@lru_cache(maxsize=1)
def _common() -> frozenset[str]:
    return frozenset(fold(w) for w in _WORDS.split())


def is_common(folded: str) -> bool:
    """Return whether a folded word (or a phrase made only of common words) is common."""
    words = folded.split()
    return not words or all(w in _common() or len(w) < 2 for w in words)
