from django.contrib.auth.hashers import check_password, make_password
from django.contrib.auth.models import AbstractBaseUser, BaseUserManager, PermissionsMixin
from django.db import models
from django.utils.translation import gettext_lazy as _

from accessportal import clock
from accessportal.identifiers import InszField, insz_birth_date, insz_clean, insz_format, insz_is_male

# The world a person or an enterprise belongs to: "" for the real one (the demo world included), the
# sandbox's key for the people and the enterprise of a training sandbox. A person is found for an
# enterprise only in the enterprise's own world (enterprises.selectors.person_for_enterprise), so a
# trainee never reaches a real person, and nobody outside a sandbox ever finds one of its people.
WORLD_MAX_LENGTH = 40


class Title(models.TextChoices):
    DE_HEER = "DE_HEER", _("De heer")
    MEVROUW = "MEVROUW", _("Mevrouw")
    JUFFROUW = "JUFFROUW", _("Juffrouw")


class Language(models.TextChoices):
    NL = "nl", _("Nederlands")
    FR = "fr", _("Frans")
    DE = "de", _("Duits")
    EN = "en", _("Engels")


class ItsmeCodeOrigin(models.TextChoices):
    """Where a person's itsme code comes from, which says whether the simulation can show it."""

    SIMULATED = "simulated", _("Gesimuleerd (getoond onder Mijn digitale sleutels)")
    DEMO = "demo", _("Code van de demowereld")
    OWN = "own", _("Eigen code (niet getoond)")


class PersonManager(BaseUserManager):
    use_in_migrations = True

    def _build(self, insz, password, **fields):
        number = insz_clean(insz)
        fields.setdefault("birth_date", insz_birth_date(number))
        fields.setdefault("title", Title.DE_HEER if insz_is_male(number) else Title.MEVROUW)
        person = self.model(insz=number, **fields)
        if password:
            person.set_password(password)
        else:
            person.set_unusable_password()
        person.full_clean(exclude=["password"])
        person.save(using=self._db)
        return person

    def create_user(self, insz, password=None, **fields):
        fields.setdefault("is_staff", False)
        fields.setdefault("is_superuser", False)
        return self._build(insz, password, **fields)

    def create_superuser(self, insz, password=None, **fields):
        fields["is_staff"] = True
        fields["is_superuser"] = True
        return self._build(insz, password, **fields)

    def get_by_natural_key(self, insz):
        from accessportal.identifiers import insz_compact

        return self.get(insz=insz_compact(insz))


