"""accessportal.http.get_rw_or_404: the object or 404, and whether the person may change it."""

import pytest
from django.db import connection
from django.http import Http404
from django.test.utils import CaptureQueriesContext

from accessportal.http import get_rw_or_404
from administrators.permissions import activation_managed_by, can_change_local_administrators
from subdivisions.permissions import can_change_subafdeling, subafdeling_managed_by

pytestmark = pytest.mark.django_db


def test_another_enterprise_gets_404(world):
    with pytest.raises(Http404):
        get_rw_or_404(
            subafdeling_managed_by, can_change_subafdeling, world.outsider.sb, world.main.subafdeling.pk
        )


def test_the_subafdelingsbeheerder_sees_and_the_toegangsbeheerder_also_changes(world):
    main = world.main
    seen, may_change = get_rw_or_404(
        subafdeling_managed_by, can_change_subafdeling, main.sb, main.subafdeling.pk
    )
    assert seen == main.subafdeling and not may_change
    _seen, may_change = get_rw_or_404(
        subafdeling_managed_by, can_change_subafdeling, main.tb, main.subafdeling.pk
    )
    assert may_change


def test_the_flag_costs_a_query_only_when_it_is_read(world):
    main = world.main
    with CaptureQueriesContext(connection) as queries:
        _seen, may_change = get_rw_or_404(
            activation_managed_by, can_change_local_administrators, main.tb, main.activation.pk
        )
    assert len(queries) == 1
    with CaptureQueriesContext(connection) as queries:
        assert not may_change  # the LB sees the managers; the HTB and co-HTBs change them
    assert len(queries) >= 1
    with CaptureQueriesContext(connection) as queries:
        assert not may_change  # asked once
    assert len(queries) == 0


def test_a_subafdeling_carries_its_flag_for_the_person_it_was_read_for(world):
    """subafdeling_managed_by reads whether the person also manages the hoedanigheid in its own
    statement; asked for someone else, can_change_subafdeling asks the database."""
    main = world.main
    with CaptureQueriesContext(connection) as queries:
        seen, may_change = get_rw_or_404(
            subafdeling_managed_by, can_change_subafdeling, main.tb, main.subafdeling.pk
        )
        assert may_change
    assert len(queries) == 1
    with CaptureQueriesContext(connection) as queries:
        assert not can_change_subafdeling(main.sb, seen)
    assert len(queries) == 1


def test_a_filtered_list_counts_its_rows_with_the_page():
    """CountedPaginator: the page and the number of all rows in one statement; a page past the end or
    not a number gives the last page or the first, as Django's paginator does."""
    from accessportal.http import CountedPaginator
    from identity.models import Person
    from tests.factories import PersonFactory

    PersonFactory.create_batch(25, last_name="Zoekbaar")
    PersonFactory(last_name="Anders")
    rows = Person.objects.filter(last_name="Zoekbaar").order_by("pk")
    with CaptureQueriesContext(connection) as queries:
        page = CountedPaginator(rows, 10).get_page("2")
        assert (page.number, page.paginator.count, page.paginator.num_pages) == (2, 25, 3)
        shown = [p.pk for p in page]
    assert len(queries) == 1
    assert shown == list(rows.values_list("pk", flat=True)[10:20])
    last = CountedPaginator(rows, 10).get_page("99")
    assert (last.number, len(last.object_list), last.paginator.count) == (3, 5, 25)
    assert CountedPaginator(rows, 10).get_page("x").number == 1
    assert CountedPaginator(rows, 10).get_page("9" * 25).number == 3  # beyond any OFFSET: the last page
    assert CountedPaginator(rows.none(), 10).get_page("1").paginator.count == 0
