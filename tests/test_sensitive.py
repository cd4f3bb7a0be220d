"""Sensitive posts in the core: flags fill the checklist, ticks are recorded with who and
when, the gate names what is missing, kept terms, the filter words, the marks, schema 4."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path

import pytest

from planterm.filters import parse_filter
from planterm.model import (
    POST,
    ModelError,
    Post,
    ReviewEntry,
    ReviewOpen,
    Status,
    TransitionError,
    with_status,
)
from planterm.sensitive import (
    find_item,
    flag_ids,
    has_terms,
    keep,
    open_items,
    post_marks,
    post_terms,
    set_flags,
    suggested,
    tick,
    wording,
)
from planterm.store import Store

T1 = datetime(2026, 12, 1, 9, 0, tzinfo=UTC)
T2 = datetime(2026, 12, 1, 10, 30, tzinfo=UTC)
KNOWN = wording()
HUMAN = KNOWN.flags.flags["human-remains"].checklist
ORIGIN = KNOWN.flags.flags["collection-origin"].checklist
DRAFT = "Ces objets primitifs ont été découverts en 1931"


def flagged(*ids: str, **fields: object) -> Post:
    return set_flags(Post(title="Crânes", status=Status.REVIEW, **fields),  # type: ignore[arg-type]
                     list(ids), KNOWN.flags)


def test_setting_flags_fills_the_checklist_with_every_item_once_in_order() -> None:
    post = flagged("human-remains", "collection-origin")
    shared = "Wording reviewed by a second person"
    assert list(post.checklist) == list(dict.fromkeys([*HUMAN, *ORIGIN]))
    assert list(post.checklist).count(shared) == 1
    assert not any(post.checklist.values())


def test_ticks_are_kept_for_items_still_there_and_removed_with_their_flag() -> None:
    post = flagged("human-remains", "collection-origin")
    post = tick(post, "Curator consulted", True, "ana", T1)
    post = tick(post, "Provenance research consulted", True, "ana", T1)
    post = tick(post, "Wording reviewed by a second person", True, "ana", T1)
    alone = set_flags(post, ["human-remains"], KNOWN.flags)
    assert list(alone.checklist) == list(HUMAN)  # origin's own items left with it
    assert alone.checklist["Curator consulted"] is True
    # shared with human-remains: kept, and its tick too
    assert alone.checklist["Wording reviewed by a second person"] is True
    assert set_flags(alone, [], KNOWN.flags).checklist == {}
    assert alone.review == post.review  # the log is never rewritten


def test_a_tick_and_an_untick_are_recorded_with_who_and_when() -> None:
    post = flagged("human-remains")
    post = tick(post, "Content note written", True, "ana", T1)
    post = tick(post, "Content note written", False, "bo", T2)
    assert post.checklist["Content note written"] is False
    assert post.review == [ReviewEntry("Content note written", True, "ana", T1),
                           ReviewEntry("Content note written", False, "bo", T2)]
    assert tick(post, "Content note written", False, "bo", T2) is post  # already so
    doc = post.to_doc() | {"uid": "u"}
    assert POST.problem(doc) is None
    assert Post.from_doc(doc).review == post.review
    assert doc["review"][0] == {"item": "Content note written", "done": True, "by": "ana",
                                "at": "2026-12-01T09:00:00Z"}


@pytest.mark.parametrize(("ref", "item"), [
    ("1", HUMAN[0]), ("6", HUMAN[5]), ("curator", "Curator consulted"),
    ("SECOND person", "Wording reviewed by a second person"),
])
def test_an_item_by_number_or_by_a_part_of_its_text(ref: str, item: str) -> None:
    assert find_item(flagged("human-remains"), ref) == item


@pytest.mark.parametrize(("ref", "said"), [
    ("7", "no item 7: the checklist has 6"), ("0", "no item 0"),
    ("the", "items of post"), ("licorne", "no item of post"),
])
def test_an_item_that_is_not_one_is_refused_with_the_list(ref: str, said: str) -> None:
    with pytest.raises(ModelError, match=said):
        find_item(flagged("human-remains"), ref)


def test_no_checklist_no_item() -> None:
    with pytest.raises(ModelError, match="no checklist"):
        find_item(Post(title="x"), "1")


def test_an_unknown_flag_names_the_known_ones() -> None:
    with pytest.raises(ModelError, match="unknown flag 'bones'; known: human-remains"):
        flag_ids(["bones"], KNOWN.flags)
    assert flag_ids([" Human-Remains", "human-remains"], KNOWN.flags) == ["human-remains"]


def test_the_gate_names_every_missing_item_and_opens_once_they_are_ticked() -> None:
    post = flagged("human-remains")
    for item in HUMAN[:4]:
        post = tick(post, item, True, "ana", T1)
    with pytest.raises(ReviewOpen) as refused:
        with_status(post, Status.APPROVED)
    assert refused.value.missing == list(HUMAN[4:])
    assert all(item in str(refused.value) for item in HUMAN[4:])
    assert isinstance(refused.value, TransitionError)
    for item in HUMAN[4:]:
        post = tick(post, item, True, "ana", T2)
    assert with_status(post, Status.APPROVED).status is Status.APPROVED
    assert open_items(post) == []


def test_a_flag_without_checklist_is_refused_too() -> None:
    post = Post(title="x", status=Status.REVIEW, flags=["human-remains"])
    with pytest.raises(ReviewOpen, match="no checklist yet"):
        with_status(post, Status.APPROVED)


def test_a_term_kept_on_purpose_is_no_longer_flagged_in_that_post() -> None:
    post = Post(title="Objets", body=DRAFT)
    assert [f.match.term.key for f in post_terms(post, KNOWN.glossary)] == \
        ["primitif", "decouverte"]
    kept = keep(post, "primitif", "  une  citation ")
    assert kept.kept == {"primitif": "une citation"}
    assert [f.match.text for f in post_terms(kept, KNOWN.glossary)] == ["découverts"]
    assert has_terms(post.to_doc(), KNOWN.glossary)
    assert not has_terms(keep(kept, "decouverte", "").to_doc(), KNOWN.glossary)


def test_terms_in_the_title_and_the_variants_count_too() -> None:
    post = Post(title="Une tribu", variants={"x": "Les momies"})
    assert [(f.field, f.match.text) for f in post_terms(post, KNOWN.glossary)] == \
        [("title", "tribu"), ("x", "momies")]


def test_suggested_flags_are_those_not_set_from_terms_and_keywords() -> None:
    post = Post(title="Crânes", body="Ces crânes ont été découverts en 1931")
    assert suggested(post, KNOWN) == ["human-remains", "collection-origin"]
    assert suggested(set_flags(post, ["human-remains"], KNOWN.flags), KNOWN) == \
        ["collection-origin"]
    assert suggested(keep(post, "decouverte", ""), KNOWN) == ["human-remains"]


def test_marks_say_flagged_open_and_terms_without_colour() -> None:
    assert post_marks(Post(title="x")) == ""
    assert post_marks(Post(title="x", body=DRAFT)) == "‽"
    post = flagged("human-remains")
    assert post_marks(post) == "⚑☐"
    for item in HUMAN:
        post = tick(post, item, True, "ana", T1)
    assert post_marks(post) == "⚑"


@pytest.fixture
def store(tmp_path: Path) -> Store:
    s = Store(tmp_path / "plan.json")
    s.add_post(Post(title="Plain"))
    s.add_post(Post(title="Terms", body=DRAFT))
    s.add_post(flagged("human-remains"))
    done = flagged("collection-origin", body="ils ont été découverts")
    for item in ORIGIN:
        done = tick(done, item, True, "ana", T1)
    s.add_post(keep(done, "decouverte", "le sens propre"))
    return s


@pytest.mark.parametrize(("line", "titles"), [
    ("flag:", ["Crânes", "Crânes"]),
    ("flag:human-remains", ["Crânes"]),
    ("flag:collection-origin,human-remains", ["Crânes", "Crânes"]),
    ("open:", ["Crânes"]),
    ("terms:", ["Terms"]),
    ("terms: open:", []),
    ("flag: terms:", []),
])
def test_the_filter_words(store: Store, line: str, titles: list[str]) -> None:
    query = parse_filter(line, store)
    assert [p.title for p in store.posts(query)] == titles
    # the condition works on raw documents, as the matrix and list --json use it
    test = query.condition()
    assert sum(map(test, store.post_documents().values())) == len(titles)


@pytest.mark.parametrize(("line", "said"), [
    ("flag:bones", "unknown flag 'bones'"), ("terms:x", "terms: takes no value"),
    ("open:yes", "open: takes no value"),
])
def test_bad_filter_words(store: Store, line: str, said: str) -> None:
    with pytest.raises(ModelError, match=said):
        parse_filter(line, store)


def test_a_version_3_store_gains_the_new_fields_and_keeps_its_posts(tmp_path: Path) -> None:
    path = tmp_path / "plan.json"
    post = Post(title="Old", flags=["human-remains"], checklist={"a": True}).to_doc()
    del post["review"], post["kept"]
    post["uid"] = "u"
    path.write_text(json.dumps({"meta": {"1": {"app": "planterm", "schema": 3,
                                               "next_ids": {"posts": 2, "events": 1}}},
                                "posts": {"1": post}}))
    old = Store(path, readonly=True).get_post(1)  # read as it is, untouched
    assert old is not None and old.review == [] and old.kept == {}
    assert "review" not in json.loads(path.read_text())["posts"]["1"]
    store = Store(path)
    assert store.report.migrated_from == 3 and store.report.backup is not None
    store.close()
    doc = json.loads(path.read_text())["posts"]["1"]
    assert (doc["review"], doc["kept"], doc["checklist"]) == ([], {}, {"a": True})
    assert list(doc)[-2:] == ["review", "kept"]  # as to_doc writes it: the file is proven


@pytest.mark.parametrize("bad", [
    [{"item": "a", "done": "yes", "by": "x", "at": "2026-12-01T09:00:00Z"}],
    [{"item": "a", "done": True, "by": "x"}],
    [{"item": "a", "done": True, "by": "x", "at": "demain"}],
    {"a": True},
])
def test_a_bad_review_log_is_refused_naming_the_field(bad: object) -> None:
    good = Post(title="x", uid="u").to_doc()
    assert POST.problem(good | {"review": bad}) is not None
    assert POST.problem(good | {"review": bad})[0] == "review"  # type: ignore[index]
    assert POST.problem(good | {"kept": {"a": 1}})[0] == "kept"  # type: ignore[index]
