from django.db.models import Q, QuerySet

from administrators.selectors import hoedanigheden_managed_by
from subdivisions.models import Subafdeling


def subafdelingen_managed_by(person) -> QuerySet[Subafdeling]:
    """The subafdelingen the person manages: as subafdelingsbeheerder or as TB of the hoedanigheid."""
    return Subafdeling.objects.filter(
        Q(administrators__person=person, administrators__ended_at__isnull=True)
        | Q(hoedanigheid__in=hoedanigheden_managed_by(person))
    ).distinct()


def can_manage_subafdeling(person, subafdeling: Subafdeling) -> bool:
    return subafdelingen_managed_by(person).filter(pk=subafdeling.pk).exists()
