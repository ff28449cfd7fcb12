"""factory_boy factories for the models the tests build directly. Factories write rows directly (fast,
no rules); tests of rules go through the services, which is what the persona world of conftest.py does."""

from datetime import date

import factory
from factory.django import DjangoModelFactory

from accessportal.models import StructuredMessage
from administrators.models import (
    AdministratorKind,
    HoedanigheidActivation,
    HtbAppointment,
    LocalAdministrator,
)
from enterprises.models import (
    Application,
    Enterprise,
    Facility,
    FacilityListing,
    Hoedanigheid,
    SubdivisionType,
)
from identity.models import Person
from roles.models import Role, RoleAssignment, SimulatedApplication
from subdivisions.models import Subafdeling, SubafdelingAdministrator, SubafdelingAuthorisation
from users.models import ApplicationRight, SubafdelingUser
from worlds.numbers import insz_for, kbo_for


class PersonFactory(DjangoModelFactory):
    class Meta:
        model = Person
        skip_postgeneration_save = True

    insz = factory.Sequence(lambda n: insz_for(n + 10_000))
    first_name = factory.Faker("first_name", locale="nl_BE")
    last_name = factory.Faker("last_name", locale="nl_BE")
    email = factory.LazyAttribute(lambda p: f"{p.insz}@example.be")
    phone = "+32 2 555 00 00"
    pin = factory.PostGenerationMethodCall("set_pin", "1234")

    @factory.post_generation
    def password(self, create, extracted, **kwargs):
        if extracted:
            self.set_password(extracted)
        else:
            self.set_unusable_password()
        if create:
            self.save()


class EnterpriseFactory(DjangoModelFactory):
    class Meta:
        model = Enterprise

    kbo = factory.Sequence(kbo_for)
    name = factory.Sequence(lambda n: f"VZW TESTONDERNEMING {n}")
    legal_form = "VZW"
    street = "Teststraat 1"
    postal_code = "1000"
    city = "Brussel"
    email = factory.Sequence(lambda n: f"info{n}@onderneming.be")


class SubdivisionTypeFactory(DjangoModelFactory):
    class Meta:
        model = SubdivisionType
        django_get_or_create = ("code",)

    code = factory.Sequence(lambda n: f"type-{n}")
    name = factory.Sequence(lambda n: f"Subdivisie {n}")


class ApplicationFactory(DjangoModelFactory):
    class Meta:
        model = Application
        django_get_or_create = ("code",)

    code = factory.Sequence(lambda n: f"app-{n}")
    name = factory.Sequence(lambda n: f"Toepassing {n}")
    description = "Een toepassing om te testen"


class HoedanigheidFactory(DjangoModelFactory):
    class Meta:
        model = Hoedanigheid
        django_get_or_create = ("code",)

    code = factory.Sequence(lambda n: f"hoedanigheid-{n}")
    name = factory.Sequence(lambda n: f"Hoedanigheid {n}")


class FacilityFactory(DjangoModelFactory):
    class Meta:
        model = Facility

    hco_number = factory.Sequence(lambda n: str(900_000 + n))
    enterprise = factory.SubFactory(EnterpriseFactory)
    name = factory.Sequence(lambda n: f"VOORZIENING {n}")


class FacilityListingFactory(DjangoModelFactory):
    class Meta:
        model = FacilityListing

    facility = factory.SubFactory(FacilityFactory)
    subdivision_type = factory.SubFactory(SubdivisionTypeFactory)
    name = factory.LazyAttribute(lambda listing: listing.facility.name)


class RoleFactory(DjangoModelFactory):
    class Meta:
        model = Role

    name = factory.Sequence(lambda n: f"Rol {n}")
    application = factory.SubFactory(ApplicationFactory)


class HtbAppointmentFactory(DjangoModelFactory):
    class Meta:
        model = HtbAppointment

    enterprise = factory.SubFactory(EnterpriseFactory)
    person = factory.SubFactory(PersonFactory)
    appointed_by = factory.SelfAttribute("person")
    email = factory.LazyAttribute(lambda a: a.person.email)
    phone = "+32 2 555 00 01"


