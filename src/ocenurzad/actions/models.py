"""Corrective and improvement actions (działania naprawcze i doskonalące), § 4 of the
ordinances: what the report found, what the office does about it, who, by when, and
what changed afterwards.

An action names what it addresses by the survey's stable keys (items and areas), so it
keeps its meaning across survey versions; the labels are copied when the action is saved,
so an item that disappears from a later version is still named. Its history is the audit
log (every change is recorded there with the values before and after).
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class ActionKind(models.TextChoices):
    CORRECTIVE = "corrective", _("naprawcze")
    IMPROVEMENT = "improvement", _("doskonalące")


class ActionStatus(models.TextChoices):
    PLANNED = "planned", _("zaplanowane")
    IN_PROGRESS = "in_progress", _("w realizacji")
    DONE = "done", _("zakończone")
    DROPPED = "dropped", _("zaniechane")


class Action(models.Model):
    office = models.ForeignKey("offices.Office", on_delete=models.CASCADE, related_name="actions")
    year = models.PositiveSmallIntegerField(_("rok"))
    number = models.PositiveIntegerField(_("numer w roku"))
    title = models.CharField(_("tytuł"), max_length=200)
    kind = models.CharField(
        _("rodzaj"), max_length=20, choices=ActionKind.choices, default=ActionKind.CORRECTIVE
    )
    # [{"type": "item"|"area", "key": "...", "label": "..."}] — survey keys, labels copied.
    targets = models.JSONField(_("czego dotyczy"), default=list, blank=True)
    department = models.ForeignKey(
        "offices.Department",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("wydział"),
    )
    department_name = models.CharField(max_length=200, blank=True)
    hotspot_id = models.CharField(_("obszar do poprawy z raportu"), max_length=200, blank=True)
    finding = models.TextField(_("co stwierdzono"), blank=True)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("osoba odpowiedzialna (konto)"),
    )
    owner_name = models.CharField(_("osoba odpowiedzialna"), max_length=200, blank=True)
    deadline = models.DateField(_("termin"))
    status = models.CharField(
        _("stan"), max_length=20, choices=ActionStatus.choices, default=ActionStatus.PLANNED
    )
    started_on = models.DateField(_("rozpoczęto"), null=True, blank=True)
    done_on = models.DateField(_("zakończono"), null=True, blank=True)
    dropped_on = models.DateField(_("zaniechano"), null=True, blank=True)
    notes = models.TextField(_("uwagi"), blank=True)
    may_publish = models.BooleanField(_("można opublikować"), default=False)
    attachment = models.FileField(_("załącznik"), upload_to="actions/", blank=True)
    attachment_name = models.CharField(max_length=200, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-year", "-number"]
        verbose_name = _("działanie")
        verbose_name_plural = _("działania")
        constraints = [
            models.UniqueConstraint(
                fields=["office", "year", "number"], name="action_number_unique_in_office_year"
            )
        ]

    def __str__(self):
        return f"{self.code} {self.title}"

    @property
    def code(self) -> str:
        """DN/2026/03: działanie, year, number in the year."""
        return f"DN/{self.year}/{self.number:02d}"

    @property
    def owner_label(self) -> str:
        if self.owner_id and self.owner is not None:
            return self.owner.get_full_name() or self.owner.get_username()
        return self.owner_name
