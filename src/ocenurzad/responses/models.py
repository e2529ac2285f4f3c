from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from ocenurzad.offices.models import Department, Office
from ocenurzad.surveys.models import SurveyVersion


class Channel(models.TextChoices):
    ONLINE = "online", _("internet")
    PAPER = "paper", _("papierowa")
    KIOSK = "kiosk", _("kiosk")


class Response(models.Model):
    """One filled-in survey. Anonymous: nothing here identifies the resident."""

    office = models.ForeignKey(Office, on_delete=models.CASCADE, related_name="responses")
    version = models.ForeignKey(SurveyVersion, on_delete=models.PROTECT, related_name="responses")
    channel = models.CharField(_("kanał"), max_length=10, choices=Channel.choices)
    source = models.CharField(_("źródło"), max_length=32, blank=True)
    language = models.CharField(_("język"), max_length=8, default="pl")
    department = models.ForeignKey(
        Department, on_delete=models.PROTECT, null=True, blank=True, related_name="responses"
    )
    # A paper sheet from an urn emptied now and then has no day, only the period it was
    # collected in: both ends are stored, and ``submitted_at`` is the period's middle day
    # (local noon), the day reports count it on (responses/paper/dates.py).
    submitted_at = models.DateTimeField(_("data wypełnienia"))
    period_start = models.DateField(_("początek okresu zebrania"), null=True, blank=True)
    period_end = models.DateField(_("koniec okresu zebrania"), null=True, blank=True)
    answers = models.JSONField(_("odpowiedzi"), default=dict)
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    sheet_number = models.PositiveIntegerField(_("numer arkusza"), null=True, blank=True)
    # When a clerk typed a paper sheet in (its correction window starts here).
    entered_at = models.DateTimeField(_("data wprowadzenia"), null=True, blank=True)

    class Meta:
        indexes = [
            models.Index(fields=["office", "submitted_at"], name="response_office_time"),
            models.Index(
                fields=["office", "entered_by", "entered_at"], name="response_paper_recent"
            ),
            # The few responses dated by a period, for the report's note about them.
            models.Index(
                fields=["office", "submitted_at"],
                name="response_period_time",
                condition=models.Q(period_start__isnull=False),
            ),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["office", "sheet_number"],
                name="response_sheet_number_unique",
                condition=models.Q(sheet_number__isnull=False),
            ),
            # A period has both ends, the start before the end; a day has neither.
            models.CheckConstraint(
                condition=models.Q(period_start__isnull=True, period_end__isnull=True)
                | models.Q(
                    period_start__isnull=False,
                    period_end__isnull=False,
                    period_start__lt=models.F("period_end"),
                ),
                name="response_period_ordered",
            ),
        ]
        verbose_name = _("wypełniona ankieta")
        verbose_name_plural = _("wypełnione ankiety")

    def __str__(self):
        return f"{self.office.slug} #{self.pk}"


class UsedFormToken(models.Model):
    """Marks a survey form token as spent, in the same transaction as its response.

    Rows are removed once the token could no longer be used anyway.
    """

    nonce = models.CharField(max_length=32, primary_key=True)
    used_at = models.DateTimeField(db_index=True)

    def __str__(self):
        return self.nonce


class SubmitCounter(models.Model):
    """Accepted survey submissions of one client at one office in the current window.

    The client is known only by a salted hash that changes daily (core/clients.py), and
    the row is counted up in the same transaction that stores the response, so a refused
    or failed submission counts nothing. Old windows are purged.
    """

    counter_key = models.CharField(max_length=64, primary_key=True)
    period_no = models.BigIntegerField()
    hits = models.PositiveIntegerField(default=0)

    def __str__(self):
        return f"{self.counter_key[:8]}… {self.hits}"
