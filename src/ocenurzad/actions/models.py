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


class ReminderSettings(models.Model):
    """Who keeps the office's yearly duty, and when the reminders go out.

    The person responsible named in the office's ordinance (§ 6) always receives the
    yearly-report reminder, whatever anyone's own mail setting."""

    office = models.OneToOneField(
        "offices.Office", on_delete=models.CASCADE, related_name="reminder_settings"
    )
    responsible_name = models.CharField(
        _("osoba odpowiedzialna wskazana w zarządzeniu"), max_length=200, blank=True
    )
    responsible_email = models.EmailField(_("e-mail osoby odpowiedzialnej"), blank=True)
    yearly_report_month = models.PositiveSmallIntegerField(
        _("miesiąc przypomnienia o raporcie rocznym"), default=1
    )
    scheduled_archive = models.BooleanField(
        _("archiwizuj raport roczny automatycznie po terminie"), default=True
    )
    grace_day = models.PositiveSmallIntegerField(_("dzień stycznia, po którym"), default=31)
    deadline_days = models.PositiveSmallIntegerField(
        _("przypomnij o terminie działania tyle dni wcześniej"), default=7
    )
    monthly_digest = models.BooleanField(_("comiesięczne podsumowanie"), default=False)

    class Meta:
        verbose_name = _("przypomnienia urzędu")
        verbose_name_plural = _("przypomnienia urzędów")

    def __str__(self):
        return str(self.office)


class ReminderOptOut(models.Model):
    """A staff member who does not want reminder mails (the responsible person's yearly
    reminder goes out anyway: it is sent to the address in ReminderSettings)."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="reminder_opt_out"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self):
        return str(self.user)


class ReminderClaim(models.Model):
    """One mail, claimed before it is sent: the unique key makes two runs (or two machines
    at once) send it once. ``sent_at`` stays empty when sending failed; a later run does
    not retry a claimed mail (a person gets at most one)."""

    office = models.ForeignKey("offices.Office", on_delete=models.CASCADE, related_name="+")
    key = models.CharField(max_length=200)
    recipient = models.EmailField()
    claimed_at = models.DateTimeField(auto_now_add=True)
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["key", "recipient"], name="reminder_once_per_key")
        ]

    def __str__(self):
        return f"{self.key} → {self.recipient}"
