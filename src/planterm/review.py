"""A sensitive post's review as text and as JSON: its glossary terms (as written, why,
alternatives, the flags they suggest), its flags and its checklist with who ticked what.

``planterm review`` prints it; the planner's checklist screen draws the same lines.
"""

from __future__ import annotations

from typing import Any

from planterm.config import Settings
from planterm.model import Post, ReviewEntry, Status
from planterm.sensitive import (
    FLAG_MARK,
    OPEN_MARK,
    TERMS_MARK,
    Found,
    Wording,
    last_ticks,
    open_items,
    post_terms,
    suggested,
)
from planterm.text import inert

DONE_MARK = "☑"
"""Before a ticked checklist item."""

UNDER_REVIEW = (Status.IDEA, Status.DRAFT, Status.REVIEW, Status.APPROVED, Status.SCHEDULED)
"""The statuses ``review`` lists: a published or cancelled post has nothing left to review."""


def needs_review(post: Post, known: Wording) -> bool:
    """Whether ``review`` lists the post: flagged, or holding terms not kept on purpose."""
    return post.status in UNDER_REVIEW and bool(post.flags or post_terms(post, known.glossary))


def tick_text(entry: ReviewEntry, settings: Settings) -> str:
    """``alice, 04/12/2026 10:02``: who ticked (or unticked) an item, and when."""
    local = entry.at.astimezone(settings.tz)
    return f"{entry.by}, {local:%d/%m/%Y %H:%M}"


def term_lines(found: list[Found]) -> list[str]:
    """Each term: the words as written and where, why, what to write instead."""
    lines = []
    for f in found:
        term = f.match.term
        lines.append(f"{TERMS_MARK} «{f.match.text}» ({f.field}): {term.why}")
        instead = " · ".join(f.match.alternatives())
        if instead:
            lines.append(f"    instead: {instead}")
        if term.advice:
            lines.append(f"    {term.advice}")
    return lines


def checklist_lines(post: Post, settings: Settings) -> list[str]:
    """The checklist, numbered as ``review tick`` takes it, with who ticked each item."""
    ticks = last_ticks(post)
    lines = []
    for n, (item, done) in enumerate(post.checklist.items(), 1):
        entry = ticks.get(item)
        who = "" if entry is None else \
            f"  ({'' if entry.done else 'unticked by '}{tick_text(entry, settings)})"
        lines.append(f"{DONE_MARK if done else OPEN_MARK} {n}. {item}{who}")
    return lines


def review_text(post: Post, known: Wording, settings: Settings, when: str) -> str:
    """One post's review as ``planterm review`` prints it (made inert here)."""
    found = post_terms(post, known.glossary)
    lines = [f"post {post.id} · {when} · {post.status.symbol} {post.status} · {post.title}"]
    lines += [f"  {line}" for line in term_lines(found)]
    hinted = suggested(post, known)
    if hinted:
        lines.append(f"  suggested flags (not set): {', '.join(hinted)}")
    if post.flags:
        left = len(open_items(post))
        state = f"{left} of {len(post.checklist)} open" if left else "checklist done"
        lines.append(f"  {FLAG_MARK} {', '.join(post.flags)}: {state}")
        lines += [f"    {line}" for line in checklist_lines(post, settings)]
    for key, reason in post.kept.items():
        lines.append(f"  kept on purpose: {key}{' · ' + reason if reason else ''}")
    return "\n".join(inert(line) for line in lines)


def review_json(post: Post, known: Wording) -> dict[str, Any]:
    """One post's review for scripts: the exact texts, times in UTC ISO 8601."""
    ticks = last_ticks(post)
    return {
        "id": post.id,
        "title": post.title,
        "status": post.status.value,
        "terms": [{"term": f.match.term.key, "field": f.field, "text": f.match.text,
                   "start": f.match.start, "end": f.match.end, "why": f.match.term.why,
                   "advice": f.match.term.advice, "alternatives": f.match.alternatives(),
                   "flag": f.match.term.flag}
                  for f in post_terms(post, known.glossary)],
        "suggested_flags": suggested(post, known),
        "flags": list(post.flags),
        "checklist": [{"item": item, "done": done,
                       **({"by": ticks[item].by, "at": ticks[item].to_doc()["at"]}
                          if item in ticks else {})}
                      for item, done in post.checklist.items()],
        "open": open_items(post),
        "kept": dict(post.kept),
    }
