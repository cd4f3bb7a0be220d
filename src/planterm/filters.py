"""The planner's filter line: ``status:draft ch:ig obj:visites theme:prehistoire event:12 musée``.

Each ``field:value`` narrows the posts shown; several values of one field are
separated by commas and any of them matches (``status:draft,review``); different
fields must all match. ``warn:`` (no value) keeps the posts with problems
(``readiness.problems``); ``flag:`` the flagged posts (``flag:human-remains`` those with
that flag), ``terms:`` the posts with glossary terms not kept on purpose, ``open:`` the
flagged posts whose checklist is not all ticked. Every other word is free text that must
appear in the title, body, notes or hashtags, case and accents aside. Names are resolved as the
command line resolves them (channel aliases, objective and theme keys or names);
``event:`` takes an id or a word of the title, and a word keeps the posts of every
event whose title holds it (``event:vernissage``, ``event:parures``).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from typing import Any

from planterm.edits import find_events, parse_status, resolve_categories, resolve_channels
from planterm.model import ModelError
from planterm.sensitive import flag_ids, wording
from planterm.store import PostQuery, Store

FIELDS: dict[str, str] = {
    "status": "status",
    "ch": "channel",
    "channel": "channel",
    "obj": "objective",
    "objective": "objective",
    "theme": "theme",
    "event": "event",
    "warn": "warnings",
    "flag": "flags",
    "terms": "terms",
    "open": "open",
}
"""Field names accepted on the filter line, and the field each one means."""

KNOWN = "status, ch (channel), obj (objective), theme, event, warn, flag, terms, open"
"""The fields, as an error message lists them."""


_ALONE: dict[str, Callable[[], dict[str, Any]]] = {
    "warnings": lambda: {"warnings": True},
    "terms": lambda: {"terms": wording().glossary},
    "open": lambda: {"open_review": True},
}
"""The fields that take no value, and what each sets in the query (the glossary read
once for the whole query, not per post)."""


def parse_filter(text: str, store: Store, base: PostQuery | None = None) -> PostQuery:
    """The query a filter line asks for, narrowing ``base`` (the command line's options);
    ``ModelError`` naming the field and what is known."""
    query = base or PostQuery()
    words: list[str] = []
    for token in text.split():
        name, sep, value = token.partition(":")
        # "18:30" or a link is free text: only a word before the colon names a field
        if not sep or not name.isalpha() or value.startswith("//"):
            words.append(token)
            continue
        field = FIELDS.get(name.lower())
        if field is None:
            raise ModelError("filter", f"unknown field {name!r}; known: {KNOWN}")
        values = [v for v in value.split(",") if v]
        if field in _ALONE:
            if values:
                raise ModelError(field, f"{name}: takes no value: {name}: alone")
            query = replace(query, **_ALONE[field]())
            continue
        if field == "flags":  # flag: alone keeps every flagged post
            ids = flag_ids(values, wording().flags)
            query = replace(query, flagged=True, flags=query.flags | set(ids))
            continue
        if not values:
            raise ModelError(field, f"{name}: needs a value, as in {name}:…")
        query = _narrow(query, field, values, store)
    return replace(query, words=(*query.words, *words))


def _narrow(query: PostQuery, field: str, values: list[str], store: Store) -> PostQuery:
    """``query`` narrowed by one ``field:values`` term."""
    match field:
        case "status":
            return replace(query, statuses=query.statuses | {parse_status(v) for v in values})
        case "channel":
            return replace(query, channels=query.channels | set(resolve_channels(values)))
        case "objective":
            found = resolve_categories(values, store.objectives(), "objectives")
            return replace(query, objectives=query.objectives | set(found))
        case "theme":
            found = resolve_categories(values, store.themes(), "themes")
            return replace(query, themes=query.themes | set(found))
    ids = {i for v in values for i in find_events(store, v)}
    return replace(query, events=query.events | ids)
