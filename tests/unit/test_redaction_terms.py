"""Redaction terms and matching: by value, folded, inside tokens but never inside another word."""

from __future__ import annotations

from caseflow.reports.redaction import Redactor, identity_terms, phrase_terms


def _redact(identity: dict[str, str], text: str) -> str:
    return Redactor(identity_terms(identity).terms).text(text)


def test_name_parts_initials_and_accents() -> None:
    out = _redact({"name": "José Grant"}, "Jose GRANT, J. Grant, Grant J. and grant_notes.txt; access granted.")
    assert out == "[REDACTED], [REDACTED], [REDACTED] and [REDACTED]_notes.txt; access granted."


def test_phone_numbers_in_any_formatting() -> None:
    identity = {"contact": "+32 (0)470 12-34-56"}
    for written in ("0470 12 34 56", "+32470123456", "0470/12.34.56", "00 32 470 123 456"):
        assert _redact(identity, f"call {written} now") == "call [REDACTED] now", written


def test_free_text_is_struck_whole_never_word_by_word() -> None:
    found = identity_terms({"relationship": "works at the Port security CCTV desk"})
    out = Redactor(found.terms).text("The Port security desk and the CCTV; works at the Port security CCTV desk.")
    assert out == "The Port security desk and the CCTV; [REDACTED]."
    assert found.unstruck_names == ["CCTV", "Port"]


def test_common_words_and_particles_are_never_struck_alone() -> None:
    out = _redact({"name": "Maria de la Cruz"}, "the case of la maison de Cruz and Maria")
    assert out == "the case of la maison de [REDACTED] and [REDACTED]"


def test_typed_phrases_are_whole() -> None:
    assert Redactor(phrase_terms(["AB-123-CD"])).text("truck ab-123-cd and AB-123") == "truck [REDACTED] and AB-123"


def test_a_typed_common_word_is_not_struck() -> None:
    assert Redactor(phrase_terms(["the", "de la", "ـــ"])).text("the gate de la port") == "the gate de la port"


def test_a_given_name_that_is_a_word_is_struck_where_written_as_a_name() -> None:
    found = identity_terms({"name": "Will Kovačević"})
    out = Redactor(found.terms).text("The driver said Will took it. Will was there. They will say so; WILL IT?")
    assert out == "The driver said [REDACTED] took it. Will was there. They will say so; WILL IT?"
    assert "Will" in found.unstruck_names  # the one opening a sentence is shown in the preview


def test_a_typed_capitalised_word_is_struck_wherever_written_with_a_capital() -> None:
    out = Redactor(phrase_terms(["Will"])).text("Will was there. They will say so.")
    assert out == "[REDACTED] was there. They will say so."
    assert Redactor(phrase_terms(["will"])).text("Will was there.") == "Will was there."


def test_given_names_that_are_words_in_the_ui_languages_keep_the_word() -> None:
    for name, text, struck in (
            ("Rose Kovačević", "Prices rose sharply; a rose-coloured form; ROSE; then Rose left.",
             "then [REDACTED] left"),
            ("Mark Lindgren", "Please mark the box; ask Mark about it.", "ask [REDACTED] about"),
            ("May Grant", "The officer may leave; ask May now.", "ask [REDACTED] now"),
            ("Pierre Dubois", "Une pierre a été jetée ; Pierre l'a vu.", "; [REDACTED] l'a vu")):
        out = _redact({"name": name}, text)
        assert struck in out, (name, out)
        assert out.count("[REDACTED]") == 1, (name, out)


def test_a_name_after_an_abbreviation_is_not_taken_for_a_sentence_start() -> None:
    out = _redact({"name": "Will Kovačević"}, "Mr. Will arrived; e.g. Will said so. Will was there.")
    assert out == "Mr. [REDACTED] arrived; e.g. [REDACTED] said so. Will was there."
