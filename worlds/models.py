from django.db import models
from django.utils.translation import gettext_lazy as _

from accessportal import clock


class IssuedNumber(models.Model):
    """A number ``worlds.numbers`` handed out: the unique constraint makes two builds at once draw
    different numbers."""

    kind = models.CharField(max_length=4)
    number = models.CharField(max_length=12)
    issued_at = models.DateTimeField(default=clock.now)

    class Meta:
        verbose_name = _("uitgegeven nummer")
        verbose_name_plural = _("uitgegeven nummers")
        constraints = [models.UniqueConstraint(fields=["kind", "number"], name="issued_number_once")]

    def __str__(self):
        return f"{self.kind} {self.number}"
