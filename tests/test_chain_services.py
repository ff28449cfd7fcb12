"""The services of the chain: each rule refuses with a clear Dutch message and writes nothing."""

from datetime import date

import pytest
from django.core.exceptions import ValidationError

from accessportal.models import AuditEvent
from accessportal.services import ServiceError
from administrators import services as administrators
from administrators.models import CoHtbAppointment, HtbAppointment, LocalAdministrator
from enterprises import services as enterprises
from identity import services as identity
from identity.models import Person
from roles import services as roles
from roles.models import RoleAssignment
from subdivisions import services as subdivisions
from subdivisions.models import Subafdeling
from tests.factories import EnterpriseFactory, FacilityFactory, FacilityListingFactory, PersonFactory
from users import services as users
from users.models import ApplicationRight, SubafdelingUser

pytestmark = pytest.mark.django_db

TABLES = [
    Person,
    HtbAppointment,
    CoHtbAppointment,
    LocalAdministrator,
    Subafdeling,
    SubafdelingUser,
    ApplicationRight,
    RoleAssignment,
    AuditEvent,
]


def snapshot():
    return {model.__name__: model.objects.count() for model in TABLES}


def refuses(call, fragment: str):
    before = snapshot()
    with pytest.raises(ValidationError) as error:
        call()
    assert any(fragment in message for message in error.value.messages), error.value.messages
    assert snapshot() == before, "a refused call wrote something"
    return error.value


def test_every_service_call_writes_one_audit_event(world):
    before = AuditEvent.objects.count()
    administrators.co_htb_appoint(
        actor=world.main.htb, enterprise=world.main.enterprise, person=world.main.employee
    )
    assert AuditEvent.objects.count() == before + 1
    event = AuditEvent.objects.first()
    assert event.action == "co_htb.appoint"
    assert event.actor == world.main.htb
    assert event.enterprise_kbo == world.main.enterprise.kbo
    assert event.after["person"] == world.main.employee.pk


def test_person_register_refuses_bad_numbers_and_duplicates():
    refuses(
        lambda: identity.person_register(insz="85.07.30-033.29", last_name="X", first_name="Y"),
        "controlegetal",
    )
    identity.person_register(insz="85.07.30-033.28", last_name="X", first_name="Y")
    refuses(
        lambda: identity.person_register(insz="85073003328", last_name="X", first_name="Y"), "rijksregister"
    )


def test_enterprise_register_refuses_bad_numbers():
    refuses(lambda: enterprises.enterprise_register(kbo="0406.633.305", name="X"), "controlegetal")


def test_only_a_current_legal_representative_appoints_the_htb(world):
    main = world.main
    for outsider in (world.nobody, main.htb, world.outsider.legal_rep):
        refuses(
            lambda outsider=outsider: administrators.htb_appoint(
                actor=outsider, enterprise=main.enterprise, person=main.employee, email="a@b.be", phone="1"
            ),
            "wettelijk vertegenwoordiger",
        )


def test_an_ended_mandate_no_longer_counts(world):
    mandate = world.main.legal_rep.legal_mandates.get()
    mandate.end_date = date(2020, 1, 1)
    mandate.save()
    refuses(
        lambda: administrators.htb_appoint(
            actor=world.main.legal_rep,
            enterprise=world.main.enterprise,
            person=world.main.employee,
            email="a@b.be",
            phone="1",
        ),
        "wettelijk vertegenwoordiger",
    )


def test_the_htb_must_be_an_employee_or_legal_representative(world):
    refuses(
        lambda: administrators.htb_appoint(
            actor=world.main.legal_rep,
            enterprise=world.main.enterprise,
            person=world.nobody,
            email="a@b.be",
            phone="1",
        ),
        "werknemer of wettelijke vertegenwoordiger",
    )


def test_the_current_htb_cannot_be_appointed_again(world):
    refuses(
        lambda: administrators.htb_appoint(
            actor=world.main.legal_rep,
            enterprise=world.main.enterprise,
            person=world.main.htb,
            email="a@b.be",
            phone="1",
        ),
        "al gekend als Hoofdtoegangsbeheerder",
    )