class Person(AbstractBaseUser, PermissionsMixin):
    """A person as the national register knows them, keyed by INSZ; also the portal's user model.

    Every person can sign in with the simulated eID (INSZ + PIN); ``username`` and the password are
    the "gebruikersnaam en wachtwoord" key, ``itsme_phone`` with the itsme code the itsme one. Three
    wrong PINs block the card, three wrong itsme codes block itsme; either block, or an inactive
    account, refuses every key (``keys_blocked``).
    """

    insz = InszField(unique=True)
    last_name = models.CharField(_("Naam"), max_length=100)
    first_name = models.CharField(_("Voornaam"), max_length=100)
    title = models.CharField(_("Titel"), max_length=10, choices=Title.choices, default=Title.DE_HEER)
    birth_date = models.DateField(_("Geboortedatum"), null=True, blank=True)
    language = models.CharField(_("Taalkeuze"), max_length=2, choices=Language.choices, default=Language.NL)
    email = models.EmailField(_("E-mailadres"), blank=True)
    phone = models.CharField(_("Telefoon"), max_length=30, blank=True)
    username = models.CharField(_("Gebruikersnaam"), max_length=64, unique=True, null=True, blank=True)
    itsme_phone = models.CharField(_("GSM-nummer itsme"), max_length=30, blank=True, db_index=True)
    itsme_code = models.CharField(_("itsme-code (gehasht)"), max_length=128, blank=True)
    itsme_code_origin = models.CharField(
        _("herkomst van de itsme-code"), max_length=10, choices=ItsmeCodeOrigin.choices, blank=True
    )
    failed_itsme_attempts = models.PositiveSmallIntegerField(_("foute itsme-codes"), default=0)
    itsme_blocked_at = models.DateTimeField(_("itsme geblokkeerd sinds"), null=True, blank=True)
    pin = models.CharField(_("PIN-code (gehasht)"), max_length=128, blank=True)
    failed_pin_attempts = models.PositiveSmallIntegerField(_("foute PIN-pogingen"), default=0)
    card_blocked_at = models.DateTimeField(_("eID-kaart geblokkeerd sinds"), null=True, blank=True)
    is_staff = models.BooleanField(_("toegang tot de beheersite"), default=False)
    is_active = models.BooleanField(_("actief"), default=True)
    date_joined = models.DateTimeField(_("aangemaakt op"), default=clock.now)
    world = models.CharField(_("wereld"), max_length=WORLD_MAX_LENGTH, blank=True, default="", editable=False)

    objects = PersonManager()

    USERNAME_FIELD = "insz"
    REQUIRED_FIELDS = ["last_name", "first_name"]

    class Meta:
        ordering = ["last_name", "first_name"]
        verbose_name = _("persoon")
        verbose_name_plural = _("personen (rijksregister)")
        indexes = [models.Index(fields=["last_name", "first_name"])]
        constraints = [
            models.UniqueConstraint(
                fields=["itsme_phone"], condition=~models.Q(itsme_phone=""), name="one_itsme_per_phone"
            )
        ]

    def __str__(self):
        return self.full_name

    @property
    def full_name(self) -> str:
        return f"{self.first_name} {self.last_name}".strip()

    @property
    def insz_display(self) -> str:
        return insz_format(self.insz)

    def get_full_name(self):
        return self.full_name

    def get_short_name(self):
        return self.first_name

    def set_pin(self, raw_pin: str) -> None:
        self.pin = make_password(raw_pin)

    def check_pin(self, raw_pin: str) -> bool:
        return _check_secret(raw_pin, self.pin)

    def set_itsme_code(self, raw_code: str, *, origin: str) -> None:
        """Store the itsme code hashed. A code the simulation shows anyway (the demo world's, a
        sandbox person's) gets the cheap hash of sandbox PINs (training/hashers.py): its cost would
        protect nothing, and the demo world is reloaded while a trainer waits. What protects a 5-digit
        code is the block after three wrong tries; a person's own code gets the default hasher."""
        hasher = "default" if origin == ItsmeCodeOrigin.OWN else "pbkdf2_sandbox_pin"
        self.itsme_code = make_password(raw_code, hasher=hasher)
        self.itsme_code_origin = origin

    def check_itsme_code(self, raw_code: str) -> bool:
        return _check_secret(raw_code, self.itsme_code)

    @property
    def itsme_code_shown(self) -> str:
        """The itsme code as the simulation shows it to its owner ("" when it was chosen privately:
        only its hash is known)."""
        from identity.tokens import DEMO_ITSME_CODE, itsme_code

        if self.itsme_code_origin == ItsmeCodeOrigin.SIMULATED:
            return itsme_code(self.insz)
        if self.itsme_code_origin == ItsmeCodeOrigin.DEMO:
            return DEMO_ITSME_CODE
        return ""

    @property
    def itsme_phone_display(self) -> str:
        """ "+32 470 12 34 56" for a Belgian mobile number, else "+" and the digits."""
        digits = self.itsme_phone
        if not digits:
            return ""
        if len(digits) == 11 and digits.startswith("324"):
            return f"+32 {digits[2:5]} {digits[5:7]} {digits[7:9]} {digits[9:]}"
        return f"+{digits}"

    @property
    def card_blocked(self) -> bool:
        return self.card_blocked_at is not None

    @property
    def itsme_blocked(self) -> bool:
        return self.itsme_blocked_at is not None

    @property
    def keys_blocked(self) -> bool:
        """Every digital key is refused: the eID card or itsme is blocked, or the account is inactive."""
        return self.card_blocked or self.itsme_blocked or not self.is_active


def _check_secret(raw: str, encoded: str) -> bool:
    """Check a PIN or itsme code against its hash. Without a hash, hash the given value anyway, so that
    a person without one answers as slowly as a wrong guess."""
    if not encoded:
        make_password(raw or "")
        return False
    return check_password(raw or "", encoded)
