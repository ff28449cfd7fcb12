from dataclasses import dataclass

from django.urls import NoReverseMatch, reverse
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from administrators.models import EnterpriseHoedanigheid
from administrators.selectors import current_htb
from enterprises.models import Enterprise
from roles.models import RoleAssignment
from subdivisions.models import Subafdeling, SubafdelingStatus
from users.models import ApplicationRight


@dataclass
class Step:
    title: Promise
    manual: str  # the section of the manual, e.g. "2.1.1"
    done: bool
    url: str | None = None
    optional: bool = False

    @property
    def anchor(self) -> str:
        return "h-" + self.manual.replace(".", "-")


def _url(name: str, **kwargs) -> str | None:
    try:
        return reverse(name, kwargs=kwargs)
    except NoReverseMatch:  # the screen of a later step is not built yet
        return None


def stappenplan(enterprise: Enterprise) -> list[Step]:
    """The steps of manual chapter 2 (figure 2) and which of them this enterprise has done."""
    hoedanigheden = EnterpriseHoedanigheid.objects.filter(enterprise=enterprise)
    first_hoedanigheid = hoedanigheden.order_by("created_at").first()
    subafdelingen = Subafdeling.objects.filter(hoedanigheid__enterprise=enterprise)
    return [
        Step(
            _("Aanstellen van de hoofdtoegangsbeheerder"),
            "2.1.1",
            current_htb(enterprise) is not None,
            _url("administrators:htb-start"),
        ),
        Step(
            _("Hoedanigheid activeren"),
            "3.3",
            first_hoedanigheid is not None,
            _url("administrators:enterprise", kbo=enterprise.kbo),
        ),
        Step(
            _("Aanstelling lokale toegangsbeheerder"),
            "2.1.2",
            first_hoedanigheid is not None,
            _url("administrators:hoedanigheid", hoedanigheid_id=first_hoedanigheid.pk)
            if first_hoedanigheid
            else None,
            optional=True,
        ),
        Step(
            _("Activeren van een subafdeling"),
            "2.1.3",
            subafdelingen.filter(status=SubafdelingStatus.ACTIEF).exists(),
            _url("subdivisions:list", hoedanigheid_id=first_hoedanigheid.pk) if first_hoedanigheid else None,
        ),
        Step(
            _("Gebruikers aanmaken en rechten toekennen"),
            "2.1.4",
            ApplicationRight.objects.filter(subafdeling__in=subafdelingen).exists(),
        ),
        Step(
            _("Rollen toekennen"),
            "3.6.2",
            RoleAssignment.objects.filter(user__subafdeling__in=subafdelingen).exists(),
            optional=True,
        ),
    ]


def next_step(steps: list[Step]) -> Step | None:
    return next((step for step in steps if not step.done), None)
