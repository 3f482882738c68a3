"""Stories: the same-happening rule (lagebild_core.story_rule) and the grouping the event index
keeps current (lagebild_core.stories) when articles arrive, are re-run or are deleted.

The database tests index hand-made extraction documents straight into a migrated SQLite
database (no pipeline): each event names its participants by global id.
"""
from __future__ import annotations

import datetime as dt
import itertools
import shutil
import sqlite3

import pytest
from sqlalchemy import delete, select, update

from lagebild_core import domain, stories, story_rule
from lagebild_core.events import index_events
from lagebild_core.store import Database
from lagebild_core.store.events import EventRecord
from lagebild_core.store.models import Article
from lagebild_core.store.stories import Story
from lagebild_core.story_rule import Report

D = dt.date
BELOUSOV, ZHANG, DONG = "person:andrey-belousov", "person:zhang-youxia", "person:dong-jun"
PEKING, MOSKAU = "location:peking", "location:moskau"
OCT_16 = D(2024, 10, 16)


def report(key, article, *, actors=(BELOUSOV, ZHANG), type_="CONSULT", place=PEKING, day=None, published=OCT_16,
           event="E1", start=None, end=None):
    if day is not None:
        start = end = day
    return Report(key=key, article_id=article, event_id=event, published_at=published, type=type_,
                  actors=frozenset(actors), place=place, time_start=start, time_end=end)


# --- the rule -----------------------------------------------------------------------------

def test_same_happening_in_other_words_is_compatible():
    seed = report(1, "a", actors=(BELOUSOV,), day=None)                     # undated, published 16th
    agency = report(2, "b", day=D(2024, 10, 15))
    next_day = report(3, "c", actors=(BELOUSOV,), place=None, day=D(2024, 10, 15), published=D(2024, 10, 17))
    assert story_rule.compatible(seed, agency) and story_rule.compatible(agency, next_day)
    assert story_rule.compatible(seed, next_day)
    assert [len(s) for s in story_rule.partition([next_day, seed, agency])] == [3]


@pytest.mark.parametrize("other, why", [
    (report(2, "b", day=D(2024, 10, 14)), "another day"),
    (report(2, "b", day=D(2024, 10, 15), place=MOSKAU), "another place"),
    (report(2, "b", day=D(2024, 10, 15), type_="COOPERATE"), "another type"),
    (report(2, "b", day=D(2024, 10, 15), actors=(BELOUSOV, DONG)), "other participants"),
    (report(2, "b", day=D(2024, 10, 15), actors=()), "no participants"),
    (report(2, "a", day=D(2024, 10, 15), event="E2"), "the same article"),
    (report(2, "b", start=D(2024, 1, 1), end=D(2024, 12, 31)), "a year is too vague"),
    (report(2, "b", day=None, published=D(2024, 10, 30)), "undated, published two weeks later"),
    (report(2, "b", day=None, published=None), "neither time nor publication date"),
])
def test_different_happenings_are_not_compatible(other, why):
    meeting = report(1, "a", day=D(2024, 10, 15))
    assert not story_rule.compatible(meeting, other), why
    assert len(story_rule.partition([meeting, other])) == 2


def test_a_place_agrees_with_the_state_it_lies_in():
    in_peking = Report(key=1, article_id="a", event_id="E1", published_at=OCT_16, type="CONSULT",
                       actors=frozenset({BELOUSOV}), place=PEKING, place_country="CHN", time_start=D(2024, 10, 15),
                       time_end=D(2024, 10, 15))
    in_china = report(2, "b", actors=(BELOUSOV,), place="state:CHN", day=D(2024, 10, 15))
    in_russia = report(3, "c", actors=(BELOUSOV,), place="state:RUS", day=D(2024, 10, 15))
    assert story_rule.compatible(in_peking, in_china) and story_rule.compatible(in_china, in_peking)
    assert not story_rule.compatible(in_peking, in_russia)


def test_no_chaining_through_a_report_that_agrees_with_two_happenings():
    vague = report(1, "a", actors=(BELOUSOV,), place=None, day=None)       # "Belousov met someone this week"
    zhang = report(2, "b", day=D(2024, 10, 15))
    dong = report(3, "c", actors=(BELOUSOV, DONG), place=None, day=D(2024, 10, 15))
    assert story_rule.compatible(vague, zhang) and story_rule.compatible(vague, dong)
    groups = story_rule.partition([vague, zhang, dong])
    # as alike to both: the tie goes by canonical order (article "b" before "c"); never all three
    assert sorted(sorted(r.key for r in g) for g in groups) == [[1, 2], [3]]


