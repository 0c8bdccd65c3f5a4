"""Normalised forms of people's names and badge numbers, the input of the blind index (knows no model).

Two forms are kept for a name. The *exact* form folds case, accents, spacing, punctuation and word order, so
"AMRANI, Yusuf" and "yusuf  amrani" agree. The *sound* form of each word is a consonant skeleton that also
agrees across the usual spellings and transliterations of Arabic names ("Mohammed", "Muhammad", "Mohamed" and
"محمد" all give "mhmd"), so a reporter who spells a colleague's name another way still names him.
"""

from __future__ import annotations

import re
import unicodedata

# Arabic letters to the Latin consonant each is usually transliterated with; long vowels, hamza, ayn and
# ta marbuta carry no consonant in the Latin spellings, so they map to nothing (as vowels do below).
ARABIC = {
    "ب": "b", "ت": "t", "ث": "t", "ج": "j", "ح": "h", "خ": "k", "د": "d", "ذ": "d", "ر": "r", "ز": "z",
    "س": "s", "ش": "s", "ص": "s", "ض": "d", "ط": "t", "ظ": "z", "غ": "g", "ف": "f", "ق": "k", "ك": "k",
    "ل": "l", "م": "m", "ن": "n", "ه": "h", "پ": "p", "چ": "j", "ژ": "j", "گ": "g", "ک": "k", "ی": "",
    "ا": "", "أ": "", "إ": "", "آ": "", "ء": "", "ؤ": "", "ئ": "", "و": "", "ي": "", "ى": "", "ة": "",
    "ع": "",
}
# Latin digraphs that stand for one Arabic consonant, then letters spelt interchangeably.
DIGRAPHS = (("kh", "k"), ("gh", "g"), ("sh", "s"), ("ch", "s"), ("ph", "f"), ("th", "t"), ("dh", "d"),
            ("ou", ""), ("ck", "k"))
# Arabic has no p or v: "بتروف" is how "Petrov" is written, so p reads as b and v as f.
LETTERS = str.maketrans({"c": "k", "q": "k", "x": "ks", "v": "f", "p": "b", "a": "", "e": "", "i": "",
                         "o": "", "u": "", "y": "", "w": ""})
# Particles that many spellings drop or attach ("El Amrani", "Al-Amrani", "Ben Youssef").
PARTICLES = {"al", "el", "ul", "bin", "ben", "ibn", "bint", "abd", "de", "da", "del", "dos", "van", "von",
             "ال", "بن", "ابن", "بنت", "عبد"}
# Letters NFKD does not decompose, and Cyrillic (look-alike letters and whole names) in the usual Latin form.
LATIN_EXTRA = str.maketrans({"ø": "o", "æ": "ae", "œ": "oe", "ß": "ss", "ł": "l", "đ": "d", "ð": "d", "þ": "th",
                             "ı": "i"})
CYRILLIC = str.maketrans({
    "а": "a", "б": "b", "в": "v", "г": "g", "д": "d", "е": "e", "ё": "e", "ж": "zh", "з": "z", "и": "i",
    "й": "i", "к": "k", "л": "l", "м": "m", "н": "n", "о": "o", "п": "p", "р": "r", "с": "s", "т": "t",
    "у": "u", "ф": "f", "х": "kh", "ц": "ts", "ч": "ch", "ш": "sh", "щ": "shch", "ъ": "", "ы": "y", "ь": "",
    "э": "e", "ю": "yu", "я": "ya", "і": "i", "ї": "i", "є": "e", "ґ": "g", "ј": "j", "љ": "lj", "њ": "nj",
    "ћ": "c", "ђ": "dj", "џ": "dz"})
WORD = re.compile(r"[^\W\d_]+", re.UNICODE)
ARABIC_MARKS = re.compile("[\u064b-\u065f\u0670\u0640]")  # harakat, superscript alef, tatweel


def _fold(text: str) -> str:
    """Return text lower-cased, without accents, Arabic diacritics or invisible characters, Cyrillic in Latin."""
    if text.isascii():  # every step below leaves ASCII as it is but the case (most names, every bulk import)
        return text.lower()
    text = ARABIC_MARKS.sub("", unicodedata.normalize("NFKC", text or ""))
    # Zero-width spaces and joiners, soft hyphens and direction marks are invisible on screen: "Iv\u200ban"
    # must read as "Ivan".
    text = "".join(ch for ch in text if unicodedata.category(ch) != "Cf")
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    plain = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return plain.translate(LATIN_EXTRA).translate(CYRILLIC)


def _strip_article(word: str) -> str:
    """Return an Arabic word without its attached article (الـ)."""
    return word[2:] if word.startswith("ال") and len(word) > 3 else word


def name_words(name: str) -> list[str]:
    """Return the folded words of a name, particles removed, in their order."""
    words = [_strip_article(w) for w in WORD.findall(_fold(name))]
    return [w for w in words if w and w not in PARTICLES]


def exact_form(name: str) -> str:
    """Return the name folded for equality: case, accents, spacing and word order do not matter."""
    return " ".join(sorted(name_words(name)))


def sound(word: str) -> str:
    """Return the consonant skeleton of one folded word (transliterations of one Arabic name agree)."""
    if any("\u0600" <= ch <= "\u06ff" for ch in word):
        out = "".join(ARABIC.get(ch, "") for ch in word)
    else:
        out = word[:-1] + "v" if word.endswith("ow") else word  # "Petrow" is German for "Petrov"
        for pair, single in DIGRAPHS:
            out = out.replace(pair, single)
        out = out.translate(LETTERS)
    return re.sub(r"(.)\1+", r"\1", out)


def sound_forms(name: str) -> set[str]:
    """Return the skeletons of a name's words (a word with no consonant left is dropped)."""
    return {s for s in (sound(w) for w in name_words(name)) if s}


def badge_form(badge: str | None) -> str:
    """Return a badge or service number folded for equality (case, spaces, dashes, dots, digit scripts)."""
    folded = _fold(badge or "")
    if folded.isascii():  # ASCII digits are their own decimal value
        return "".join(ch for ch in folded if ch.isalnum())
    digits = "".join(str(unicodedata.decimal(ch)) if unicodedata.decimal(ch, None) is not None else ch
                     for ch in folded)
    return "".join(ch for ch in digits if ch.isalnum())


def names_match(person: set[str], staff: set[str]) -> bool:
    """Return whether a person's sound forms probably name a staff member with these sound forms.

    Two words in common are needed when both names have two or more; a one-word name must match whole.
    """
    if not person or not staff:
        return False
    shared = len(person & staff)
    return shared >= min(2, len(staff), len(person))
