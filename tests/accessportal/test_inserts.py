"""accessportal.inserts: new rows of several models in one statement on PostgreSQL (bulk_create per
model elsewhere), written as bulk_create writes them."""

from datetime import UTC, datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from accessportal.inserts import instances_insert
from accessportal.models import AuditEvent
from history.models import EventScope, Period, PeriodKind

pytestmark = pytest.mark.django_db

ON_POSTGRESQL = connection.vendor == "postgresql"
STARTED = datetime(2026, 3, 2, 9, 30, tzinfo=UTC)


def periods(person, n: int) -> list[Period]:
    return [
        Period(
            kind=PeriodKind.ROLE,
            object_id=900 + index,
            enterprise_kbo="0123456749",
            user_id=index,
            person=person,
            application_code="e-loket-departement-zorg",
            data={"role": "BelRAI VL - admin", "start_date": "2026-03-02", "n": index},
            started_at=STARTED,
        )
        for index in range(n)
    ]


def scopes(event, n: int) -> list[EventScope]:
    return [EventScope(event=event, activation_id=7, subafdeling_id=index) for index in range(n)]


def written(model, **where) -> list[dict]:
    return list(model.objects.filter(**where).order_by("pk").values(*_columns(model)))


def _columns(model) -> list[str]:
    return [field.attname for field in model._meta.concrete_fields if not field.primary_key]


@pytest.fixture
def event():
    return AuditEvent.objects.create(action="test.insert")


def test_two_models_rows_in_one_statement_as_bulk_create_writes_them(world, event):
    person = world.main.sb
    with CaptureQueriesContext(connection) as queries:
        instances_insert(periods(person, 3), scopes(event, 2))
    sql = [query["sql"] for query in queries.captured_queries]
    if ON_POSTGRESQL:
        assert len(sql) == 1 and sql[0].startswith("WITH "), sql
    else:
        assert len(sql) == 2, sql
    inserted = written(Period, object_id__gte=900), written(EventScope, event=event)
    Period.objects.all().delete()
    EventScope.objects.all().delete()
    Period.objects.bulk_create(periods(person, 3))
    EventScope.objects.bulk_create(scopes(event, 2))
    assert inserted == (written(Period, object_id__gte=900), written(EventScope, event=event))
    assert len(inserted[0]) == 3 and len(inserted[1]) == 2


def test_one_list_is_one_plain_insert_and_empty_lists_none(event):
    with CaptureQueriesContext(connection) as queries:
        instances_insert([], scopes(event, 2), [])
    (query,) = queries.captured_queries
    assert query["sql"].startswith('INSERT INTO "history_eventscope"')
    assert EventScope.objects.filter(event=event).count() == 2
    with CaptureQueriesContext(connection) as queries:
        instances_insert([], [])
    assert len(queries) == 0


def test_the_instances_get_no_primary_key_on_postgresql(event):
    rows = scopes(event, 2)
    instances_insert(rows)
    assert all(row.pk is None for row in rows) == ON_POSTGRESQL