def test_partition_and_ids_do_not_depend_on_the_order_of_the_reports():
    reports = [report(1, "a", actors=(BELOUSOV,), day=None), report(2, "b", day=D(2024, 10, 15)),
               report(3, "c", actors=(BELOUSOV, DONG), place=None, day=D(2024, 10, 14)),
               report(4, "d", actors=(BELOUSOV,), day=D(2024, 10, 15), published=D(2024, 10, 17)),
               report(5, "e", actors=(BELOUSOV, DONG), place=None, day=None, published=D(2024, 10, 15))]
    results = set()
    for permutation in itertools.permutations(reports):
        groups = story_rule.partition(list(permutation))
        results.add(frozenset((story_rule.story_id("t", g), frozenset(r.key for r in g)) for g in groups))
    assert len(results) == 1


# --- the index keeps them current -----------------------------------------------------------

@pytest.fixture(scope="module")
def migrated(tmp_path_factory):
    path = tmp_path_factory.mktemp("stories") / "template.sqlite3"
    database = Database(f"sqlite:///{path}")
    database.upgrade()
    database.engine.dispose()
    return path


def _fresh(migrated, folder) -> Database:
    shutil.copyfile(migrated, folder / "stories.sqlite3")
    return Database(f"sqlite:///{folder / 'stories.sqlite3'}")


@pytest.fixture
def db(migrated, tmp_path):
    database = _fresh(migrated, tmp_path)
    yield database
    database.engine.dispose()


def _event(number, *, actors=(BELOUSOV, ZHANG), place=PEKING, day=None, type_="CONSULT", mode="meet"):
    span = {"text": f"Satz {number}.", "start": 0, "end": 8}
    return {"id": f"E{number}", "type": type_, "mode": mode, "trigger": span, "evidence": span, "mentions": [span],
            "source": [f"{number}-{i}" for i in range(len(actors))][:1],
            "target": [f"{number}-{i}" for i in range(len(actors))][1:],
            "location": {"text": "Peking", "actor": f"{number}-p"} if place else None,
            "time": {"text": "am Dienstag", "value": day, "granularity": "day"} if day else None,
            "modality": "asserted", "confidence": 0.8, "_actors": actors, "_place": place}


def _document(published, events):
    actors = []
    for event in events:
        for i, global_id in enumerate(event.pop("_actors")):
            actors.append({"id": f"{event['id'][1:]}-{i}", "global_id": global_id, "name": global_id.split(":")[1]})
        place = event.pop("_place")
        if place:
            actors.append({"id": f"{event['id'][1:]}-p", "global_id": place, "name": place.split(":")[1]})
    return {"published_at": published, "actors": actors, "events": events}


def _index(db, article_id, published, events, tenant="t", version=1):
    with db.transaction() as session:
        if session.scalar(select(Article).where(Article.id == article_id)) is None:
            session.add(Article(id=article_id, tenant=tenant, text="…", text_sha256="0", status="succeeded",
                                published_at=D.fromisoformat(published)))
            session.flush()
        index_events(session, tenant, article_id, version, _document(published, events))


def _groups(db, tenant="t"):
    """{story id: sorted (article, event id)} and the story rows, by id."""
    with db.transaction() as session:
        found = {}
        for record in session.scalars(select(EventRecord).where(EventRecord.tenant == tenant)):
            found.setdefault(record.story_id, []).append((record.article_id, record.event_id))
        rows = {s.id: s for s in session.scalars(select(Story).where(Story.tenant == tenant))}
    assert set(rows) == set(found), "a story row for every story named by events, and no other"
    return {k: sorted(v) for k, v in found.items()}, rows


ARTICLES = {
    "seed": ("2024-10-16", lambda: [_event(1, actors=(BELOUSOV,)), _event(2, actors=(BELOUSOV, DONG), place=None,
                                                                         day="2024-10-14")]),
    "agency": ("2024-10-16", lambda: [_event(1, actors=(BELOUSOV,), day="2024-10-15")]),
    "nextday": ("2024-10-17", lambda: [_event(1, actors=(BELOUSOV, ZHANG), day="2024-10-15")]),
    "moscow": ("2024-10-17", lambda: [_event(1, actors=(BELOUSOV, ZHANG), place=MOSKAU, day="2024-10-15")]),
    "april": ("2024-04-20", lambda: [_event(1, actors=(BELOUSOV, ZHANG), day="2024-04-18")]),
}