def test_replacing_the_htb_ends_the_previous_one_and_keeps_it(world):
    main = world.main
    new = administrators.htb_appoint(
        actor=main.legal_rep, enterprise=main.enterprise, person=main.employee, email="n@b.be", phone="1"
    )
    history = list(HtbAppointment.objects.filter(enterprise=main.enterprise).order_by("started_at"))
    assert [a.person for a in history] == [main.htb, main.employee]
    assert history[0].ended_at == new.started_at
    event = AuditEvent.objects.filter(action="htb.appoint").first()
    assert event.before["person"] == main.htb.pk and event.after["person"] == main.employee.pk


def test_co_htb_rules(world):
    main = world.main
    refuses(
        lambda: administrators.co_htb_appoint(
            actor=main.tb, enterprise=main.enterprise, person=main.employee
        ),
        "Enkel de (co-)hoofdtoegangsbeheerder",
    )
    refuses(
        lambda: administrators.co_htb_appoint(actor=main.htb, enterprise=main.enterprise, person=main.co_htb),
        "al (co-)hoofdtoegangsbeheerder",
    )
    refuses(
        lambda: administrators.co_htb_appoint(
            actor=main.htb, enterprise=main.enterprise, person=world.nobody
        ),
        "werknemer",
    )
    # A co-HTB may do what the HTB does, except appoint the HTB.
    administrators.co_htb_appoint(actor=main.co_htb, enterprise=main.enterprise, person=main.employee)
    refuses(
        lambda: administrators.htb_appoint(
            actor=main.co_htb, enterprise=main.enterprise, person=main.employee, email="a@b.be", phone="1"
        ),
        "wettelijk vertegenwoordiger",
    )


def test_hoedanigheid_activation_rules(world, catalogue):
    jeugdhulp = catalogue["hoedanigheden"]["jeugdhulp"]
    refuses(
        lambda: administrators.hoedanigheid_activate(
            actor=world.main.tb, enterprise=world.main.enterprise, hoedanigheid=jeugdhulp
        ),
        "hoofdtoegangsbeheerder",
    )
    refuses(
        lambda: administrators.hoedanigheid_activate(
            actor=world.main.htb,
            enterprise=world.main.enterprise,
            hoedanigheid=catalogue["hoedanigheden"]["ehealth-gezondheidszorg"],
        ),
        "al geactiveerd",
    )
    activation = administrators.hoedanigheid_activate(
        actor=world.main.co_htb, enterprise=world.main.enterprise, hoedanigheid=jeugdhulp
    )
    assert activation.email == world.main.enterprise.email


def test_a_new_lokale_beheerder_replaces_the_current_one(world):
    main = world.main
    administrators.local_administrator_appoint(
        actor=main.htb, activation=main.activation, person=main.employee, kind="LB", email="e@b.be"
    )
    current = LocalAdministrator.objects.current().filter(activation=main.activation)
    assert list(current.values_list("person", flat=True)) == [main.employee.pk]
    refuses(
        lambda: administrators.local_administrator_appoint(
            actor=main.tb, activation=main.activation, person=main.sb, kind="CO_LB", email="e@b.be"
        ),
        "hoofdtoegangsbeheerder",
    )


def test_subafdeling_activation_rules(world, catalogue):
    main, apps, gz = world.main, catalogue["applications"], catalogue["types"]["gezondheidszorg"]
    facility = FacilityFactory(enterprise=main.enterprise)
    FacilityListingFactory(facility=facility, subdivision_type=gz, name="NIEUWE VOORZIENING")

    def activate(actor=main.tb, facility=facility, subdivision_type=gz, applications=(apps["vipa"],)):
        return lambda: subdivisions.subafdeling_activate(
            actor=actor,
            activation=main.activation,
            facility=facility,
            subdivision_type=subdivision_type,
            email="s@b.be",
            applications=list(applications),
        )

    refuses(activate(actor=world.outsider.tb), "geen toegangsbeheerder")
    refuses(
        activate(facility=FacilityFactory(enterprise=world.outsider.enterprise)),
        "hoort niet bij deze onderneming",
    )
    refuses(activate(subdivision_type=catalogue["types"]["jeugdhulp"]), "hoort niet bij deze hoedanigheid")
    refuses(activate(subdivision_type=catalogue["types"]["thuiszorg"]), "niet gekend als Thuiszorg")
    subafdeling = activate()()
    assert subafdeling.name == "NIEUWE VOORZIENING"
    assert subafdeling.administrators.get().person == main.tb  # "Ik wil zelf instaan voor het beheer"
    refuses(activate(), "al als subafdeling")


