"""Sandboxes for the training tests, built through the services as a trainer would."""

from accessportal import clock
from administrators.models import EnterpriseHoedanigheid
from enterprises.models import Facility
from subdivisions import services as subdivisions
from training import services as training
from training.models import Classroom, Part
from users import services as users
from users.models import ApplicationRight


def built(trainer, size=3, scenario="htb", name="Dinsdagklas") -> Classroom:
    classroom = training.classroom_create(trainer=trainer, name=name, size=size, scenario=scenario)
    training.classroom_build(classroom_id=classroom.pk)
    classroom.refresh_from_db()
    return classroom


def praktijk_with_pending_right(trainer):
    """A chapter-4 sandbox where the HTB activated HUIZE and added an employee with the VIPA right
    (a change that takes effect after the propagation delay): (sandbox, the right)."""
    sandbox = built(trainer, size=1, scenario="praktijk").sandboxes.get()
    htb = training.legal_representative_of(sandbox)
    employee = sandbox.people.filter(part=Part.EMPLOYEE).first().person
    with clock.simulated(sandbox.now()):
        activation = EnterpriseHoedanigheid.objects.get(enterprise=sandbox.enterprise)
        huize = Facility.objects.get(enterprise=sandbox.enterprise, name__startswith="HUIZE")
        subafdeling = subdivisions.subafdeling_activate(
            actor=htb,
            hoedanigheid=activation,
            facility=huize,
            subdivision_type=huize.listings.get().subdivision_type,
            email="huize@example.be",
            applications=[activation.hoedanigheid.applications.get(code="vipa")],
        )
        users.user_add(
            actor=htb,
            subafdeling=subafdeling,
            person=employee,
            email=employee.email,
            applications=list(subafdeling.applications.all()),
        )
    return sandbox, ApplicationRight.objects.get(user__person=employee)
