"""A post, read-only, with every field spelled out (Enter on a post)."""

from __future__ import annotations

from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Static

from planterm.agenda import channel_abbrs, local_text
from planterm.config import Settings
from planterm.model import Post
from planterm.readiness import WARN_MARK, problems
from planterm.review import checklist_lines
from planterm.sensitive import post_marks
from planterm.store import Store
from planterm.text import inert


def detail_text(post: Post, store: Store, settings: Settings) -> Content:
    """The post: what keeps it from being ready, then a field a line (empty fields left
    out), then the texts: every stored text inert and styled as content, never markup."""
    objectives = {c.key: c.name for c in store.objectives()}
    themes = {c.key: c.name for c in store.themes()}
    event = store.get_event(post.event) if post.event is not None else None
    rows = [
        ("status", f"{post.status.symbol} {post.status}"),
        ("when", local_text(post.scheduled, settings) if post.scheduled else "unscheduled"),
        ("channels", channel_abbrs(post)),
        ("objectives", ", ".join(objectives.get(k, k) for k in post.objectives)),
        ("themes", ", ".join(themes.get(k, k) for k in post.themes)),
        ("event", f"{event.id} {event.title}" if event else ""),
        ("hashtags", " ".join(post.hashtags)),
        ("media", post.media),
        ("flags", f"{post_marks(post)} {', '.join(post.flags)}".strip()),
        ("kept", " · ".join(f"{k}{': ' + r if r else ''}" for k, r in post.kept.items())),
        ("link", post.link),
        ("id", str(post.id)),
    ]
    lines = [Content.assemble((inert(post.title), "bold"), " (live)" if post.live else "")]
    lines += [Content.styled(inert(f"{WARN_MARK} {problem}"), "$text-warning")
              for problem in problems(post)]
    lines.append(Content())
    lines += [Content.assemble((f"{name:>10}", "dim"), "  ", inert(value))
              for name, value in rows if value]
    if post.checklist:
        lines += [Content(), Content.styled("checklist", "dim")]
        lines += [Content(inert(line)) for line in checklist_lines(post, settings)]
    texts = [("body", post.body), *((f"on {k}", v) for k, v in post.variants.items()),
             ("notes", post.notes)]
    for name, text in texts:
        if text:
            lines += [Content(), Content.styled(inert(name), "dim"),
                      Content(inert(text, multiline=True))]
    return Content("\n").join(lines)


class PostDetail(ModalScreen[None]):
    """One post's details; Escape or Enter goes back."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape,enter,q", "dismiss", "Back", id="detail.back",
                tooltip="Back to the calendar"),
    ]

    def __init__(self, post: Post, store: Store, settings: Settings) -> None:
        super().__init__()
        self.details = detail_text(post, store, settings)

    @property
    def text(self) -> str:
        """The details as the user reads them."""
        return self.details.plain

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="detail-box", classes="dialog"):
            yield Static(self.details)