def _index_named(db, name, tenant="t"):
    published, events = ARTICLES[name]
    _index(db, name, published, events(), tenant=tenant)


def _meeting(groups):
    return next(members for members in groups.values() if ("agency", "E1") in members)


def test_one_happening_reported_three_times_is_one_story(db):
    for name in ("seed", "agency", "nextday"):
        _index_named(db, name)
    groups, rows = _groups(db)
    assert _meeting(groups) == [("agency", "E1"), ("nextday", "E1"), ("seed", "E1")]
    story = rows[next(k for k, v in groups.items() if ("agency", "E1") in v)]
    assert (story.report_count, story.article_count, story.type, story.mode) == (3, 3, "CONSULT", "meet")
    assert (story.time_value, story.time_start, story.first_report, story.last_report) == \
        ("2024-10-15", D(2024, 10, 15), D(2024, 10, 16), D(2024, 10, 17))
    assert story.place_id == PEKING and [p["global_id"] for p in story.participants] == [BELOUSOV, ZHANG]
    assert [("seed", "E2")] in groups.values()  # the day before, with Dong Jun: a story of its own


def test_another_day_or_another_place_is_another_story(db):
    for name in ("agency", "moscow", "april"):
        _index_named(db, name)
    groups, _ = _groups(db)
    assert sorted(groups.values()) == [[("agency", "E1")], [("april", "E1")], [("moscow", "E1")]]


@pytest.mark.parametrize("order", list(itertools.permutations(["seed", "agency", "nextday", "moscow"])))
def test_the_order_of_arrival_does_not_change_the_stories(migrated, tmp_path, order):
    database = _fresh(migrated, tmp_path)
    for name in order:
        _index_named(database, name)
    groups, _ = _groups(database)
    database.engine.dispose()
    expected_ids = {story_rule.story_id("t", [report(0, "agency", event="E1")]),
                    story_rule.story_id("t", [report(0, "seed", event="E2")]),
                    story_rule.story_id("t", [report(0, "moscow", event="E1", published=D(2024, 10, 17))])}
    assert set(groups) == expected_ids
    assert sorted(groups.values()) == [[("agency", "E1"), ("nextday", "E1"), ("seed", "E1")],
                                       [("moscow", "E1")], [("seed", "E2")]]


def _summaries(rows):
    return {story: (row.report_count, row.article_count, row.time_value, row.first_report, row.last_report,
                    [p["global_id"] for p in row.participants]) for story, row in rows.items()}


@pytest.mark.parametrize("batch", [["seed", "nextday", "moscow", "april"], ["nextday", "april"]])
def test_a_batch_regrouped_once_makes_the_stories_of_one_regroup_per_article(migrated, tmp_path, batch):
    """A worker stores a batch of articles in one transaction and regroups once (stories.regroup_all):
    the stories and their rows must be those that indexing the articles one by one makes, also
    when the batch adds to stories that exist already."""
    (tmp_path / "a").mkdir(), (tmp_path / "b").mkdir()
    one_by_one, together = _fresh(migrated, tmp_path / "a"), _fresh(migrated, tmp_path / "b")
    for database in (one_by_one, together):
        _index_named(database, "agency")  # already stored before the batch
    for name in batch:
        _index_named(one_by_one, name)
    with together.transaction() as session:
        changes = []
        for name in batch:
            published, events = ARTICLES[name]
            session.add(Article(id=name, tenant="t", text="…", text_sha256="0", status="succeeded",
                                published_at=D.fromisoformat(published)))
            session.flush()
            changes.append(index_events(session, "t", name, 1, _document(published, events()), regroup=False))
        # the new rows are written by the regroup, with their stories (not inserted first and updated)
        assert session.scalar(select(EventRecord.seq).where(EventRecord.article_id == batch[0])) is None
        stories.regroup_all(session, "t", changes)
    (expected, expected_rows), (found, found_rows) = _groups(one_by_one), _groups(together)
    assert found == expected and _summaries(found_rows) == _summaries(expected_rows)
    assert len(found) < sum(len(ARTICLES[name][1]()) for name in {"agency", *batch})  # some grouping happened
    for database in (one_by_one, together):
        database.engine.dispose()


