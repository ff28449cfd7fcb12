"""accessportal.rows: the instances of a written-out read are the ORM's, also when built without
``Model.__init__`` (while nothing listens to ``pre_init`` / ``post_init``)."""

import pytest
from django.db import connection
from django.db.models.signals import post_init, pre_init

from accessportal.rows import choice_label, joined_columns
from enterprises.models import Application, Facility
from roles.models import Role
from tests.factories import FacilityFactory, RoleFactory

pytestmark = pytest.mark.django_db

PARTS = (("ro", Role), ("ap", Application), ("f", Facility, ("id", "hco_number")))


def _read(role: Role, facility: Facility) -> dict:
    columns = joined_columns(connection.vendor, *PARTS)
    q = connection.ops.quote_name
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT {columns.select} FROM {q(Role._meta.db_table)} ro "
            f"JOIN {q(Application._meta.db_table)} ap ON ap.id = ro.application_id "
            f"JOIN {q(Facility._meta.db_table)} f ON f.id = %s WHERE ro.id = %s",
            [facility.pk, role.pk],
        )
        return columns.instances(cursor.fetchone())


def _fields(instance) -> dict:
    return {key: value for key, value in instance.__dict__.items() if key != "_state"}


def test_instances_are_the_orms_own(django_assert_num_queries):
    role, facility = RoleFactory(), FacilityFactory()
    found = _read(role, facility)
    orm_role = Role.objects.get(pk=role.pk)
    assert type(found["ro"]) is Role and _fields(found["ro"]) == _fields(orm_role)
    assert _fields(found["ap"]) == _fields(Application.objects.get(pk=role.application_id))
    for instance in found.values():  # saved rows of this database: an update, not an insert
        assert instance._state.adding is False and instance._state.db == "default"
    assert found["ro"] == orm_role and hash(found["ro"]) == hash(orm_role)
    assert found["f"].get_deferred_fields() == Facility.objects.only("hco_number").get().get_deferred_fields()
    with django_assert_num_queries(1):  # a field the read left out is read when asked, as only() does
        assert found["f"].name == facility.name
    found["ro"].sort_order = 7
    found["ro"].save(update_fields=["sort_order"])
    assert Role.objects.get(pk=role.pk).sort_order == 7


def test_a_receiver_of_the_models_signals_still_gets_them():
    role, facility = RoleFactory(), FacilityFactory()
    seen = []

    def receiver(sender, instance, **kwargs):
        seen.append(sender)

    post_init.connect(receiver)
    try:
        _read(role, facility)
    finally:
        post_init.disconnect(receiver)
    assert seen == [Role, Application, Facility]


def test_without_receivers_the_instances_skip_model_init(monkeypatch):
    """The reason for the direct path: Model.__init__ and its two signals per instance were a fourth of
    the access API's Python time. (Model.__init__ sends pre_init whether or not anyone listens.)"""
    role, facility = RoleFactory(), FacilityFactory()
    sent = []
    monkeypatch.setattr(pre_init, "send", lambda *args, **kwargs: sent.append(kwargs["sender"]))
    found = _read(role, facility)
    assert sent == [] and found["ro"].pk == role.pk


@pytest.mark.parametrize("language", ["nl", "fr", "de", "en"])
def test_choice_label_says_what_get_display_says(language):
    from django.utils import translation

    from subdivisions.models import Subafdeling, SubafdelingStatus
    from users.models import SubafdelingUser, UserStatus

    with translation.override(language):
        for model, choices in ((Subafdeling, SubafdelingStatus), (SubafdelingUser, UserStatus)):
            for value in choices.values:
                row = model(status=value)
                assert choice_label(row, "status") == row.get_status_display()
                assert type(choice_label(row, "status")) is str
        # a value outside the choices: the value itself, as Django shows it
        assert choice_label(Subafdeling(status="ONBEKEND"), "status") == "ONBEKEND"