class HoedanigheidActivationFactory(DjangoModelFactory):
    class Meta:
        model = HoedanigheidActivation

    enterprise = factory.SubFactory(EnterpriseFactory)
    hoedanigheid = factory.SubFactory(HoedanigheidFactory)
    email = factory.LazyAttribute(lambda a: a.enterprise.email)


class LocalAdministratorFactory(DjangoModelFactory):
    class Meta:
        model = LocalAdministrator

    activation = factory.SubFactory(HoedanigheidActivationFactory)
    person = factory.SubFactory(PersonFactory)
    kind = AdministratorKind.LB
    email = factory.LazyAttribute(lambda a: a.person.email)


class SubafdelingFactory(DjangoModelFactory):
    class Meta:
        model = Subafdeling

    activation = factory.SubFactory(HoedanigheidActivationFactory)
    facility = factory.SubFactory(
        FacilityFactory, enterprise=factory.SelfAttribute("..activation.enterprise")
    )
    subdivision_type = factory.SubFactory(SubdivisionTypeFactory)
    name = factory.LazyAttribute(lambda s: s.facility.name)
    email = factory.Sequence(lambda n: f"subafdeling{n}@voorziening.be")


class SubafdelingAuthorisationFactory(DjangoModelFactory):
    class Meta:
        model = SubafdelingAuthorisation
        django_get_or_create = ("subafdeling", "application")

    subafdeling = factory.SubFactory(SubafdelingFactory)
    application = factory.SubFactory(ApplicationFactory)


class SubafdelingAdministratorFactory(DjangoModelFactory):
    class Meta:
        model = SubafdelingAdministrator

    subafdeling = factory.SubFactory(SubafdelingFactory)
    person = factory.SubFactory(PersonFactory)


class SubafdelingUserFactory(DjangoModelFactory):
    class Meta:
        model = SubafdelingUser

    subafdeling = factory.SubFactory(SubafdelingFactory)
    person = factory.SubFactory(PersonFactory)
    email = factory.LazyAttribute(lambda u: u.person.email)


class ApplicationRightFactory(DjangoModelFactory):
    """A right, with the authorisation it needs created on the user's subafdeling."""

    class Meta:
        model = ApplicationRight

    user = factory.SubFactory(SubafdelingUserFactory)
    subafdeling = factory.SelfAttribute("user.subafdeling")
    application = factory.SubFactory(ApplicationFactory)

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        SubafdelingAuthorisationFactory(subafdeling=kwargs["subafdeling"], application=kwargs["application"])
        return super()._create(model_class, *args, **kwargs)


class RoleAssignmentFactory(DjangoModelFactory):
    """A role, with the right (and authorisation) it needs."""

    class Meta:
        model = RoleAssignment

    user = factory.SubFactory(SubafdelingUserFactory)
    role = factory.SubFactory(RoleFactory)
    application = factory.SelfAttribute("role.application")
    start_date = date(2024, 1, 1)
    effective_start_date = factory.SelfAttribute("start_date")  # already past the propagation delay

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        if not ApplicationRight.objects.filter(
            user=kwargs["user"], application=kwargs["application"]
        ).exists():
            ApplicationRightFactory(user=kwargs["user"], application=kwargs["application"])
        return super()._create(model_class, *args, **kwargs)


class SimulatedApplicationFactory(DjangoModelFactory):
    class Meta:
        model = SimulatedApplication
        django_get_or_create = ("slug",)

    slug = factory.Sequence(lambda n: f"toepassing-{n}")
    name = factory.Sequence(lambda n: f"Toepassing {n}")
    application = factory.SubFactory(ApplicationFactory)


class StructuredMessageFactory(DjangoModelFactory):
    class Meta:
        model = StructuredMessage

    recipient = factory.SubFactory(PersonFactory)
    subject = "Bericht"
    body = "Inhoud van het bericht"
