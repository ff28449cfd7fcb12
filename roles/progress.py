"""What counts as done on the stappenplan (manual chapter 2, figure 2): one definition of each step.

Each step is an ``Exists`` expression over an enterprise, written once here and read by every screen
that shows progress: the enterprise's stappenplan (``roles.selectors.stappenplan``, one enterprise by
its pk), the trainer's dashboard (every sandbox of a classroom in one query, with
``OuterRef("enterprise")``) and the guided scenario's panel (training/scenarios.py).

- "Aanstelling lokale toegangsbeheerder" (2.1.2) is done when a hoedanigheid has a lokale beheerder:
  one appointed, or the HTB, who is lokale beheerder of every hoedanigheid while none is appointed
  (manual 3.4). So a chapter-4 enterprise, whose HTB activated eHealth Gezondheidszorg, has it done;
  the step is optional, as the manual says.
- "Rollen toekennen" (3.6.2) is done when a role reached the applications (past the propagation
  delay) and has not ended; it is optional (eVIPA needs no role).
- The goal (2.2) is reached when a user of the enterprise signed in to an application.
"""

from dataclasses import dataclass

from django.db.models import Exists, OuterRef, Q
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from accessportal import clock
from accessportal.models import AuditEvent
from administrators.models import HoedanigheidActivation, HtbAppointment, LocalAdministrator
from roles.models import RoleAssignment
from subdivisions.models import Subafdeling, SubafdelingStatus
from users.models import ApplicationRight


@dataclass(frozen=True)
class ProgressStep:
    key: str
    manual: str  # the section of the manual, e.g. "2.1.1"
    title: Promise  # as the stappenplan names it
    label: Promise  # as a column of the trainer's dashboard names it
    optional: bool = False

    @property
    def anchor(self) -> str:
        return "h-" + self.manual.replace(".", "-")


STEPS = [
    ProgressStep("htb", "2.1.1", _("Aanstellen van de hoofdtoegangsbeheerder"), _("HTB aangesteld")),
    ProgressStep("hoedanigheid", "3.3", _("Hoedanigheid activeren"), _("Hoedanigheid actief")),
    ProgressStep("tb", "2.1.2", _("Aanstelling lokale toegangsbeheerder"), _("TB aangesteld"), optional=True),
    ProgressStep("subafdeling", "2.1.3", _("Activeren van een subafdeling"), _("Subafdeling actief")),
    ProgressStep("right", "2.1.4", _("Gebruikers aanmaken en rechten toekennen"), _("Gebruiker met recht")),
    ProgressStep("role", "3.6.2", _("Rollen toekennen"), _("Rol van kracht"), optional=True),
]
GOAL = ProgressStep("signed_in", "2.2", _("Aanmelden op de toepassing"), _("Aangemeld op de toepassing"))
KEYS = [step.key for step in [*STEPS, GOAL]]


def step_expressions(enterprise, kbo, *, audit_floor=0, today=None) -> dict[str, Exists]:
    """One boolean expression per key of ``KEYS`` for the enterprise ``enterprise`` (a pk or an
    ``OuterRef``) whose KBO number is ``kbo`` (a string or an ``OuterRef``). ``audit_floor``: only
    sign-ins recorded after that audit event count (a training sandbox's last reset)."""
    today = today or clock.today()
    htb = HtbAppointment.objects.current().filter(enterprise=enterprise)
    hoedanigheden = HoedanigheidActivation.objects.filter(enterprise=enterprise)
    appointed = LocalAdministrator.objects.current().filter(activation=OuterRef("pk"))
    htb_of_hoedanigheid = HtbAppointment.objects.current().filter(enterprise=OuterRef("enterprise"))
    active_subafdelingen = Subafdeling.objects.filter(
        activation__enterprise=enterprise, status=SubafdelingStatus.ACTIEF
    )
    return {
        "htb": Exists(htb),
        "hoedanigheid": Exists(hoedanigheden),
        "tb": Exists(hoedanigheden.filter(Q(Exists(appointed)) | Q(Exists(htb_of_hoedanigheid)))),
        "subafdeling": Exists(active_subafdelingen),
        "right": Exists(ApplicationRight.objects.filter(subafdeling__activation__enterprise=enterprise)),
        "role": Exists(
            RoleAssignment.objects.filter(
                user__subafdeling__activation__enterprise=enterprise,
                effective_start_date__isnull=False,
                removed_at=None,
            ).filter(Q(effective_end_date=None) | Q(effective_end_date__gte=today))
        ),
        "signed_in": Exists(
            AuditEvent.objects.filter(action="application.sign_in", enterprise_kbo=kbo, pk__gt=audit_floor)
        ),
    }
