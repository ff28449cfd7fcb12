"""The authentic sources the portal looks up: the KBO (enterprises, legal mandates), employment,
CoBRHA (care facilities with their HCO numbers) and the sector catalogue."""

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from accessportal import clock
from accessportal.identifiers import KboField, kbo_format
from identity.models import WORLD_MAX_LENGTH


def end_not_before_start(prefix: str, start: str = "start_date", end: str = "end_date"):
    return models.CheckConstraint(
        condition=Q(**{f"{end}__isnull": True}) | Q(**{f"{end}__gte": F(start)}),
        name=f"{prefix}_end_not_before_start",
        violation_error_message=_("De einddatum mag niet voor de begindatum liggen."),
    )


class CurrentQuerySet(models.QuerySet):
    """Rows with a start_date / end_date period; ``current()`` keeps those valid today."""

    def current(self, on=None):
        day = on or clock.today()
        return self.filter(start_date__lte=day).filter(Q(end_date__isnull=True) | Q(end_date__gte=day))


class Enterprise(models.Model):
    kbo = KboField(unique=True)
    name = models.CharField(_("Naam onderneming"), max_length=200, db_index=True)
    legal_form = models.CharField(_("Rechtsvorm"), max_length=60, blank=True)
    street = models.CharField(_("Straat en nummer"), max_length=200, blank=True)
    postal_code = models.CharField(_("Postcode"), max_length=10, blank=True)
    city = models.CharField(_("Gemeente"), max_length=100, blank=True)
    email = models.EmailField(_("E-mailadres"), blank=True)
    founded_on = models.DateField(_("Begindatum"), null=True, blank=True)
    world = models.CharField(  # "" for the real world, else its sandbox's key (see identity.models)
        _("wereld"), max_length=WORLD_MAX_LENGTH, blank=True, default="", editable=False
    )

    class Meta:
        ordering = ["name"]
        verbose_name = _("onderneming (KBO)")
        verbose_name_plural = _("ondernemingen (KBO)")

    def __str__(self):
        return f"{self.name} ({self.kbo_display})"

    @property
    def kbo_display(self) -> str:
        return kbo_format(self.kbo)

    @property
    def address(self) -> str:
        return ", ".join(part for part in (self.street, f"{self.postal_code} {self.city}".strip()) if part)


class LegalMandate(models.Model):
    """A legal function in the enterprise as the KBO records it (the "wettelijk vertegenwoordiger")."""

    person = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="legal_mandates"
    )
    enterprise = models.ForeignKey(Enterprise, on_delete=models.CASCADE, related_name="legal_mandates")
    function = models.CharField(_("Functie"), max_length=80, default="Bestuurder")
    start_date = models.DateField(_("Begindatum"))
    end_date = models.DateField(_("Einddatum"), null=True, blank=True)

    objects = CurrentQuerySet.as_manager()

    class Meta:
        ordering = ["enterprise__name", "start_date"]
        verbose_name = _("wettelijk mandaat")
        verbose_name_plural = _("wettelijke mandaten")
        constraints = [
            end_not_before_start("legalmandate"),
            models.UniqueConstraint(
                fields=["person", "enterprise", "function", "start_date"], name="legalmandate_unique"
            ),
        ]

    def __str__(self):
        return f"{self.person} - {self.function} - {self.enterprise.name}"


class Employment(models.Model):
    person = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="employments")
    enterprise = models.ForeignKey(Enterprise, on_delete=models.CASCADE, related_name="employments")
    start_date = models.DateField(_("Begindatum"))
    end_date = models.DateField(_("Einddatum"), null=True, blank=True)

    objects = CurrentQuerySet.as_manager()

    class Meta:
        ordering = ["enterprise__name", "start_date"]
        verbose_name = _("tewerkstelling")
        verbose_name_plural = _("tewerkstellingen")
        constraints = [
            end_not_before_start("employment"),
            models.UniqueConstraint(fields=["person", "enterprise", "start_date"], name="employment_unique"),
        ]

    def __str__(self):
        return f"{self.person} @ {self.enterprise.name}"


class SubdivisionType(models.Model):
    """A "subdivisie": the type of care facility (Gezondheidszorg, Thuiszorg, ...)."""

    code = models.SlugField(unique=True)
    name = models.CharField(_("Naam"), max_length=120, unique=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("subdivisie (type)")
        verbose_name_plural = _("subdivisies (types)")

    def __str__(self):
        return self.name


class Application(models.Model):
    """A "beveiligde toepassing" that can be authorised on a subafdeling and granted to a user."""

    code = models.SlugField(unique=True)
    name = models.CharField(_("Naam"), max_length=150, unique=True)
    description = models.TextField(_("Beschrijving"), blank=True)
    sort_order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["sort_order", "name"]
        verbose_name = _("beveiligde toepassing")
        verbose_name_plural = _("beveiligde toepassingen")

    def __str__(self):
        return self.name


class Hoedanigheid(models.Model):
    """A domain ("hoedanigheid"): a cluster of applications and the subdivisies it covers."""

    code = models.SlugField(unique=True)
    name = models.CharField(_("Naam"), max_length=120, unique=True)
    applications = models.ManyToManyField(Application, blank=True, related_name="hoedanigheden")
    subdivision_types = models.ManyToManyField(SubdivisionType, blank=True, related_name="hoedanigheden")
    sort_order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["sort_order", "name"]
        verbose_name = _("hoedanigheid")
        verbose_name_plural = _("hoedanigheden (catalogus)")

    def __str__(self):
        return self.name


class Facility(models.Model):
    """A care facility in CoBRHA, with its HCO number, belonging to an enterprise."""

    hco_number = models.CharField(_("HCO-nummer"), max_length=12, unique=True)
    enterprise = models.ForeignKey(Enterprise, on_delete=models.CASCADE, related_name="facilities")
    name = models.CharField(_("Naam"), max_length=200)
    subdivision_types = models.ManyToManyField(
        SubdivisionType, through="FacilityListing", related_name="facilities"
    )

    class Meta:
        ordering = ["name"]
        verbose_name = _("voorziening (CoBRHA)")
        verbose_name_plural = _("voorzieningen (CoBRHA)")
        constraints = [
            models.CheckConstraint(condition=Q(hco_number__regex=r"^[0-9]+$"), name="facility_hco_digits")
        ]

    def __str__(self):
        return f"{self.name} ({self.hco_number})"


class FacilityListing(models.Model):
    """CoBRHA lists a facility under a subdivisie with the name a subafdeling of it takes."""

    facility = models.ForeignKey(Facility, on_delete=models.CASCADE, related_name="listings")
    subdivision_type = models.ForeignKey(SubdivisionType, on_delete=models.PROTECT, related_name="listings")
    name = models.CharField(_("Naam van de subafdeling"), max_length=250)

    class Meta:
        ordering = ["name"]
        verbose_name = _("CoBRHA-registratie")
        verbose_name_plural = _("CoBRHA-registraties")
        constraints = [
            models.UniqueConstraint(fields=["facility", "subdivision_type"], name="facilitylisting_unique")
        ]

    def __str__(self):
        return f"{self.subdivision_type}: {self.name}"

    @property
    def label(self) -> str:
        """The name with the HCO number, once: "HUIZE TERLOO (201870)"; a CoBRHA name that already
        carries its number ("T SUSTERHUYIS (4085)") is shown as it is."""
        number = f"({self.facility.hco_number})"
        return self.name if number in self.name else f"{self.name} {number}"