def _rows(db, tenant="t"):
    """{story id: every column of its row but seq and updated_at}."""
    columns = [c for c in Story.__table__.c.keys() if c not in ("seq", "updated_at")]
    with db.transaction() as session:
        return {row.id: {c: getattr(row, c) for c in columns}
                for row in session.scalars(select(Story).where(Story.tenant == tenant))}


def _from_scratch(db, folder):
    """The story rows of a copy of `db` whose events are all grouped at once (group_unassigned)."""
    copy = folder / "scratch.sqlite3"
    copy.unlink(missing_ok=True)
    with sqlite3.connect(db.engine.url.database) as source, sqlite3.connect(copy) as target:
        source.backup(target)
    scratch = Database(f"sqlite:///{copy}")
    with scratch.transaction() as session:
        session.execute(update(EventRecord).values(story_id=None))
        session.execute(delete(Story))
    with scratch.transaction() as session:
        stories.group_unassigned(session)
    rows = _rows(scratch)
    scratch.engine.dispose()
    return rows


@pytest.mark.parametrize("lookups_per_statement", [1, 50])
def test_stories_kept_current_equal_the_stories_grouped_from_scratch(db, tmp_path, monkeypatch,
                                                                     lookups_per_statement):
    """After each of a sequence of arrivals, reruns and deletions (every regroup rewriting only its
    neighbourhood) the story rows are those that grouping all remaining events at once gives, also
    when the neighbourhood's candidate lookups (several types and windows) share one statement."""
    monkeypatch.setattr(stories, "LOOKUPS_PER_STATEMENT", lookups_per_statement)
    steps = [lambda name=name: _index_named(db, name) for name in ("seed", "agency", "nextday", "moscow", "april")]
    steps.append(lambda: _index(db, "mixed", "2024-10-17", [
        _event(1, actors=(BELOUSOV,), day="2024-10-15"),
        _event(2, actors=(BELOUSOV, DONG), place=None, type_="FIGHT", day="2024-04-18"),
        _event(3, actors=(ZHANG,), type_="FIGHT", mode="clash", day="2024-10-15")]))
    steps.append(lambda: _index(db, "late", "2024-10-18", [  # candidates of two types in one step
        _event(1, actors=(ZHANG, DONG), type_="FIGHT", mode="raid", day="2024-10-15"),
        _event(2, actors=(BELOUSOV,), day="2024-10-15"), _event(3, actors=(BELOUSOV, DONG), place=None, type_="FIGHT")]))
    steps.append(lambda: _index(db, "nextday", "2024-10-17", [_event(1, actors=(BELOUSOV, ZHANG), day="2024-10-16")],
                                version=2))
    for step in steps:
        step()
        kept = _rows(db)
        assert kept == _from_scratch(db, tmp_path)
    with db.transaction() as session:
        domain.delete_article(session, "agency", tenant="t")
    assert _rows(db) == _from_scratch(db, tmp_path)
    assert len(kept) >= 5 and any(row["report_count"] > 2 for row in kept.values())


def test_a_rerun_that_changes_the_event_moves_it_out_of_the_story(db):
    for name in ("seed", "agency", "nextday"):
        _index_named(db, name)
    _index(db, "nextday", "2024-10-17", [_event(1, actors=(BELOUSOV, ZHANG), day="2024-10-16")], version=2)
    groups, rows = _groups(db)
    assert _meeting(groups) == [("agency", "E1"), ("seed", "E1")]
    assert [("nextday", "E1")] in groups.values()
    assert rows[next(k for k, v in groups.items() if ("agency", "E1") in v)].report_count == 2
    _index(db, "nextday", "2024-10-17", ARTICLES["nextday"][1](), version=3)  # and back again
    groups, _ = _groups(db)
    assert _meeting(groups) == [("agency", "E1"), ("nextday", "E1"), ("seed", "E1")]


def test_a_deleted_article_leaves_its_stories(db):
    for name in ("seed", "agency", "nextday"):
        _index_named(db, name)
    before, _ = _groups(db)
    meeting = next(k for k, v in before.items() if ("agency", "E1") in v)
    with db.transaction() as session:
        domain.delete_article(session, "nextday", tenant="t")
    groups, rows = _groups(db)
    assert groups[meeting] == [("agency", "E1"), ("seed", "E1")] and rows[meeting].report_count == 2
    assert rows[meeting].last_report == D(2024, 10, 16)
    with db.transaction() as session:  # the first report goes: the story gets the id of the next
        domain.delete_article(session, "agency", tenant="t")
    groups, rows = _groups(db)
    assert meeting not in groups and [("seed", "E1")] in groups.values()
    with db.transaction() as session:
        domain.delete_article(session, "seed", tenant="t")
    assert _groups(db) == ({}, {})


