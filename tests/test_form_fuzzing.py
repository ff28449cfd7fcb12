"""Property-based fuzzing of the forms that read what a browser sends (list filters, multi-selects, the
user form): whatever comes in, the form answers valid or invalid, and the filtered query it feeds runs,
on SQLite and on PostgreSQL. Hypothesis draws text (NUL bytes and all), ids far beyond any column,
lists where one value is expected, and the values the forms do accept."""

import pytest
from django.db.models import QuerySet
from django.http import QueryDict
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from administrators import selectors as administrators_selectors
from administrators.managers_forms import ManagerFilterForm, RemoveSelectionForm
from roles import selectors as roles_selectors
from roles.editor_forms import StaffFilterForm
from roles.models import Role
from subdivisions import selectors as subdivisions_selectors
from subdivisions.forms import ApplicationsForm, SubafdelingFilterForm
from users import selectors as users_selectors
from users.forms import UserFilterForm, UserForm, UserRemoveForm

pytestmark = pytest.mark.django_db

FUZZ = settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)

values = st.one_of(
    st.text(max_size=60),
    st.integers(min_value=-(2**80), max_value=2**80).map(str),
    st.sampled_from(["", "1", "2", "0", "-1", "ACTIEF", "LB", "CO_LB", "GEB", "nl", "a@b.be", "10", "50"]),
    st.text(alphabet="0123456789", min_size=19, max_size=400),
)


def form_data(names):
    """A QueryDict with, per field, nothing, one value or several."""

    def build(chosen):
        data = QueryDict(mutable=True)
        for name, items in chosen.items():
            data.setlist(name, items)
        return data

    return st.fixed_dictionaries({}, optional={name: st.lists(values, max_size=3) for name in names}).map(
        build
    )


def names_of(form_class, **kwargs) -> list[str]:
    return list(form_class(**kwargs).fields)


def test_user_list_filters(world):
    subafdeling = world.main.subafdeling
    applications = users_selectors.authorised_applications(subafdeling)

    @FUZZ
    @given(form_data(names_of(UserFilterForm, applications=applications)))
    def check(data):
        criteria = UserFilterForm(data, applications=applications)
        criteria.is_valid()
        users_selectors.user_rows(subafdeling, criteria.filters()).count()
        assert criteria.page_size() in (10, 20, 50)

    check()


def test_manager_list_filters(world):
    activation = world.main.activation
    applications = activation.hoedanigheid.applications.all()

    @FUZZ
    @given(form_data(names_of(ManagerFilterForm, applications=applications)))
    def check(data):
        criteria = ManagerFilterForm(data, applications=applications)
        criteria.is_valid()
        administrators_selectors.manager_rows(activation, criteria.filters()).count()

    check()


def test_subafdeling_list_filters(world):
    activation = world.main.activation
    types = subdivisions_selectors.subdivision_types_of(activation)

    @FUZZ
    @given(form_data(names_of(SubafdelingFilterForm, types=types)))
    def check(data):
        criteria = SubafdelingFilterForm(data, types=types)
        criteria.is_valid()
        subdivisions_selectors.subafdeling_rows(activation, criteria.filters()).count()

    check()


def test_staff_filters(world):
    activation = world.main.activation
    roles = Role.objects.all()
    subafdelingen = subdivisions_selectors.subafdeling_rows(activation)

    @FUZZ
    @given(form_data(names_of(StaffFilterForm, roles=roles, subafdelingen=subafdelingen)))
    def check(data):
        criteria = StaffFilterForm(data, roles=roles, subafdelingen=subafdelingen)
        criteria.is_valid()
        roles_selectors.staff_rows(
            subafdeling=None, activation=activation, filters=criteria.filters()
        ).count()

    check()


def test_the_multi_selects_and_the_user_form(world):
    main = world.main
    applications = users_selectors.authorised_applications(main.subafdeling)
    offered = main.activation.hoedanigheid.applications.all()
    forms = [
        (UserForm, {"applications": applications}),
        (ApplicationsForm, {"offered": offered, "require_one": True}),
        (UserRemoveForm, {"queryset": main.subafdeling.users.all()}),
        (
            RemoveSelectionForm,
            {"queryset": administrators_selectors.current_administrators(main.activation)},
        ),
    ]
    names = sorted({name for form_class, kwargs in forms for name in names_of(form_class, **kwargs)})

    @FUZZ
    @given(form_data(names))
    def check(data):
        for form_class, kwargs in forms:
            form = form_class(data, **kwargs)
            if form.is_valid():
                for value in form.cleaned_data.values():
                    if isinstance(value, QuerySet):
                        list(value)  # the chosen rows are read
            str(form)  # shown again with what was sent: never an error either

    check()
