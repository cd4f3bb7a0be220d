"""Sensitive posts: their flags and checklists, the review log, and the glossary's terms
found in them (issue 14).

A flag (``human-remains``...) gates approval on its checklist (``model.check_gates``).
Setting a post's flags fills its checklist with every item of every flag, in the flags'
order, each item once; a tick already given is kept while its item is still there.
Ticking and unticking append to the post's review log (who, when) and are never
rewritten. A glossary term kept on purpose in a post (with an optional reason) is no
longer flagged there.

Shared by the command line (``planterm review``, ``set flags=``), the filter line
(``flag:``, ``terms:``, ``open:``), the views' marks and the planner, so that all of them
say the same thing.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace
from datetime import datetime
from functools import cache
from pathlib import Path
from typing import Any

from planterm.datafiles import user_file
from planterm.glossary import (
    FLAGS_FILE,
    GLOSSARY_FILE,
    Flags,
    Glossary,
    Match,
    load_flags,
    load_glossary,
)
from planterm.model import ModelError, Post, ReviewEntry
from planterm.text import fold

FLAG_MARK = "⚑"
"""After a flagged post's title: a checklist gates its approval."""
OPEN_MARK = "☐"
"""After a flagged post's title while items of its checklist are not ticked."""
TERMS_MARK = "‽"
"""After the title of a post whose text holds glossary terms not kept on purpose."""

TEXT_FIELDS = ("title", "body")
"""The fields searched for terms, with every per-channel variant: what goes out."""


@dataclass(frozen=True)
class Wording:
    """The glossary and the flags, bundled merged with the user's, and what was wrong
    with the user's files."""

    glossary: Glossary
    flags: Flags
    warnings: tuple[str, ...] = ()


def wording() -> Wording:
    """The glossary and flags for this process, read once (again when the user's files
    change: a planner left open sees an edit)."""
    paths = (user_file(GLOSSARY_FILE), user_file(FLAGS_FILE))
    return _load(*((p, _stamp(p)) for p in paths))


def _stamp(path: Path) -> int | None:
    try:
        return path.stat().st_mtime_ns
    except OSError:
        return None


@cache
def _load(glossary: tuple[Path, int | None], flags: tuple[Path, int | None]) -> Wording:
    words, warned = load_glossary(glossary[0])
    known, more = load_flags(flags[0])
    return Wording(words, known, tuple(warned + more))


# --- flags and checklist ------------------------------------------------------------------


def flag_ids(values: Iterable[str], flags: Flags) -> list[str]:
    """Flag ids as typed (case and spaces aside), in order, each once; ``ModelError``
    naming the known ones for an id that is not."""
    found: list[str] = []
    for value in values:
        key = value.strip().lower()
        if key not in flags.flags:
            raise ModelError("flags", f"unknown flag {value!r}; known: "
                                      f"{', '.join(flags.flags)}")
        if key not in found:
            found.append(key)
    return found


def set_flags(post: Post, ids: list[str], flags: Flags) -> Post:
    """``post`` with these flags (already checked by ``flag_ids``) and the checklist they
    make: every item of every flag, in order, each once; a tick is kept while its item
    is still there. A flag unknown here keeps the post's items for it."""
    items = [item for flag in ids for item in _items(flag, post, flags)]
    checklist = {item: post.checklist.get(item, False) for item in dict.fromkeys(items)}
    return replace(post, flags=list(ids), checklist=checklist)


def _items(flag: str, post: Post, flags: Flags) -> tuple[str, ...]:
    known = flags.flags.get(flag)
    # a flag no longer in the files (a user's flag removed): its items as the post has them
    return known.checklist if known is not None else tuple(post.checklist)


def open_items(post: Post) -> list[str]:
    """The checklist items not ticked, in order."""
    return [item for item, done in post.checklist.items() if not done]


def is_open(doc: Mapping[str, Any]) -> bool:
    """Whether a stored post (raw document) is flagged and its review not done."""
    checklist = doc.get("checklist") or {}
    return bool(doc.get("flags")) and (not checklist or not all(checklist.values()))


