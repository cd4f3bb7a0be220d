"""The glossary and the flags (issue 14): matching, replacing, tone, loading, overriding."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest

from planterm.datafiles import DataFileError
from planterm.glossary import (
    load_flags,
    load_glossary,
    replace_match,
)
from planterm.text import fold

GLOSSARY, WARNINGS = load_glossary()
FLAGS, FLAG_WARNINGS = load_flags()


def found(text: str) -> list[tuple[str, str, str]]:
    """(as written, term key, form label) for each match."""
    return [(m.text, m.term.key, m.label) for m in GLOSSARY.find(text)]


def test_bundled_files_load_without_warnings() -> None:
    assert WARNINGS == [] and FLAG_WARNINGS == []
    assert len(GLOSSARY.terms) >= 25
    assert set(FLAGS.flags) >= {"collection-origin", "human-remains", "sacred-object",
                                "living-community", "contested-history"}


def test_no_form_belongs_to_two_bundled_terms() -> None:
    forms = Counter(" ".join(fold(f).split()) for t in GLOSSARY.terms.values()
                    for written in t.forms.values() for f in written)
    assert [f for f, n in forms.items() if n > 1] == []


def test_every_flag_a_term_suggests_exists() -> None:
    assert {t.flag for t in GLOSSARY.terms.values() if t.flag} <= set(FLAGS.flags)


def test_every_term_has_something_to_offer() -> None:
    assert all(t.alternatives or t.advice for t in GLOSSARY.terms.values())


@pytest.mark.parametrize(("text", "expected"), [
    ("un art primitif", [("primitif", "primitif", "ms")]),
    ("une société primitive", [("primitive", "primitif", "fs")]),
    ("des peuples primitifs", [("primitifs", "primitif", "mp")]),
    ("les sculptures primitives", [("primitives", "primitif", "fp")]),
    ("PRIMITIFS", [("PRIMITIFS", "primitif", "mp")]),
    ("Primitifs", [("Primitifs", "primitif", "mp")]),
    ("des objets découverts", [("découverts", "decouverte", "mp")]),
    ("une île decouverte", [("decouverte", "decouverte", "fs")]),
    ("les découvertes", [("découvertes", "decouverte", "fp")]),
    ("ils découvrirent l'île", [("découvrirent", "decouverte", "")]),
    ("découvrir", [("découvrir", "decouverte", "")]),
    ("l'esclave", [("esclave", "esclave", "s")]),
    ("d’indigènes", [("indigènes", "indigene", "p")]),
    ("a medicine\n  man", [("medicine\n  man", "medicine-man", "s")]),
    ("The slaves", [("slaves", "slave", "p")]),
    ("they discovered it", [("discovered", "discover", "v")]),
])
def test_matching_ignores_case_and_accents_and_knows_inflections(
        text: str, expected: list[tuple[str, str, str]]) -> None:
    assert found(text) == expected


@pytest.mark.parametrize("text", [
    "le tribunal", "primitivement", "une vaste tribune", "the mummyfied",
    "l'esclavagisme", "case à cocher", "a native-born", "Berberis"])
def test_words_that_only_begin_like_a_term_are_not_matched(text: str) -> None:
    assert [m for m in found(text) if m[0].casefold() != "native"] == []


def test_a_hyphen_is_a_word_boundary() -> None:
    assert found("a native-born") == [("native", "native", "s")]


def test_multi_word_terms_win_over_the_words_inside_them() -> None:
    assert found("la Vénus hottentote et un hottentot") == [
        ("Vénus hottentote", "venus-hottentote", "s"), ("hottentot", "hottentot", "ms")]
    assert found("the Hottentot Venus") == [("Hottentot Venus", "hottentot-venus", "s")]


def test_matches_are_in_order_with_offsets_into_the_text_as_written() -> None:
    text = "Ces objets primitifs ont été découverts en 1931"
    matches = GLOSSARY.find(text)
    assert [text[m.start:m.end] for m in matches] == ["primitifs", "découverts"]
    assert [m.start for m in matches] == [11, 29]


def test_alternatives_keep_the_inflection_and_the_case() -> None:
    (match,) = GLOSSARY.find("Primitives")
    assert match.alternatives()[:2] == ["Anciennes", "Early"]
    (match,) = GLOSSARY.find("LES ESCLAVES")
    assert match.alternatives()[0] == "PERSONNES MISES EN ESCLAVAGE"
    (match,) = GLOSSARY.find("une momie")
    assert match.alternatives() == ["personne momifiée"]


def test_a_replacement_changes_only_the_matched_words() -> None:
    text = "Ces objets primitifs ont été découverts en 1931"
    first = GLOSSARY.find(text)[0]
    assert replace_match(text, first, first.alternatives()[0]) == \
        "Ces objets anciens ont été découverts en 1931"


def test_suggested_flags_come_from_terms_and_keywords_in_order() -> None:
    text = "Le crâne, découvert en 1931, montré comme un objet primitif."
    assert FLAGS.suggested(text, GLOSSARY) == ["human-remains", "collection-origin"]
    assert FLAGS.suggested(text) == ["human-remains"]
    assert GLOSSARY.suggested_flags(text) == ["collection-origin"]


@pytest.mark.parametrize(("text", "sentences", "questions", "absolutes"), [
    ("Qui a fait cet objet ? Nous ne le savons pas. Et vous, qu'en pensez-vous ?", 3, 2, ()),
    ("Il a toujours été là. Bien sûr, c'est évident !", 2, 0, ("toujours", "Bien sûr")),
    ("Who made it? We never knew. Obviously.", 3, 1, ("never", "Obviously")),
    ("", 0, 0, ()),
    ("Un titre sans point", 1, 0, ()),
    ("« Pourquoi ? »\n\nParce que.", 2, 1, ()),
])
def test_tone_counts_questions_and_absolute_words(
        text: str, sentences: int, questions: int, absolutes: tuple[str, ...]) -> None:
    tone = GLOSSARY.tone(text)
    assert (tone.sentences, tone.questions, tone.absolutes) == (sentences, questions, absolutes)


def test_question_share_is_a_percentage() -> None:
    assert GLOSSARY.tone("Pourquoi ? Parce que.").question_share == 50.0
    assert GLOSSARY.tone("").question_share == 0.0


def write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_a_user_glossary_replaces_by_key_and_adds_terms(tmp_path: Path) -> None:
    user = write(tmp_path, "glossary.toml", '''
[tone]
absolute = ["forcément"]

[term.primitif]
lang = "fr"
why = "Notre propre raison."
forms = { ms = "primitif" }
alternatives = ["premier"]

[term.conquete]
lang = "fr"
why = "Vu du côté du conquérant."
forms = { s = "conquête", p = "conquêtes" }
alternatives = ["arrivée"]
''')
    glossary, warnings = load_glossary(user)
    assert warnings == []
    assert glossary.terms["primitif"].why == "Notre propre raison."
    assert [m.term.key for m in glossary.find("primitives conquêtes")] == ["conquete"]
    assert "tribu" in glossary.terms  # the bundled terms are still there
    assert glossary.tone("Il faut forcément. Toujours.").absolutes == ("forcément",)


@pytest.mark.parametrize(("text", "expected"), [
    ('[term.x\nlang = "fr"', "not valid TOML"),
    ('\n\n[term.x]\nlang = "de"\nwhy = "w"\nforms = { s = "x" }\nadvice = "a"',
     "line 3: term 'x': lang: 'de' is not 'fr' or 'en'"),
    ('[term.x]\nlang = "fr"\nwhy = "w"\nforms = { s = "x" }',
     "term 'x': give alternatives, or advice"),
    ('[term.x]\nlang = "fr"\nwhy = "w"\nforms = { s = "x" }\nadvice = "a"\ncolour = 1',
     "term 'x': unknown field 'colour'"),
    ('[term.x]\nlang = "fr"\nwhy = "w"\nforms = { s = 3 }\nadvice = "a"', "term 'x': forms:"),
    ('[term.x]\nlang = "fr"\nwhy = "w"\nforms = { s = "x" }\nadvice = "a"\nflag = "Bad Flag"',
     "flag: 'Bad Flag' is not a flag id"),
    ('[terms.x]\nlang = "fr"', "line 1: unknown table 'terms'"),
])
def test_a_broken_user_glossary_is_a_warning_naming_file_and_line(
        tmp_path: Path, text: str, expected: str) -> None:
    user = write(tmp_path, "glossary.toml", text)
    glossary, warnings = load_glossary(user)
    assert len(warnings) == 1 and str(user) in warnings[0] and expected in warnings[0]
    assert "the bundled glossary is used without it" in warnings[0]
    assert found("primitifs") == [("primitifs", "primitif", "mp")]
    assert glossary.terms == GLOSSARY.terms


def test_a_user_glossary_that_is_not_utf8_names_the_line(tmp_path: Path) -> None:
    user = tmp_path / "glossary.toml"
    user.write_bytes(b'[tone]\nabsolute = ["jamais"]\n# caf\xe9\n')
    _, warnings = load_glossary(user)
    assert warnings and "line 3: not UTF-8 text" in warnings[0]


def test_a_missing_user_file_is_no_warning(tmp_path: Path) -> None:
    assert load_glossary(tmp_path / "none.toml")[1] == []
    assert load_flags(tmp_path / "none.toml")[1] == []


def test_a_user_flags_file_replaces_and_adds_flags(tmp_path: Path) -> None:
    user = write(tmp_path, "flags.toml", '''
[flag.human-remains]
name = "Restes humains"
checklist = ["Conservateur consulté"]

[flag.rights]
name = "Image rights"
keywords = ["photographie"]
checklist = ["Rights cleared"]
''')
    flags, warnings = load_flags(user)
    assert warnings == []
    assert flags.flags["human-remains"].checklist == ("Conservateur consulté",)
    assert flags.flags["rights"].keywords == ("photographie",)
    assert "sacred-object" in flags.flags
    assert flags.suggested("Une photographie du crâne") == ["rights"]


@pytest.mark.parametrize(("text", "expected"), [
    ('[flag.Bad]\nname = "n"\nchecklist = ["a"]', "flag 'Bad': an id is lowercase"),
    ('[flag.x]\nname = "n"\nchecklist = []', "flag 'x': checklist:"),
    ('[flag.x]\nname = "n"\nchecklist = ["a", "a"]', "an item is there twice"),
    ('[flag.x]\nchecklist = ["a"]', "flag 'x': name:"),
])
def test_a_broken_user_flags_file_is_a_warning(tmp_path: Path, text: str,
                                               expected: str) -> None:
    user = write(tmp_path, "flags.toml", text)
    flags, warnings = load_flags(user)
    assert len(warnings) == 1 and expected in warnings[0] and str(user) in warnings[0]
    assert flags.flags == FLAGS.flags


def test_a_broken_bundled_file_raises(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    write(tmp_path, "glossary.toml", "[term.x]\nlang = 1\n")
    monkeypatch.setattr("planterm.glossary.data_dir", lambda: tmp_path)
    with pytest.raises(DataFileError, match="lang"):
        load_glossary()
