"""A subafdeling's number of users, kept by the database's triggers (users.totals): exact after every
way a user is written or removed, and what the whole users list pages by, without a COUNT."""

import pytest
from django.core.paginator import Paginator
from django.db import connection
from django.db.models import Count
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accessportal.rows import PARAMETER, PagedIds, statement_of
from subdivisions.models import Subafdeling
from tests.factories import PersonFactory, SubafdelingUserFactory
from users import selectors, services
from users.models import SubafdelingUser, SubafdelingUserTotal

pytestmark = pytest.mark.django_db


def counted() -> dict[int, int]:
    """Every subafdeling's users, counted."""
    rows = SubafdelingUser.objects.values("subafdeling").annotate(n=Count("pk")).order_by()
    return {row["subafdeling"]: row["n"] for row in rows}


def kept() -> dict[int, int]:
    """Every subafdeling's total as the triggers keep it (a total of 0 is no user)."""
    return {row.subafdeling_id: row.users for row in SubafdelingUserTotal.objects.all() if row.users}


def test_the_total_follows_every_way_a_user_is_written(world):
    main, other = world.main.subafdeling, world.outsider.subafdeling
    assert kept() == counted() and selectors.user_total(main) == 1  # the fixture's user

    SubafdelingUserFactory(subafdeling=main)  # one INSERT
    SubafdelingUser.objects.bulk_create(  # one INSERT of three rows
        SubafdelingUser(subafdeling=main, person=PersonFactory(), email="x@voorziening.be") for _ in range(3)
    )
    assert selectors.user_total(main) == 5 and kept() == counted()

    two = list(SubafdelingUser.objects.filter(subafdeling=main).order_by("pk")[1:3])
    services.users_remove(actor=world.main.sb, subafdeling=main, users=two)
    assert selectors.user_total(main) == 3 and kept() == counted()

    moved = SubafdelingUser.objects.filter(subafdeling=main).order_by("pk").last()
    SubafdelingUser.objects.filter(pk=moved.pk).update(subafdeling=other)
    assert (selectors.user_total(main), selectors.user_total(other)) == (2, 2) and kept() == counted()

    SubafdelingUser.objects.filter(subafdeling=other).delete()
    assert selectors.user_total(other) == 0 and kept() == counted()

    gone = SubafdelingUserFactory().subafdeling
    assert selectors.user_total(gone) == 1
    Subafdeling.objects.filter(pk=gone.pk).delete()  # its users and its total go with it
    assert not SubafdelingUserTotal.objects.filter(subafdeling_id=gone.pk).exists()
    assert kept() == counted()


def test_a_subafdeling_without_users_has_none(world):
    SubafdelingUser.objects.filter(subafdeling=world.main.subafdeling).delete()
    assert selectors.user_total(world.main.subafdeling) == 0
    SubafdelingUserTotal.objects.filter(subafdeling=world.main.subafdeling).delete()  # never had one
    assert selectors.user_total(world.main.subafdeling) == 0


def list_url(subafdeling, **query) -> str:
    path = reverse("users:list", kwargs={"subafdeling_id": subafdeling.pk})
    return path + ("?" + "&".join(f"{k}={v}" for k, v in query.items()) if query else "")


def test_the_whole_list_pages_by_the_kept_total_and_a_criterion_counts(client, world):
    main = world.main
    for _ in range(9):
        SubafdelingUserFactory(subafdeling=main.subafdeling)
    client.force_login(main.sb)

    def page(**query):
        with CaptureQueriesContext(connection) as queries:
            response = client.get(list_url(main.subafdeling, **query))
        counts = [
            q["sql"]
            for q in queries.captured_queries
            if "COUNT(*)" in q["sql"] and "users_subafdelinguser" in q["sql"]
        ]
        return response.content.decode(), counts

    whole, counts = page()
    assert "Pagina 1 10 items gevonden." in whole and "pagina=2" not in whole and not counts
    SubafdelingUserFactory(subafdeling=main.subafdeling)  # the next request shows it: nothing cached
    whole, counts = page()
    assert "Pagina 1 11 items gevonden." in whole and "pagina=2" in whole and not counts
    assert "Pagina 2 11 items gevonden." in page(pagina=2)[0]

    SubafdelingUser.objects.filter(pk=main.user.pk).update(status="INACTIEF")
    active, counts = page(status="ACTIEF")
    assert "Pagina 1 10 items gevonden." in active and counts


def test_the_whole_lists_pages_are_the_orms(world):
    """user_ids without a criterion (a statement compiled once, paged by the kept total) gives every
    page the ids the ORM's queryset gives it, in the same order: equal names too, by id."""
    main = world.main.subafdeling
    for last_name in ("Zeebroek", "Aerts", "Aerts", "Maes", "aerts", "Ëlsen", "Peeters", "Maes"):
        SubafdelingUserFactory(subafdeling=main, person=PersonFactory(last_name=last_name))
    kept, orm = selectors.user_ids(main, {}), selectors.user_ids(main, {"status": "ACTIEF"})
    assert isinstance(kept, PagedIds) and len(kept) == orm.count() == 9
    for size in (2, 4, 10):
        kept_pages, orm_pages = Paginator(kept, size), Paginator(orm, size)
        assert kept_pages.num_pages == orm_pages.num_pages
        for number in kept_pages.page_range:
            assert [row.pk for row in kept_pages.page(number)] == [row.pk for row in orm_pages.page(number)]
    assert kept[9:20] == []
    # another subafdeling's statement is the same one, with its own id
    assert [row.pk for row in selectors.user_ids(world.outsider.subafdeling, {})[0:10]] == [
        world.outsider.user.pk
    ]


def test_a_statement_is_kept_only_with_its_one_value():
    assert statement_of(SubafdelingUser.objects.filter(subafdeling_id=PARAMETER).values_list("pk"))
    with pytest.raises(ValueError, match="one value"):
        statement_of(SubafdelingUser.objects.filter(subafdeling_id=PARAMETER, status="ACTIEF"))
    with pytest.raises(ValueError, match="one value"):
        statement_of(SubafdelingUser.objects.filter(subafdeling_id=1))


def test_an_empty_whole_list_reads_no_page(world, django_assert_num_queries):
    empty = world.main.subafdeling
    SubafdelingUser.objects.filter(subafdeling=empty).delete()
    with django_assert_num_queries(1):  # the kept total only
        page = Paginator(selectors.user_ids(empty, {}), 10).get_page(1)
    assert list(page) == [] and page.paginator.count == 0


def test_a_statement_without_its_count_is_refused_a_count(world):
    ids = PagedIds(selectors._whole_list_sql(connection.vendor), world.main.subafdeling.pk)
    with pytest.raises(ValueError, match="counts its rows"):
        len(ids)
