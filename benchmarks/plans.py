"""Realistic stores for the benchmarks, built through planterm's own ``Store``, cached.

A plan of N posts is what a consultant's multi-year mission looks like: about 40 posts a
week, spread over years (three quarters in the past, mostly published; a quarter ahead,
from ideas to scheduled), with events (some recurring), objectives and themes, titles
and bodies in French with accents and emoji. The current week holds exactly 40 posts.

Some posts are landmarks the benchmarks wait for on screen, each first in its day:
``Repère S00`` … on the first day of this week and of each following week,
``Repère M00`` … on the 15th of this month and of each following month, and the draft
``Repère T`` today at 00:05, the post the planner selects when it opens. Stores are
written through ``planterm.store.Store`` so that the file is valid whatever the store's
schema becomes, and cached in benchmarks/out/ by generator version, planterm's storage
code, size and day.
"""

from __future__ import annotations

import hashlib
import json
import random
import shutil
import sys
from dataclasses import dataclass, replace
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

from planterm.model import Category, Event, EventKind, Post, Status
from planterm.readiness import problems
from planterm.sensitive import marks
from planterm.store import Store

VERSION = 3
"""Bump when the generated plans change, so that cached stores are built again."""

OUT = Path(__file__).with_name("out")
TZ = ZoneInfo("Europe/Paris")
"""The time zone of the plans, written into the benchmarks' settings too."""
PER_WEEK = 40
WEEKS_AHEAD = 60
"""Week landmarks after this week's (``Repère S01`` … ``S60``)."""
MONTHS_AHEAD = 24
"""Month landmarks after this month's (``Repère M01`` … ``M24``)."""
TRIAGE = "Repère T"
"""The start of the title of today's first post, a draft."""

CHANNELS = ("instagram", "facebook", "x", "mastodon", "bluesky", "threads", "linkedin",
            "youtube")
OBJECTIVES = {
    "visites": "Faire venir au musée", "recherche": "Faire connaître la recherche",
    "debat": "Ouvrir le débat sur les collections", "jeune-public": "Toucher les familles",
    "communaute": "Faire vivre la communauté", "mecenat": "Remercier les mécènes",
}
THEMES = {
    "prehistoire": "Préhistoire", "parures": "Parures et bijoux", "textiles": "Textiles",
    "musique": "Instruments de musique", "afrique": "Afrique de l'Ouest",
    "ameriques": "Amériques", "oceanie": "Océanie", "restitutions": "Restitutions",
}
SUBJECTS = (
    "Vernissage « Parures du monde »", "Objet de la semaine : la calebasse gravée",
    "Dans les réserves 🔎", "Atelier famille : tissage 🧶", "Rencontre avec l'ethnologue",
    "Coulisses de la restauration", "Nuit des musées 🌙", "Le saviez-vous ? Les cauris",
    "Jeune public : contes d'Océanie 🌊", "Trésor des collections : le masque Dogon",
    "Conférence : premiers peuplements", "Les mécènes de l'été ☀️", "Journées du patrimoine",
    "Retour sur la visite guidée 📸", "Question des restitutions", "Fête de la musique 🎶",
    "Parcours « Éclats de Préhistoire »", "Appel à témoignages ✉️", "Portrait : la régisseuse",
    "Concert au jardin 🎻", "Semaine des écoles ✏️", "Hommage à Germaine Tillion",
)
SENTENCES = (
    "Venez découvrir les pièces sorties des réserves pour l'occasion ✨.",
    "Entrée libre le premier dimanche du mois, réservation conseillée.",
    "Nos médiatrices vous attendent à l'accueil du hall Lévi-Strauss à 14 h 30.",
    "Un objet, une histoire : ce collier de perles a traversé trois siècles 💎.",
    "Merci à toutes et à tous pour votre présence, vous étiez plus de 800 ! 🙏",
    "Les élèves de CM2 de l'école Jules-Ferry ont réalisé leurs propres parures.",
    "Question du jour : d'où viennent les coquillages de cette coiffe ? Réponse demain 🤔.",
    "Photos : © Musée des sociétés, tous droits réservés.",
    "La conférence sera retransmise en direct et sous-titrée en français.",
    "Ce dimanche, ateliers en famille dès 6 ans, goûter offert 🍪.",
    "Les chercheurs du laboratoire d'anthropologie partagent leurs dernières découvertes.",
    "Nous travaillons avec les communautés d'origine sur l'histoire de ces objets.",
)
HASHTAGS = ("#MuséeDesSociétés", "#ÉtéAuMusée", "#Préhistoire", "#RencontresDuMusée",
            "#NuitDesMusées", "#Patrimoine", "#JeunePublic", "#Restitutions")
PLACES = ("Hall Lévi-Strauss", "Auditorium Jean Rouch", "Atelier pédagogique",
          "Jardin des sociétés", "Salle des parures")


