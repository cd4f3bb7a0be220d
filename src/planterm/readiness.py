"""Whether a post is ready for its status: what goes out on each channel, and what is wrong.

Shared by the command line (the ``⚠`` of ``list`` and ``week``, ``check``'s warnings,
``show --channel``), the filter line (``warn:``) and the planner's marks, so that all of
them say the same thing. ``model.check_transition`` uses ``over_limits`` to refuse an
over-long post on its way to approved or scheduled.

What goes out on a channel (``outgoing_text``) is the channel's variant, or the body,
followed by each of the post's hashtags that the text does not hold yet (compared
without regard to case and accents), one space apart: that is the text counted against
the channel's limit and the text ``planterm show ID --channel C`` prints.

A post that is published or cancelled has no problems: nothing is left to do with it.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from planterm import channels
from planterm.model import Post, Status
from planterm.text import fold

WARN_MARK = "⚠"
"""The sign of a post with problems, beside its line wherever it is shown."""

_NEEDS_TEXT = (Status.APPROVED, Status.SCHEDULED)
_DONE = (Status.PUBLISHED, Status.CANCELLED)


def outgoing_text(post: Post, channel: str) -> str:
    """Exactly the text that goes out on ``channel``: its variant or the body, then the
    post's hashtags it does not hold yet."""
    return _with_hashtags(post.text_for(channel), post.hashtags)


def _with_hashtags(text: str, hashtags: Sequence[str]) -> str:
    # A tag the text holds as it is needs no folding: folding is done code point by code
    # point, so it keeps whatever the text holds (most posts hold all their tags).
    missing = [tag for tag in hashtags if tag not in text]
    if not missing:
        return text
    folded = fold(text)
    extra = [tag for tag in missing if fold(tag) not in folded]
    return " ".join(part for part in (text, *extra) if part)


def over_limits(post: Post) -> list[str]:
    """One line per channel the post's text does not fit: ``X 334/280 (54 over)``,
    ``Instagram 7 hashtags (max 5)``; channels unknown to the table are left aside."""
    return _over_limits(post.channels, post.body, post.variants, post.hashtags)


def _over_limits(post_channels: Sequence[str], body: str, variants: Mapping[str, str],
                 hashtags: Sequence[str]) -> list[str]:
    known = channels.networks()
    found: list[str] = []
    texts: dict[str, str] = {}  # channels without a variant share the body's text
    for channel in post_channels:
        net = known.get(channel)
        if net is None:
            continue
        own = variants.get(channel) or body
        text = texts.get(own) or texts.setdefault(own, _with_hashtags(own, hashtags))
        if channels.surely_fits(text, net):  # most posts: no counting needed
            continue
        fit = channels.fit(text, channel)
        name = net.name
        if fit.count > fit.limit:
            found.append(f"{name} {fit.count}/{fit.limit} ({fit.count - fit.limit} over)")
        if fit.too_many_hashtags:
            found.append(f"{name} {fit.hashtags} hashtags (max {fit.max_hashtags})")
    return found


def problems(post: Post) -> list[str]:
    """One short line per thing that keeps ``post`` from being ready for its status;
    empty when it is ready (always, once published or cancelled)."""
    if post.status in _DONE:
        return []
    return _problems(post.status, post.scheduled is None, post.channels, post.body,
                     post.variants, post.hashtags, post.flags, post.checklist)


def doc_problems(doc: Mapping[str, Any]) -> list[str]:
    """``problems`` of the post a stored document holds (one that fits ``model.POST``),
    read as ``Post.from_doc`` reads it but without building the post: ``list --json`` and
    ``check`` ask it of every post, and building 20,000 posts costs more than the store's
    parse."""
    get = doc.get
    status = get("status", "idea")
    if status in _DONE:  # most posts of a long plan: nothing more to read
        return []
    return _problems(status, get("scheduled") is None, get("channels") or (),
                     get("body") or "", get("variants") or {}, get("hashtags") or (),
                     get("flags") or (), get("checklist") or {})


def _problems(status: str, unscheduled: bool, post_channels: Sequence[str], body: str,
              variants: Mapping[str, str], hashtags: Sequence[str], flags: Sequence[str],
              checklist: Mapping[str, bool]) -> list[str]:
    """``problems`` of a post's fields (``status`` a ``Status`` or its value, neither
    published nor cancelled)."""
    found = _over_limits(post_channels, body, variants, hashtags)
    if status == Status.SCHEDULED:
        if unscheduled:
            found.append("scheduled without a time")
        if not post_channels:
            found.append("scheduled without a channel")
    if status in _NEEDS_TEXT:
        empty = [c for c in post_channels if not (variants.get(c) or body).strip()]
        if not body.strip() and (not post_channels or len(empty) == len(post_channels)):
            found.append(f"{status} with an empty body")
        elif empty:
            known = channels.networks()
            names = ", ".join(known[c].name if c in known else c for c in empty)
            found.append(f"{status} with no text for {names}")
        if flags and (not checklist or not all(checklist.values())):
            found.append(f"sensitive, {status} with its review checklist not done")
    return found
