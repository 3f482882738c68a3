"""lagebild_core's own rules: the periods time values name, the role-office knowledge the
registry shares with the actor step, the queue app that both sides build."""
import datetime as dt

import pytest

from lagebild_core import dates, people
from lagebild_core.queue import create_celery, send_task
from lagebild_core.settings import Settings

D = dt.date


@pytest.mark.parametrize("value, granularity, first, last", [
    ("2024-10-15", "day", D(2024, 10, 15), D(2024, 10, 15)),
    ("2024-W01", "week", D(2024, 1, 1), D(2024, 1, 7)),
    ("2020-W53", "week", D(2020, 12, 28), D(2021, 1, 3)),
    ("2024-02", "month", D(2024, 2, 1), D(2024, 2, 29)),
    ("2023-WI", "season", D(2023, 12, 1), D(2024, 2, 29)),
    ("2024-SU", "season", D(2024, 6, 1), D(2024, 8, 31)),
    ("2024", "year", D(2024, 1, 1), D(2024, 12, 31)),
])
def test_bounds_of_a_time_value(value, granularity, first, last):
    assert dates.bounds({"text": "…", "value": value, "granularity": granularity}) == (first, last)


@pytest.mark.parametrize("time", [None, {}, {"value": None, "granularity": None},
                                  {"value": "2024-13", "granularity": "month"},
                                  {"value": "2024-XX", "granularity": "season"},
                                  {"value": "2024-10", "granularity": "day"}])
def test_bounds_of_no_or_a_broken_value_is_none(time):
    assert dates.bounds(time) is None


def test_offices_read_from_the_synonym_table():
    assert people.same_office("verteidigungschef", "verteidigungsminister")  # office and synonym
    assert people.same_office("außenamtschef", "chefdiplomat")  # two synonyms of one office
    assert people.same_office("bundeskanzler", "kanzler")  # a compound of the other
    assert not people.same_office("außenminister", "präsident")
    assert people.role_of("Verteidigungsministers") == ("verteidigungsminister", "minister", "function")
    assert "Zhang" in people.east_asian_surnames() and "zhang" not in people.east_asian_surnames()


def test_the_queue_app_has_no_side_effects_until_it_sends(tmp_path):
    settings = Settings(data_dir=str(tmp_path))
    app = create_celery(settings)
    assert app.conf.lagebild_settings is settings and not (tmp_path / "queue").exists()
    send_task(app, "lagebild.extract", ["job-1"])
    messages = list((tmp_path / "queue" / "messages").iterdir())
    assert len(messages) == 1 and messages[0].name.endswith(".lagebild.msg")
