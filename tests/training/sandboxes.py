"""Sandboxes for the training tests, built through the services as a trainer would."""

from accessportal import clock
from administrators.models import HoedanigheidActivation
from enterprises.models import Facility
from roles import services as roles
from roles.models import Role
from subdivisions import services as subdivisions
from training import services as training
from training.models import Classroom, Part
from users import services as users


def built(trainer, size=3, scenario="htb", name="Dinsdagklas") -> Classroom:
    classroom = training.classroom_create(trainer=trainer, name=name, size=size, scenario=scenario)
    training.classroom_build(classroom_id=classroom.pk)
    classroom.refresh_from_db()
    return classroom


ROLE = "BelRAI VL - admin"


def praktijk_with_user(trainer):
    """A chapter-4 sandbox where the HTB activated HUIZE (VIPA and E-loket authorised) and added an
    employee with both rights, in effect at once: (sandbox, the user)."""
    sandbox = built(trainer, size=1, scenario="praktijk").sandboxes.get()
    htb = training.legal_representative_of(sandbox)
    employee = sandbox.people.filter(part=Part.EMPLOYEE).first().person
    with clock.simulated(sandbox.now()):
        activation = HoedanigheidActivation.objects.get(enterprise=sandbox.enterprise)
        huize = Facility.objects.get(enterprise=sandbox.enterprise, name__startswith="HUIZE")
        subafdeling = subdivisions.subafdeling_activate(
            actor=htb,
            activation=activation,
            facility=huize,
            subdivision_type=huize.listings.get().subdivision_type,
            email="huize@example.be",
            applications=list(
                activation.hoedanigheid.applications.filter(code__in=["vipa", "e-loket-departement-zorg"])
            ),
        )
        user = users.user_add(
            actor=htb,
            subafdeling=subafdeling,
            person=employee,
            email=employee.email,
            applications=list(subafdeling.applications.all()),
        )
    return sandbox, user


def praktijk_with_pending_role(trainer):
    """The sandbox of ``praktijk_with_user`` where the user also got the role "BelRAI VL - admin",
    which takes effect after the propagation delay: (sandbox, the role)."""
    sandbox, user = praktijk_with_user(trainer)
    with clock.simulated(sandbox.now()):
        assignment = roles.role_assign(
            actor=training.legal_representative_of(sandbox),
            user=user,
            role=Role.objects.get(name=ROLE),
            start_date=clock.today(),
        )
    return sandbox, assignment