def find_item(post: Post, ref: str) -> str:
    """The checklist item ``ref`` names: its number (from 1), or a part of its text that
    no other item holds (case and accents aside); ``ModelError`` otherwise."""
    items = list(post.checklist)
    if not items:
        raise ModelError("item", f"post {post.id} has no checklist (no flag is set)")
    ref = ref.strip()
    if ref.isdigit():
        if 1 <= int(ref) <= len(items):
            return items[int(ref) - 1]
        raise ModelError("item", f"no item {ref}: the checklist has {len(items)}")
    found = [item for item in items if fold(ref) in fold(item)] if ref else []
    if len(found) == 1:
        return found[0]
    listed = "; ".join(f"{n}. {item}" for n, item in enumerate(items, 1)
                       if not found or item in found)
    what = "no item" if not found else f"{len(found)} items"
    raise ModelError("item", f"{what} of post {post.id} match {ref!r}: {listed}")


def tick(post: Post, item: str, done: bool, by: str, at: datetime) -> Post:
    """``post`` with ``item`` ticked (or unticked), recorded in its review log; the same
    post when the item is already so."""
    if post.checklist.get(item) is done:
        return post
    return replace(post, checklist={**post.checklist, item: done},
                   review=[*post.review, ReviewEntry(item, done, by, at)])


def last_ticks(post: Post) -> dict[str, ReviewEntry]:
    """The last tick or untick of each item that has one: who, and when."""
    return {entry.item: entry for entry in post.review}


# --- terms ------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Found:
    """A glossary term in one of a post's texts."""

    field: str
    """``title``, ``body``, or a channel's variant (``x``...)."""
    match: Match


def texts(post: Post) -> list[tuple[str, str]]:
    """The texts of a post that go out, by field: title, body, each variant."""
    return [("title", post.title), ("body", post.body), *post.variants.items()]


def post_terms(post: Post, glossary: Glossary) -> list[Found]:
    """The terms in the post's texts, in order, without those kept on purpose."""
    return [Found(name, m) for name, text in texts(post) for m in glossary.find(text)
            if m.term.key not in post.kept]


def has_terms(doc: Mapping[str, Any], glossary: Glossary) -> bool:
    """Whether a stored post (raw document) holds a term not kept on purpose."""
    text = "\n".join([doc.get("title") or "", doc.get("body") or "",
                      *(doc.get("variants") or {}).values()])
    return bool(glossary.keys_in(text) - set(doc.get("kept") or ()))


def keep(post: Post, term: str, reason: str) -> Post:
    """``post`` with the term of this key kept on purpose, for this reason (maybe "")."""
    return replace(post, kept={**post.kept, term: " ".join(reason.split())})


def suggested(post: Post, known: Wording) -> list[str]:
    """The flags the post's texts suggest (keywords, terms not kept) and it has not."""
    text = "\n".join(t for _, t in texts(post))
    from_terms = [f.match.term.flag for f in post_terms(post, known.glossary)
                  if f.match.term.flag]
    found = dict.fromkeys([*known.flags.suggested(text), *from_terms])
    return [flag for flag in found if flag not in post.flags and flag in known.flags.flags]


def marks(doc: Mapping[str, Any], glossary: Glossary | None = None) -> str:
    """The signs after a stored post's title: ``⚑`` flagged, ``☐`` its review not done,
    ``‽`` glossary terms not kept; "" for none. Works on a document, so that views and
    filters of raw documents share it. ``glossary``: ``wording().glossary``, when a view
    marking many posts has it at hand (finding it again per post was most of the cost)."""
    signs = ""
    if doc.get("flags"):
        signs += FLAG_MARK + (OPEN_MARK if is_open(doc) else "")
    if has_terms(doc, wording().glossary if glossary is None else glossary):
        signs += TERMS_MARK
    return signs


def post_marks(post: Post, glossary: Glossary | None = None) -> str:
    """``marks`` of a post."""
    return marks({"title": post.title, "body": post.body, "variants": post.variants,
                  "flags": post.flags, "checklist": post.checklist, "kept": post.kept},
                 glossary)