def test_a_deleted_bridge_lets_the_rest_regroup(db):
    """Removing the report that made two others incompatible siblings regroups its neighbours
    (not only its own story): the undated Belousov report joins the meeting once the Dong Jun
    report it was grouped with is gone."""
    _index(db, "vague", "2024-10-16", [_event(1, actors=(BELOUSOV,), place=None)])
    _index(db, "dong", "2024-10-16", [_event(1, actors=(BELOUSOV, DONG), place=None, day="2024-10-15")])
    _index(db, "zhang", "2024-10-16", [_event(1, actors=(BELOUSOV, ZHANG), place=None, day="2024-10-14")])
    groups, _ = _groups(db)
    assert len(groups) == 2
    together = next(v for v in groups.values() if len(v) == 2)
    with db.transaction() as session:
        domain.delete_article(session, next(a for a, _ in together if a != "vague"), tenant="t")
    groups, _ = _groups(db)
    assert len(groups) == 1 and len(next(iter(groups.values()))) == 2


def test_tenants_have_their_own_stories(db):
    _index_named(db, "agency")
    _index(db, "nextday-b", "2024-10-17", ARTICLES["nextday"][1](), tenant="other")
    assert list(_groups(db)[0].values()) == [[("agency", "E1")]]
    assert list(_groups(db, "other")[0].values()) == [[("nextday-b", "E1")]]


def test_events_indexed_before_stories_get_them_once(db):
    _index_named(db, "agency")
    _index_named(db, "nextday")
    with db.transaction() as session:
        for record in session.scalars(select(EventRecord)):
            record.story_id = None
        session.query(Story).delete()
    with db.transaction() as session:
        assert stories.group_unassigned(session) == 2
    with db.transaction() as session:
        assert stories.group_unassigned(session) == 0
    assert list(_groups(db)[0].values()) == [[("agency", "E1"), ("nextday", "E1")]]


def test_migration_0007_gives_indexed_events_windows_and_then_stories(tmp_path):
    """Events indexed before 0007 get their windows in the migration and their stories from
    group_unassigned (which every `lagebild` command runs after upgrading); downgrade works."""
    from alembic import command
    from sqlalchemy import text

    from lagebild_core.store.db import alembic_config

    url = f"sqlite:///{tmp_path / 'old.sqlite3'}"
    config = alembic_config(url)
    command.upgrade(config, "0004")
    database = Database(url)
    with database.engine.begin() as connection:
        for number, (published, day) in enumerate([("2024-10-16", "2024-10-15"), ("2024-10-17", None)]):
            connection.execute(text(
                "INSERT INTO articles (id, tenant, text, text_sha256, status, language, metadata, created_at,"
                " updated_at, published_at) VALUES (:id, 't', '-', '-', 'succeeded', 'de', '{}', :now, :now, :day)"),
                {"id": f"old{number}", "now": "2024-10-17 00:00:00", "day": published})
            seq = connection.execute(text(
                "INSERT INTO events (article_id, tenant, version, event_id, type, modality, time_start, time_end,"
                " published_at, event) VALUES (:id, 't', 1, 'E1', 'CONSULT', 'asserted', :day, :day, :published,"
                " '{}') RETURNING seq"), {"id": f"old{number}", "day": day, "published": published}).scalar()
            connection.execute(text("INSERT INTO event_participants (event_seq, role, actor_id, global_id)"
                                    " VALUES (:seq, 'source', 'A1', :who)"), {"seq": seq, "who": BELOUSOV})
    command.upgrade(config, "head")
    with database.transaction() as session:
        windows = sorted((r.window_start, r.window_end) for r in session.scalars(select(EventRecord)))
        assert windows == [(D(2024, 10, 10), D(2024, 10, 17)), (D(2024, 10, 15), D(2024, 10, 15))]
        assert stories.group_unassigned(session) == 2
    assert list(_groups(database)[0].values()) == [[("old0", "E1"), ("old1", "E1")]]
    database.engine.dispose()
    command.downgrade(config, "0004")