def test_user_add_only_with_authorised_applications(world, catalogue):
    main = world.main
    refuses(
        lambda: users.user_add(
            actor=main.sb,
            subafdeling=main.subafdeling,
            person=main.employee,
            email="e@b.be",
            applications=[catalogue["applications"]["webfx"]],
        ),
        "niet geautoriseerd",
    )
    refuses(
        lambda: users.user_add(
            actor=main.sb, subafdeling=main.subafdeling, person=main.user_person, email="e@b.be"
        ),
        "al gebruiker",
    )
    refuses(
        lambda: users.user_add(
            actor=world.outsider.sb, subafdeling=main.subafdeling, person=main.employee, email="e@b.be"
        ),
        "geen beheerder",
    )


def test_role_assign_rules(world, catalogue):
    main, role = world.main, catalogue["roles"]["BelRAI VL - admin"]

    def assign(actor=main.sb, user=main.user, start=date(2026, 1, 1), end=None):
        return lambda: roles.role_assign(actor=actor, user=user, role=role, start_date=start, end_date=end)

    refuses(assign(end=date(2025, 12, 31)), "einddatum")
    refuses(assign(actor=world.outsider.tb), "geen beheerder")
    no_right = users.user_add(
        actor=main.sb, subafdeling=main.subafdeling, person=main.employee, email="e@b.be"
    )
    refuses(assign(user=no_right), "eerst het recht")
    assign(end=date(2026, 6, 30))()
    refuses(assign(start=date(2026, 6, 1)), "overlappende")
    assign(start=date(2026, 7, 1))()  # after the first period ended: fine
    assert RoleAssignment.objects.filter(user=main.user, role=role).count() == 2


def test_administrators_level_capacities(world):
    from administrators.permissions import can_manage_activation
    from subdivisions.permissions import can_manage_subafdeling

    main, outsider = world.main, world.outsider
    assert can_manage_activation(main.htb, main.activation)  # the HTB is TB of every domain
    assert can_manage_activation(main.co_htb, main.activation)
    assert can_manage_activation(main.tb, main.activation)
    assert not can_manage_activation(main.sb, main.activation)
    assert not can_manage_activation(outsider.htb, main.activation)
    assert can_manage_subafdeling(main.sb, main.subafdeling)
    assert can_manage_subafdeling(main.tb, main.subafdeling)
    assert not can_manage_subafdeling(main.user_person, main.subafdeling)
    assert not can_manage_subafdeling(outsider.sb, main.subafdeling)


def test_service_error_carries_its_field():
    error = ServiceError("Boodschap", field="insz")
    assert error.message_dict == {"insz": ["Boodschap"]}
    assert PersonFactory()  # factories build valid people
    assert EnterpriseFactory()


def test_the_subafdeling_services_refuse_a_non_manager_with_one_message(world):
    """users.services and roles.services re-check through subdivisions.permissions and say the same."""
    from users import services as users_services
    from users.permissions import require_user_manager

    main, outsider = world.main, world.outsider
    message = "U bent geen beheerder van deze subafdeling."
    attempts = [
        lambda: users_services.user_update(
            actor=outsider.sb,
            user=main.user,
            email="x@example.test",
            local_email="",
            language="nl",
            applications=[],
        ),
        lambda: users_services.user_password_reset(actor=outsider.sb, user=main.user, site_url="http://x"),
        lambda: users_services.users_remove(
            actor=outsider.sb, subafdeling=main.subafdeling, users=[main.user]
        ),
        lambda: require_user_manager(outsider.sb, main.user),  # roles.services re-checks through it
    ]
    for attempt in attempts:
        with pytest.raises(ServiceError) as refused:
            attempt()
        assert refused.value.messages == [message]
    main.user.refresh_from_db()
    assert main.user.email != "x@example.test"
