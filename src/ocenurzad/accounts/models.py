from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    OPERATOR = "operator", _("operator platformy")
    OFFICE_ADMIN = "office_admin", _("administrator urzędu")
    REPORTER = "reporter", _("raporty")
    CLERK = "clerk", _("wprowadzanie ankiet papierowych")


class User(AbstractUser):
    """A staff account. Belongs to one office, except the platform operator."""

    office = models.ForeignKey(
        "offices.Office", on_delete=models.PROTECT, null=True, blank=True, related_name="staff"
    )
    role = models.CharField(_("rola"), max_length=20, choices=Role.choices, default=Role.CLERK)
    # Granted by an office administrator to a named reporter (accounts.permissions).
    raw_export = models.BooleanField(_("pobieranie odpowiedzi ankieta po ankiecie"), default=False)

    class Meta:
        verbose_name = _("konto")
        verbose_name_plural = _("konta")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(role="operator") | models.Q(office__isnull=False),
                name="staff_account_has_office",
            )
        ]

    def __str__(self):
        return self.get_full_name() or self.username
