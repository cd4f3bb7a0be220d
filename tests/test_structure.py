"""Objectives and themes in the store and the edits: add, change, archive, delete, merge,
unmerge, each one transaction; unknown and archived keys refused with what to do."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from planterm.edits import (
    check_category,
    parse_quick_add,
    resolve_categories,
    set_category_field,
    set_field,
)
from planterm.model import Category, ModelError, Post, utcnow
from planterm.store import CategoryInUse, ChangedElsewhere, Store

PARIS = ZoneInfo("Europe/Paris")


@pytest.fixture
def store(tmp_path: Path) -> Store:
    s = Store(tmp_path / "plan.json")
    s.add_theme(Category("prehistoire", "Préhistoire", target_share=20.0))
    s.add_theme(Category("expo", "Exposition"))
    s.add_objective(Category("visites", "Faire venir"))
    return s


def on_disk(store: Store) -> dict[str, bytes]:
    """Every file of the store (main, journal) and its bytes: what a refusal leaves alone."""
    return {p.name: p.read_bytes() for p in store.path.parent.iterdir()
            if p.is_file() and not p.name.endswith(".lock")}


def other(store: Store) -> Store:
    """A second planterm on the same file (another SSH session)."""
    return Store(store.path)


def test_unknown_keys_say_which_exist_and_how_to_add_one(tmp_path: Path) -> None:
    empty = Store(tmp_path / "empty.json")
    with pytest.raises(ModelError) as e:
        empty.add_post(Post(title="x", objectives=["visites"]))
    assert str(e.value) == ("objectives: unknown objective 'visites': there are no objectives "
                            "yet; add one with: planterm objective add visites NAME")
    empty.add_theme(Category("ancien", "Ancien", archived=True))
    empty.add_theme(Category("expo", "Expo"))
    with pytest.raises(ModelError, match=r"unknown theme 'Mauvaise clé'; known: expo "
                                         r"\(archived: ancien\); add one with: planterm theme "
                                         r"add KEY NAME"):
        resolve_categories(["Mauvaise clé"], empty.themes(), "themes")


def test_a_key_is_added_once(store: Store) -> None:
    before = on_disk(store)
    with pytest.raises(ModelError, match="theme 'expo' exists already"):
        store.add_theme(Category("expo", "Autre"))
    with pytest.raises(ModelError, match="key"):
        store.add_theme(Category("Expo 2", "Autre"))
    assert on_disk(store) == before
    assert [c.key for c in store.themes()] == ["prehistoire", "expo"]


def test_names_and_keys_never_read_as_anothers(store: Store) -> None:
    known = store.themes()
    with pytest.raises(ModelError, match="'PRÉHISTOIRE' already names theme 'prehistoire'"):
        check_category("themes", Category("prehisto", "PRÉHISTOIRE"), known)
    with pytest.raises(ModelError, match="key"):
        check_category("themes", Category("exposition", "Autre"), known)
    check_category("themes", replace(known[0], name="Préhistoire ancienne"), known)


@pytest.mark.parametrize(
    ("field", "value", "expected"),
    [("name", " Nouvelle ", {"name": "Nouvelle"}),
     ("colour", "1f77b4", {"colour": "#1f77b4"}),
     ("target_share", "12,5%", {"target_share": 12.5, "target_per_month": None}),
     ("target_per_month", "8", {"target_per_month": 8, "target_share": None}),
     ("target_share", "", {"target_share": None})],
)
def test_fields_set_from_text(field: str, value: str, expected: dict[str, object]) -> None:
    cat = Category("visites", "Faire venir", target_share=25.0, target_per_month=None)
    changed = set_category_field(cat, field, value).to_doc()
    assert {k: changed[k] for k in expected} == expected


@pytest.mark.parametrize(
    ("field", "value", "said"),
    [("name", " ", "name: must not be empty"), ("colour", "red", "colour"),
     ("target_share", "101", "percentage"), ("target_share", "beaucoup", "not a number"),
     ("target_per_month", "2.5", "not a whole number"), ("target_per_month", "-1", "count"),
     ("key", "autre", "unknown field")],
)
def test_bad_field_values_name_the_field(field: str, value: str, said: str) -> None:
    with pytest.raises(ModelError, match=said):
        set_category_field(Category("visites", "V"), field, value)


def test_an_update_is_compare_and_set_and_its_inverse_undoes_it(store: Store) -> None:
    expo = store.category("themes", "expo")
    assert expo is not None
    archived = replace(expo, archived=True)
    store.update_category("themes", expo, archived)
    assert store.category("themes", "expo") == archived
    with pytest.raises(ChangedElsewhere):
        other(store).update_category("themes", expo, replace(expo, name="Perdu"))
    store.update_category("themes", archived, expo)  # the undo
    assert store.category("themes", "expo") == expo


def test_archived_keys_are_refused_for_new_posts_only(store: Store) -> None:
    now = utcnow()
    post = store.add_post(Post(title="Ancien", themes=["expo"]))
    expo = store.category("themes", "expo")
    assert expo is not None
    store.update_category("themes", expo, replace(expo, archived=True))
    with pytest.raises(ModelError, match="theme 'expo' is archived; to use it again: "
                                         "planterm theme unarchive expo"):
        parse_quick_add("+expo Nouveau", store, now=now, tz=PARIS, default_channels=())
    with pytest.raises(ModelError, match="archived"):
        set_field(store, Post(title="neuf"), "themes", "expo", now=now, tz=PARIS)
    # a post that has it keeps it through an edit; filters still find its history
    kept = set_field(store, post, "themes", "expo, prehistoire", now=now, tz=PARIS)
    assert kept.themes == ["expo", "prehistoire"]
    assert resolve_categories(["Exposition"], store.themes(), "themes") == ["expo"]


def test_delete_only_what_no_post_uses(store: Store) -> None:
    store.add_post(Post(title="p", themes=["expo"]))
    expo = store.category("themes", "expo")
    assert expo is not None
    before = on_disk(store)
    with pytest.raises(CategoryInUse) as e:
        store.delete_category("themes", expo)
    assert (e.value.count, str(e.value)) == (1, "themes: theme 'expo' is used by 1 post")
    assert on_disk(store) == before
    prehistoire = store.category("themes", "prehistoire")
    assert prehistoire is not None
    with pytest.raises(ChangedElsewhere):
        store.delete_category("themes", replace(prehistoire, name="lu autrement"))
    store.delete_category("themes", prehistoire)
    assert store.category("themes", "prehistoire") is None
    store.add_category("themes", prehistoire)  # the undo
    assert other(store).category("themes", "prehistoire") == prehistoire


def test_merge_moves_every_post_in_one_write_and_unmerge_undoes_it(store: Store) -> None:
    both, only, untouched = store.add_posts([
        Post(title="both", themes=["expo", "prehistoire"]),
        Post(title="only", themes=["expo"], objectives=["visites"]),
        Post(title="untouched", themes=["prehistoire"])])
    records = len(store.storage.path.with_name("plan.json.journal").read_bytes().splitlines())
    merge = store.merge_categories("themes", "expo", "prehistoire")
    journal = store.storage.path.with_name("plan.json.journal").read_bytes().splitlines()
    assert len(journal) == records + 1  # one transaction, one record
    assert [after.id for _, after in merge.posts] == [both.id, only.id]
    seen = other(store)
    assert seen.category("themes", "expo") is None
    assert [seen.get_post(p.id).themes for p in (both, only, untouched)] == [
        ["prehistoire"], ["prehistoire"], ["prehistoire"]]
    seen.close()
    store.unmerge(merge)
    again = other(store)
    assert again.category("themes", "expo") == merge.source
    assert again.get_post(both.id) == both and again.get_post(only.id) == only


def test_an_unmerge_after_a_change_elsewhere_writes_nothing(store: Store) -> None:
    (post,) = store.add_posts([Post(title="p", themes=["expo"])])
    merge = store.merge_categories("themes", "expo", "prehistoire")
    theirs = other(store)
    moved = theirs.get_post(post.id)
    assert moved is not None
    theirs.replace_post(moved, replace(moved, title="changé ailleurs"))
    before = on_disk(store)
    with pytest.raises(ChangedElsewhere, match=r"post 1 was changed elsewhere \(title"):
        store.unmerge(merge)
    assert on_disk(store) == before
    assert store.category("themes", "expo") is None


def test_merge_refuses_itself_and_unknown_keys(store: Store) -> None:
    before = on_disk(store)
    with pytest.raises(ModelError, match="into itself"):
        store.merge_categories("themes", "expo", "expo")
    with pytest.raises(ModelError, match="unknown theme 'nulle'"):
        store.merge_categories("themes", "expo", "nulle")
    assert on_disk(store) == before


def test_usage_counts_posts_per_key(store: Store) -> None:
    store.add_posts([Post(title="a", themes=["expo"]),
                     Post(title="b", themes=["expo", "prehistoire"])])
    assert store.usage("themes") == {"expo": 2, "prehistoire": 1}
    assert store.usage("objectives") == {}
