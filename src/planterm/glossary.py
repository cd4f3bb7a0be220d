"""Terms to question in a post's text, and a hint at its tone (issue 14).

The glossary is ``data/glossary.toml``, merged by term with the user's own
``glossary.toml`` beside the settings file (a user's entry replaces the bundled one of the
same key, a new key adds a term). Matching ignores case and accents and respects word
boundaries: the text and every form are folded the same way (``text.fold``: accents off,
casefolded, typographic apostrophes made plain) and one regular expression, longest form
first, runs over the folded text; each hit is mapped back to the characters as written.

A term lists its forms under labels of the writer's choosing (``ms``/``fs``/``mp``/``fp``
for a French adjective, ``s``/``p`` for a noun, ``v`` for a verb's forms), and may give
word beginnings (``prefixes``) for a verb's many forms. An alternative is a text, or a
table with the same labels, so that a replacement keeps the inflection it replaces:
"primitives" becomes "anciennes" when the alternative gives an ``fp``.

The planner never rewrites on its own: it marks, explains and offers.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from planterm.datafiles import (
    DataFileError,
    header_line,
    one_line,
    read_toml,
    strings,
    tables,
)
from planterm.paths import data_dir
from planterm.text import fold

Alternative = Mapping[str, str]
"""Texts by form label; the label ``""`` holds an alternative that does not inflect."""


@dataclass(frozen=True, slots=True)
class Term:
    """One term to question: its forms, why, what to write instead, the flag it suggests."""

    key: str
    lang: str
    """``fr`` or ``en``."""
    forms: Mapping[str, tuple[str, ...]]
    """The forms as written, by label (``mp``: masculine plural...)."""
    why: str
    """One line: why the word is questioned."""
    alternatives: tuple[Alternative, ...] = ()
    prefixes: tuple[str, ...] = ()
    """Word beginnings that match any ending (a verb's forms)."""
    flag: str | None = None
    """The sensitivity flag it suggests (``collection-origin``...)."""
    advice: str = ""
    """One line, when the better word depends on the context (name the people...)."""


@dataclass(frozen=True, slots=True)
class Match:
    """A term found in a text, where and as it is written there."""

    term: Term
    start: int
    end: int
    text: str
    label: str
    """The label of the form matched; ``""`` for a prefix."""

    def alternatives(self) -> list[str]:
        """The term's alternatives in the matched form and case, ready to put in its place."""
        return [_cased(_inflected(alt, self.label), self.text) for alt in self.term.alternatives]


@dataclass(frozen=True, slots=True)
class Tone:
    """A hint at a text's tone: how many of its sentences ask, and its absolute words."""

    sentences: int
    questions: int
    absolutes: tuple[str, ...]
    """The absolute words as written, in order."""

    @property
    def question_share(self) -> float:
        """Questions over sentences, in percent (0 for an empty text)."""
        return 100 * self.questions / self.sentences if self.sentences else 0.0


_APOSTROPHES = str.maketrans({"\u2019": "'", "\u02bc": "'", "\u2018": "'"})
_SENTENCE_END = re.compile(r"[.!?…]+[\"»”')\]]*(?=\s|$)|\n\s*\n")


def _key(form: str) -> str:
    """A form as matching compares it: folded (``text.fold``), apostrophes plain, words
    separated by one space."""
    return " ".join(fold(form.translate(_APOSTROPHES)).split())


def _folded(text: str) -> tuple[str, list[int]]:
    """``_key``'s folding, character by character, with the index each folded character
    came from (so that a hit is mapped back to the text as written)."""
    out: list[str] = []
    where: list[int] = []
    for i, char in enumerate(text.translate(_APOSTROPHES)):
        for part in unicodedata.normalize("NFKD", char):
            if unicodedata.combining(part):
                continue
            for folded in part.casefold():
                out.append(folded)
                where.append(i)
    return "".join(out), where


def _pattern(form: str) -> str:
    """A folded form as a regular expression: its words separated by any white space."""
    return r"\s+".join(re.escape(word) for word in _key(form).split())


class _Finder:
    """One regular expression for many forms, and which form each folded hit is."""

    def __init__(self, forms: Mapping[str, tuple[Any, str]], prefixes: Mapping[str, Any]
                 ) -> None:
        self.forms = forms
        """Folded form (words joined by one space) -> (what it names, its label)."""
        self.prefixes = prefixes
        """Folded word beginning -> what it names."""
        pieces = sorted((_pattern(f) for f in forms), key=len, reverse=True)
        pieces += [re.escape(p) + r"\w*" for p in sorted(prefixes, key=len, reverse=True)]
        self.regex = re.compile(r"(?<!\w)(?:" + "|".join(pieces) + r")(?!\w)") if pieces \
            else None

    def find(self, text: str) -> Iterable[tuple[Any, str, int, int]]:
        """(what it names, label, start, end) for each hit, in ``text``'s own indexes."""
        if self.regex is None:
            return
        folded, where = _folded(text)
        for hit in self.regex.finditer(folded):
            named, label = self._named(hit.group())
            yield named, label, where[hit.start()], where[hit.end() - 1] + 1

    def names(self, text: str) -> Iterable[Any]:
        """What each hit names, without where: the text folded at once, not character by
        character, for a filter that runs over every post."""
        if self.regex is not None:
            for hit in self.regex.finditer(_key(text)):
                yield self._named(hit.group())[0]

    def _named(self, hit: str) -> tuple[Any, str]:
        """What a folded hit names, and the label of its form (``""`` for a prefix)."""
        found = " ".join(hit.split())
        if found in self.forms:
            return self.forms[found]
        prefix = max((p for p in self.prefixes if found.startswith(p)), key=len)
        return self.prefixes[prefix], ""


@dataclass(frozen=True)
class Glossary:
    """The terms to question and the absolute words of the tone hint."""

    terms: Mapping[str, Term]
    absolutes: tuple[str, ...] = ()
    _finders: dict[str, _Finder] = field(default_factory=dict, repr=False, compare=False)

    def _finder(self, which: str) -> _Finder:
        if which not in self._finders:
            if which == "terms":
                forms = {_key(f): (term, label)
                         for term in self.terms.values()
                         for label, written in term.forms.items() for f in written}
                prefixes = {_key(p): term for term in self.terms.values() for p in term.prefixes}
                self._finders[which] = _Finder(forms, prefixes)
            else:
                self._finders[which] = _Finder(
                    {_key(w): (w, "") for w in self.absolutes}, {})
        return self._finders[which]

    def find(self, text: str) -> list[Match]:
        """The terms in ``text``, in order, none overlapping (the longest form wins)."""
        return [Match(term, start, end, text[start:end], label)
                for term, label, start, end in self._finder("terms").find(text)]

    def keys_in(self, text: str) -> set[str]:
        """The keys of the terms ``find`` would find in ``text``."""
        return {term.key for term in self._finder("terms").names(text)}

    def tone(self, text: str) -> Tone:
        """The share of questions and the absolute words of ``text`` (information only)."""
        sentences = [s for s in _sentences(text) if any(c.isalnum() for c in s)]
        questions = sum(1 for s in sentences if s.rstrip(" \"»”')]\n").endswith("?"))
        absolutes = tuple(text[start:end] for _, _, start, end in
                          self._finder("absolutes").find(text))
        return Tone(len(sentences), questions, absolutes)

    def suggested_flags(self, text: str) -> list[str]:
        """The flags the terms found in ``text`` suggest, each once, in order."""
        return list(dict.fromkeys(m.term.flag for m in self.find(text) if m.term.flag))


def replace_match(text: str, match: Match, alternative: str) -> str:
    """``text`` with the matched words replaced by ``alternative`` (from ``Match.alternatives``)."""
    return text[:match.start] + alternative + text[match.end:]


def _sentences(text: str) -> list[str]:
    pieces, start = [], 0
    for end in _SENTENCE_END.finditer(text):
        pieces.append(text[start:end.end()])
        start = end.end()
    pieces.append(text[start:])
    return pieces


def _inflected(alternative: Alternative, label: str) -> str:
    """The alternative's form for ``label``; its invariant or first form otherwise."""
    if label in alternative:
        return alternative[label]
    return alternative.get("", next(iter(alternative.values())))


def _cased(replacement: str, written: str) -> str:
    """``replacement`` in the case of the words it replaces: CAPITALS, Capital, or as is."""
    letters = [c for c in written if c.isalpha()]
    if len(letters) > 1 and all(c.isupper() for c in letters):
        return replacement.upper()
    if letters and letters[0].isupper():
        return replacement[:1].upper() + replacement[1:]
    return replacement


# --- loading ----------------------------------------------------------------------------


GLOSSARY_FILE = "glossary.toml"


def load_glossary(user: Path | None = None) -> tuple[Glossary, list[str]]:
    """The bundled glossary merged by term with ``user``'s (when the file exists), and the
    warnings about a user file that cannot be used (the bundled glossary is then used
    alone). A bundled file that cannot be used raises ``DataFileError``."""
    terms, absolutes = _read(data_dir() / GLOSSARY_FILE)
    warnings: list[str] = []
    if user is not None and user.exists():
        try:
            own_terms, own_absolutes = _read(user)
        except DataFileError as e:
            warnings.append(f"{e}; the bundled glossary is used without it")
        else:
            terms = {**terms, **own_terms}
            absolutes = own_absolutes if own_absolutes is not None else absolutes
    return Glossary(terms, tuple(absolutes or ())), warnings


def _read(path: Path) -> tuple[dict[str, Term], list[str] | None]:
    """The terms of one file and its absolute words (None when it gives none)."""
    text, data = read_toml(path, "glossary")
    entries = tables(path, "glossary", text, data, "term", ("tone", "source"))
    terms = {key: _term(path, text, key, entry) for key, entry in entries.items()}
    tone = data.get("tone", {})
    absolutes = tone.get("absolute") if isinstance(tone, dict) else None
    if absolutes is not None and not strings(absolutes):
        raise DataFileError(f"glossary {path}, line {header_line(text, 'tone')}: [tone] absolute "
                            "must be a list of words")
    return terms, absolutes


_TERM_FIELDS = ("lang", "forms", "prefixes", "why", "alternatives", "advice", "flag")


def _term(path: Path, text: str, key: str, entry: Any) -> Term:
    """One ``[term.KEY]`` table checked; ``DataFileError`` names the file, line and field."""
    def bad(what: str) -> DataFileError:
        return DataFileError(f"glossary {path}, line {header_line(text, 'term.' + key)}: "
                             f"term {key!r}: {what}")

    if not isinstance(entry, dict):
        raise bad("must be a table")
    for name in entry:
        if name not in _TERM_FIELDS:
            raise bad(f"unknown field {name!r}; known: {', '.join(_TERM_FIELDS)}")
    lang = entry.get("lang")
    if lang not in ("fr", "en"):
        raise bad(f"lang: {lang!r} is not 'fr' or 'en'")
    why, advice = entry.get("why"), entry.get("advice", "")
    if not one_line(why) or not why.strip():
        raise bad("why: one line saying why the word is questioned")
    if not one_line(advice):
        raise bad("advice: one line")
    forms = _labelled(entry.get("forms", {}))
    prefixes = entry.get("prefixes", [])
    if forms is None:
        raise bad("forms: a table of label = \"form\" or [\"form\", ...]")
    if not strings(prefixes):
        raise bad("prefixes: a list of word beginnings")
    if not forms and not prefixes:
        raise bad("forms: give at least one form or prefix")
    alternatives = entry.get("alternatives", [])
    if not isinstance(alternatives, list):
        raise bad("alternatives: a list of texts or of tables label = \"text\"")
    alts: list[Alternative] = []
    for alt in alternatives:
        if isinstance(alt, str) and alt.strip():
            alts.append({"": alt})
        elif isinstance(alt, dict) and alt and strings(list(alt.values())):
            alts.append(dict(alt))
        else:
            raise bad(f"alternatives: {alt!r} is not a text or a table label = \"text\"")
    flag = entry.get("flag")
    if flag is not None and not (isinstance(flag, str) and re.fullmatch(r"[a-z0-9-]+", flag)):
        raise bad(f"flag: {flag!r} is not a flag id (like human-remains)")
    if not alts and not advice.strip():
        raise bad("give alternatives, or advice when the better word depends on the context")
    return Term(key, lang, forms, why.strip(), tuple(alts), tuple(prefixes), flag,
                advice.strip())




def _labelled(forms: Any) -> dict[str, tuple[str, ...]] | None:
    """``forms`` as label -> forms, or None when it is not that shape."""
    if not isinstance(forms, dict):
        return None
    out: dict[str, tuple[str, ...]] = {}
    for label, value in forms.items():
        values = [value] if isinstance(value, str) else value
        if not strings(values) or not values:
            return None
        out[label] = tuple(values)
    return out






# --- flags ------------------------------------------------------------------------------


FLAGS_FILE = "flags.toml"
_FLAG_ID = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")


@dataclass(frozen=True, slots=True)
class Flag:
    """A sensitivity flag: the words that suggest it and the checklist that gates approval."""

    id: str
    name: str
    checklist: tuple[str, ...]
    keywords: tuple[str, ...] = ()


@dataclass(frozen=True)
class Flags:
    """The flags known to planterm, by id."""

    flags: Mapping[str, Flag]
    _finder: list[_Finder] = field(default_factory=list, repr=False, compare=False)

    def suggested(self, text: str, glossary: Glossary | None = None) -> list[str]:
        """The flags that ``text``'s keywords (and, given a glossary, its terms) suggest,
        each once, in the order found."""
        if not self._finder:
            self._finder.append(_Finder({_key(k): (flag.id, "")
                                         for flag in self.flags.values()
                                         for k in flag.keywords}, {}))
        found = [(start, flag) for flag, _, start, _ in self._finder[0].find(text)]
        if glossary is not None:
            found += [(m.start, m.term.flag) for m in glossary.find(text) if m.term.flag]
        return list(dict.fromkeys(flag for _, flag in sorted(found)))


def load_flags(user: Path | None = None) -> tuple[Flags, list[str]]:
    """The bundled flags merged by id with ``user``'s file (when it exists), and the
    warnings about a user file that cannot be used (the bundled flags are then used
    alone). A bundled file that cannot be used raises ``DataFileError``."""
    flags = _read_flags(data_dir() / FLAGS_FILE)
    warnings: list[str] = []
    if user is not None and user.exists():
        try:
            flags = {**flags, **_read_flags(user)}
        except DataFileError as e:
            warnings.append(f"{e}; the bundled flags are used without it")
    return Flags(flags), warnings


def _read_flags(path: Path) -> dict[str, Flag]:
    text, data = read_toml(path, "flags")
    flags = {}
    for key, entry in tables(path, "flags", text, data, "flag", ()).items():
        def bad(what: str, key: str = key) -> DataFileError:
            return DataFileError(f"flags {path}, line {header_line(text, 'flag.' + key)}: "
                                 f"flag {key!r}: {what}")

        if not _FLAG_ID.fullmatch(key):
            raise bad("an id is lowercase letters, digits and dashes")
        if not isinstance(entry, dict):
            raise bad("must be a table")
        unknown = sorted(set(entry) - {"name", "keywords", "checklist"})
        if unknown:
            raise bad(f"unknown field {unknown[0]!r}; known: name, keywords, checklist")
        name, keywords, checklist = (entry.get("name"), entry.get("keywords", []),
                                     entry.get("checklist"))
        if not isinstance(name, str) or not name.strip() or not one_line(name):
            raise bad("name: a few words on one line")
        if not strings(keywords):
            raise bad("keywords: a list of words")
        if not strings(checklist) or not checklist:
            raise bad("checklist: a list of the items to tick before approval")
        if len(set(checklist)) < len(checklist):
            raise bad("checklist: an item is there twice")
        flags[key] = Flag(key, name.strip(), tuple(checklist), tuple(keywords))
    return flags
