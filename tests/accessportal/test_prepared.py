"""accessportal.prepared: a cursor whose statements PostgreSQL prepares once per connection (the
ordinary cursor on SQLite), answering as the ordinary cursor does, logged and with Django's errors."""

from datetime import date, timedelta

import pytest
from django.db import DatabaseError, connection, transaction
from django.test.utils import CaptureQueriesContext

from accessportal.prepared import prepared_cursor, preparing

pytestmark = pytest.mark.django_db

SQL = "SELECT %s + 1, %s"


def answer(value: int, text: str):
    with prepared_cursor() as cursor:
        cursor.execute(SQL, [value, text])
        return cursor.fetchall()


def prepared_statements() -> list[str]:
    """The statements PostgreSQL holds prepared on this connection (none elsewhere)."""
    if connection.vendor != "postgresql":
        return []
    with connection.cursor() as cursor:
        cursor.execute("SELECT statement FROM pg_prepared_statements")
        return [row[0] for row in cursor.fetchall()]


def test_it_answers_as_the_ordinary_cursor_and_is_logged():
    with connection.cursor() as cursor:
        cursor.execute(SQL, [41, "één"])
        expected = cursor.fetchall()
    with CaptureQueriesContext(connection) as queries:
        assert answer(41, "één") == expected == [(42, "één")]
    assert len(queries.captured_queries) == 1
    assert "SELECT" in queries.captured_queries[0]["sql"]


def test_on_postgresql_the_statement_is_prepared_once_and_reused():
    answer(1, "a")
    answer(2, "b")
    held = [statement for statement in prepared_statements() if "+ 1" in statement]
    assert len(held) == (1 if connection.vendor == "postgresql" else 0)


def test_an_error_is_djangos_and_a_rolled_back_savepoint_keeps_the_statements_usable():
    assert answer(1, "a") == [(2, "a")]
    with pytest.raises(DatabaseError), transaction.atomic(), prepared_cursor() as cursor:
        cursor.execute("SELECT * FROM no_such_table WHERE id = %s", [1])
    assert answer(2, "b") == [(3, "b")]  # the statement prepared before the rollback still answers
    assert answer(3, "c") == [(4, "c")]


def test_the_selectors_that_start_every_page_are_prepared(world):
    from subdivisions.permissions import subafdeling_managed_by

    main = world.main
    assert subafdeling_managed_by(main.tb, main.subafdeling.pk) == main.subafdeling
    assert subafdeling_managed_by(main.tb, main.subafdeling.pk) == main.subafdeling
    held = [s for s in prepared_statements() if 'FROM "subdivisions_subafdeling"' in s]
    assert len(held) == (1 if connection.vendor == "postgresql" else 0)


# --- preparing(): the ORM's statements of a block prepared ------------------------------------------


def held_about(table: str) -> list[str]:
    return [statement for statement in prepared_statements() if f'FROM "{table}"' in statement]


def expected(count: int) -> int:
    return count if connection.vendor == "postgresql" else 0


def test_preparing_prepares_the_orm_statements_of_its_block_only(world):
    from enterprises.models import Enterprise

    enterprise = world.main.enterprise
    with preparing():
        assert list(Enterprise.objects.filter(pk=enterprise.pk)) == [enterprise]
        assert list(Enterprise.objects.filter(pk=world.outsider.enterprise.pk)) == [world.outsider.enterprise]
    assert list(Enterprise.objects.filter(name=enterprise.name)) == [enterprise]  # after the block
    held = held_about("enterprises_enterprise")
    assert len(held) == expected(1)  # the one text of the two reads by id; not the read by name
    assert all('"name" =' not in statement for statement in held)


def test_preparing_gives_the_cursor_back_after_an_error(world):
    from enterprises.models import Enterprise

    with pytest.raises(DatabaseError), transaction.atomic(), preparing():
        list(Enterprise.objects.extra(where=["no_such_column = 1"]))
    assert list(Enterprise.objects.filter(kbo=world.main.enterprise.kbo)) == [world.main.enterprise]
    assert held_about("enterprises_enterprise") == []


def test_the_checks_of_a_new_role_are_prepared(world, catalogue):
    from roles.services import role_assign

    main = world.main
    for start in (date(2026, 3, 2), date(2027, 3, 2)):
        role_assign(
            actor=main.sb,
            user=main.user,
            role=catalogue["roles"]["Moduleerder"],
            start_date=start,
            end_date=start + timedelta(days=30),
        )
    assert len(held_about("users_applicationright")) == expected(1)  # the checks' one text


def test_the_role_editor_and_the_subafdelingen_list_read_their_rows_prepared(client, world):
    main = world.main
    client.force_login(main.tb)
    url = f"/toegangsbeheer/subafdelingen/{main.subafdeling.pk}/functies/{main.user.pk}/bewerken/"
    assert client.get(url).status_code == 200
    assert len(held_about("roles_roleassignment")) == expected(1)
    assert client.get(f"/toegangsbeheer/hoedanigheden/{main.activation.pk}/subafdelingen/").status_code == 200
    # the page's ids with their count, its rows; the subdivisies of "Een subafdeling toevoegen"
    assert len(held_about("subdivisions_subafdeling")) == expected(2)
    assert len(held_about("enterprises_subdivisiontype")) == expected(1)
