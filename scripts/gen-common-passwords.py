#!/usr/bin/env python3
"""Generate caseflow/data/common-passwords.txt: well-known weak passwords and their usual decorations.

The list is built from patterns found in every public breach corpus (keyboard walks, famous choices,
words + years + symbols, the organisation's own vocabulary). Only entries of 12 characters or more are kept,
since shorter ones are refused by the length rule anyway. Entries are lower-case; CaseFlow compares
case-insensitively. Run again to regenerate; the output is sorted.
"""

from __future__ import annotations

import itertools
from pathlib import Path

BASES = """password passw0rd p@ssword p@ssw0rd qwerty qwertyuiop qwertyui asdfghjkl asdfgh zxcvbnm
zxcvbnmasdfghjkl 1q2w3e4r 1q2w3e4r5t 1qaz2wsx 1qaz2wsx3edc qazwsx qazwsxedc letmein welcome welcome1
monkey dragon master sunshine princess football baseball basketball soccer hockey iloveyou trustno1
superman batman starwars shadow michael jennifer jordan hunter freedom whatever secret admin administrator
changeme changeit default login access abc123 abcdef abcdefgh 123456 1234567 12345678 123456789 1234567890
0123456789 987654321 111111 000000 121212 654321 666666 696969 123123 123321 112233 passport charlie
computer internet summer winter spring autumn january february march april october november december
monday friday london paris madrid lisbon berlin brussels newyork chocolate cookie butterfly flower
pokemon minecraft fortnite liverpool arsenal chelsea barcelona realmadrid juventus manchester
customs customs123 border officer inspector investigation integrity complaint caseflow internalaffairs
government ministry finance taxation excise douane aduana alfandega seaport airport tariff
mypassword yourpassword newpassword oldpassword temppassword password1 password12 password123
qwerty123 qwerty1234 iloveu loveme lovely angel angels baby babygirl killer ninja mustang ferrari
porsche harley corvette yankees cowboys eagles tigers lakers thomas robert daniel matthew andrew
joshua jessica ashley amanda nicole george william richard joseph charles anthony david maria
superstar rockstar blink182 qwertyqwerty aaaaaaaa zzzzzzzz abcabc trinity matrix hello hello123
helloworld whatsup sample test test123 testing guest guest123 root toor server database oracle
system manager supervisor security secure letmein123 opensesame sesame mercedes bmw toyota""".split()

SUFFIXES = ["", "1", "123", "1234", "123456", "!", "123!", "2024", "2025", "2026", "2024!", "2025!", "2026!"]
PREFIXES = ["", "my"]
WALKS = ["qwertyuiop", "asdfghjkl;", "zxcvbnm,./", "1234567890", "0987654321", "1qaz2wsx3edc4rfv",
         "qwertyuiopasdfghjkl", "123456789012", "111111111111", "000000000000", "abcdefghijkl",
         "abcd1234abcd", "qweasdzxc123", "1q2w3e4r5t6y", "q1w2e3r4t5y6", "zaq12wsxcde3", "!qaz@wsx#edc",
         "passwordpassword", "qwertyqwerty", "asdfasdfasdf", "123qweasdzxc", "adminadmin123"]


def variants(word: str) -> set[str]:
    """Return a word and its leetspeak spelling (the list is lower-case: checks ignore case)."""
    leet = word.replace("a", "@").replace("o", "0").replace("e", "3").replace("i", "1").replace("s", "$")
    return {word, leet}


def generate() -> list[str]:
    """Return the sorted, deduplicated list of common passwords of 12 characters or more."""
    out: set[str] = set(WALKS)
    for base, prefix, suffix in itertools.product(BASES, PREFIXES, SUFFIXES):
        for word in variants(prefix + base):
            candidate = word + suffix
            if 12 <= len(candidate) <= 64:
                out.add(candidate)
    for a, b in itertools.product(["password", "welcome", "letmein", "customs", "admin", "qwerty"], repeat=2):
        if len(a + b) >= 12:
            out.add(a + b)
    return sorted(out)


if __name__ == "__main__":
    target = Path(__file__).resolve().parent.parent / "caseflow" / "data" / "common-passwords.txt"
    words = generate()
    target.write_text("\n".join(words) + "\n", encoding="utf-8")
    print(f"{len(words)} entries written to {target}")