@dataclass(frozen=True)
class Plan:
    """A cached store and what the benchmarks need to know about it."""

    path: Path
    """The store file (read-only: copy it before any run that writes)."""
    size: int
    triage_id: int
    """Id of today's draft ``Repère T``."""

    def bytes(self) -> int:
        """The size of the store file."""
        return self.path.stat().st_size


def week_landmark(k: int) -> str:
    """The title start of the first post of the k-th week from this one."""
    return f"Repère S{k:02d}"


def month_landmark(k: int) -> str:
    """The title start of the first post of the 15th, k months from this one."""
    return f"Repère M{k:02d}"


def at(day: date, hour: int, minute: int) -> datetime:
    """A local wall-clock time of the plans, aware, in UTC."""
    return datetime.combine(day, time(hour, minute), TZ).astimezone(UTC)


def add_months(day: date, months: int) -> date:
    """The same day of the month, ``months`` later (used on the 15th only)."""
    index = day.month - 1 + months
    return day.replace(year=day.year + index // 12, month=index % 12 + 1)


def status_for(rng: random.Random, when: datetime | None, now: datetime) -> Status:
    """A status as a real plan has it: published behind, ideas far ahead."""
    if when is None:
        return Status.IDEA
    if when < now:
        return rng.choices([Status.PUBLISHED, Status.CANCELLED, Status.SCHEDULED],
                           [88, 7, 5])[0]
    if when < now + timedelta(weeks=2):
        return rng.choices([Status.SCHEDULED, Status.APPROVED, Status.REVIEW, Status.DRAFT,
                            Status.IDEA], [30, 25, 20, 20, 5])[0]
    return rng.choices([Status.IDEA, Status.DRAFT, Status.REVIEW, Status.APPROVED],
                       [40, 40, 10, 10])[0]


def post(rng: random.Random, title: str, when: datetime | None, now: datetime,
         events: int, status: Status | None = None) -> Post:
    """One post with the fields a real one fills, text with accents and emoji."""
    flagged = status is None and rng.random() < 0.03  # no triage step refused on a set status
    status = status or status_for(rng, when, now)
    body = " ".join(rng.sample(SENTENCES, rng.randint(2, 4)))
    tags = rng.sample(HASHTAGS, rng.randint(0, 3))
    channels = rng.sample(CHANNELS, rng.randint(1, 4))
    written = (when or now) - timedelta(days=rng.randint(1, 30))
    return Post(
        title=title,
        body=f"{body} {' '.join(tags)}".strip(),
        variants={"x": body[:200]} if "x" in channels and rng.random() < 0.3 else {},
        channels=channels,
        status=status,
        scheduled=when,
        objectives=rng.sample(list(OBJECTIVES), rng.randint(1, 2)),
        themes=rng.sample(list(THEMES), rng.randint(1, 2)),
        event=rng.randint(1, events) if events and rng.random() < 0.25 else None,
        hashtags=tags,
        media="Photo : salle des parures, lumière du matin 📷" if rng.random() < 0.5 else "",
        notes="Valider le crédit photo avec la régie ✅" if rng.random() < 0.1 else "",
        flags=["human-remains"] if flagged else [],
        checklist={"consentement des communautés": True} if flagged else {},
        live=rng.random() < 0.05,
        link=f"https://www.instagram.com/p/{rng.getrandbits(40):x}/"
        if status is Status.PUBLISHED else "",
        created=written,
        updated=written,
    )


def landmarks(rng: random.Random, today: date, now: datetime, events: int) -> list[Post]:
    """The posts the benchmarks wait for: this week's and next weeks', months', today's."""
    monday = today - timedelta(days=today.weekday())
    fifteenth = today.replace(day=15)
    subjects = [s for s in SUBJECTS if not marks({"title": s})]
    found = [landmark(post(rng, f"{TRIAGE} · à relire avant midi 📝", at(today, 0, 5), now,
                           events, Status.DRAFT))]
    found += [landmark(post(rng, f"{week_landmark(k)} · {rng.choice(subjects)}",
                            at(monday + timedelta(weeks=k), 0, 10), now, events))
              for k in range(WEEKS_AHEAD + 1)]
    found += [landmark(post(rng, f"{month_landmark(k)} · {rng.choice(subjects)}",
                            at(add_months(fifteenth, k), 0, 10), now, events))
              for k in range(MONTHS_AHEAD + 1)]
    return found


def landmark(made: Post) -> Post:
    """A post the measures look for: no sign between its status symbol and its title (no
    glossary term, no flag, no problem), where they look for them side by side, and a
    title that a narrow month cell still shows as far as its landmark."""
    plain = replace(made, body=f"{SENTENCES[1]} {' '.join(made.hashtags)}".strip(),
                    variants={}, flags=[], checklist={})
    assert not marks(plain.to_doc()) and not problems(plain), plain.title
    return plain


def spread(rng: random.Random, count: int, today: date, now: datetime,
           events: int) -> list[Post]:
    """``count`` everyday posts over the weeks around this one, this week left out."""
    monday = today - timedelta(days=today.weekday())
    weeks = max(count // PER_WEEK, 2)
    ahead = max(weeks // 4, 1)
    found = []
    for _ in range(count):
        if rng.random() < 0.01:  # an idea with no date yet
            found.append(post(rng, rng.choice(SUBJECTS), None, now, events))
            continue
        week = rng.randint(-(weeks - ahead), ahead - 1)
        week += week >= 0  # this week has its own 40
        day = monday + timedelta(weeks=week, days=rng.randint(0, 6))
        when = at(day, rng.randint(7, 21), rng.choice((0, 15, 30, 45)))
        found.append(post(rng, rng.choice(SUBJECTS), when, now, events))
    return found


def in_week(post: Post, today: date) -> bool:
    """Whether ``post`` is planned in the week of ``today`` (weeks start on Monday)."""
    if post.scheduled is None:
        return False
    return post.scheduled.astimezone(TZ).date().isocalendar()[:2] == today.isocalendar()[:2]


def this_week(rng: random.Random, count: int, today: date, now: datetime,
              events: int) -> list[Post]:
    """``count`` posts in the current week, after the landmarks of their day."""
    monday = today - timedelta(days=today.weekday())
    return [post(rng, rng.choice(SUBJECTS),
                 at(monday + timedelta(days=rng.randint(0, 6)), rng.randint(7, 21),
                    rng.choice((0, 15, 30, 45))), now, events)
            for _ in range(count)]


def make_events(rng: random.Random, count: int, today: date) -> list[Event]:
    """``count`` events over the plan's years, one in ten recurring weekly."""
    weeks = max(count * 2, 4)
    found = []
    for i in range(count):
        day = today + timedelta(weeks=rng.randint(-(weeks * 3 // 4), weeks // 4),
                                days=rng.randint(0, 6))
        start = at(day, rng.choice((11, 14, 15, 18)), rng.choice((0, 30)))
        found.append(Event(
            title=rng.choice(SUBJECTS), start=start, end=start + timedelta(hours=2),
            kind=rng.choice(list(EventKind)), place=rng.choice(PLACES),
            hashtag=rng.choice(HASHTAGS), channels=rng.sample(CHANNELS, 3),
            rrule="FREQ=WEEKLY;BYDAY=SA;COUNT=10" if i % 10 == 0 else "",
            notes="Jauge 180 places, réservation conseillée."))
    return found


def build(path: Path, size: int, today: date, seed: int) -> int:
    """Write a plan of ``size`` posts at ``path``; the id of today's draft ``Repère T``."""
    rng = random.Random(seed)
    now = datetime.now(UTC).replace(microsecond=0)
    events = min(max(size // 80, 4), 600)
    store = Store(path)
    try:
        for key, name in OBJECTIVES.items():
            store.add_objective(Category(key, name, colour=f"#{rng.getrandbits(24):06x}"))
        for key, name in THEMES.items():
            store.add_theme(Category(key, name, colour=f"#{rng.getrandbits(24):06x}"))
        for event in make_events(rng, events, today):
            store.add_event(event)
        marks = landmarks(rng, today, now, events)
        here = sum(in_week(p, today) for p in marks)
        posts = [*marks, *this_week(rng, PER_WEEK - here, today, now, events)]
        posts += spread(rng, size - len(posts), today, now, events)
        stored = store.add_posts(posts)
    finally:
        store.close()
    triage = stored[0]
    assert triage.title.startswith(TRIAGE) and triage.id is not None
    return triage.id


def code_digest() -> str:
    """A digest of the planterm modules loaded to write stores (the store and what it
    imports): when the file format may have changed, the cached plans are built again."""
    digest = hashlib.sha256()
    for name in sorted(sys.modules):
        source = getattr(sys.modules[name], "__file__", None)
        if name.partition(".")[0] == "planterm" and source:
            digest.update(Path(source).read_bytes())
    return digest.hexdigest()[:10]


def plan(size: int, today: date) -> Plan:
    """The plan of ``size`` posts for ``today``, built once and then read from the cache."""
    OUT.mkdir(exist_ok=True)
    stem = f"plan-v{VERSION}-{code_digest()}-{size}-{today.isoformat()}"
    path, meta = OUT / f"{stem}.json", OUT / f"{stem}.meta.json"
    if not (path.exists() and meta.exists()):
        for stale in OUT.glob(f"plan-*-{size}-*.json"):
            stale.unlink()
        work = OUT / f"building-{size}"
        shutil.rmtree(work, ignore_errors=True)
        work.mkdir()
        triage_id = build(work / "plan.json", size, today, seed=size)
        (work / "plan.json").replace(path)
        shutil.rmtree(work)
        meta.write_text(json.dumps({"triage_id": triage_id}))
    return Plan(path, size, json.loads(meta.read_text())["triage_id"])
