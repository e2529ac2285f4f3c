from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ocenurzad.offices.models import Office

# --- Report rollups (reports/rollups.py) -------------------------------------------------


class ReportRollup(models.Model):
    """The counters of one office's closed day or closed month, kept so that a report
    does not have to read every raw answer again.

    Derived data only: any row may be deleted at any time and is rebuilt from the raw
    responses when a report needs it (``rollups.py``). ``cells`` and ``texts`` have the
    shape documented there; rows whose ``schema`` is not the current one are rebuilt.
    A row exists only for a period that is over (never today, never this month): see
    ``services.rollups_invalidate`` for what keeps a stored row true.
    """

    class Granularity(models.TextChoices):
        DAY = "day", _("dzień")
        MONTH = "month", _("miesiąc")

    office = models.ForeignKey(Office, on_delete=models.CASCADE, related_name="+")
    granularity = models.CharField(max_length=5, choices=Granularity.choices)
    period_start = models.DateField()
    schema = models.PositiveSmallIntegerField()
    responses = models.PositiveIntegerField(default=0)
    cells = models.JSONField(default=dict)
    # The breakdowns by respondents' answers ("s") of each cell but "*", kept apart: most
    # of a rollup's figures, and read only by a report filtered to a department or channel.
    segments = models.JSONField(default=dict)
    texts = models.TextField(blank=True, default="")
    built_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["office", "granularity", "period_start"], name="report_rollup_period"
            ),
        ]
        verbose_name = _("podsumowanie okresu")
        verbose_name_plural = _("podsumowania okresów")

    def __str__(self):
        return f"{self.office_id} {self.granularity} {self.period_start}"


# --- Report archive (reports/archive.py) ------------------------------------------------


def _archived_report_path(instance, filename: str) -> str:
    """reports/<office slug>/<year>/<name>-<local time>.<ext>: one folder per office."""
    when = timezone.localtime(instance.created_at or timezone.now())
    stem, dot, extension = filename.rpartition(".")
    if not dot:
        stem, extension = filename, "bin"
    return f"reports/{instance.office.slug}/{when:%Y}/{stem}-{when:%Y%m%d-%H%M%S}.{extension}"


class RollupEpoch(models.Model):
    """How many times an office's stored rollups have been invalidated so far.

    A build reads the raw responses and adds them up outside any write transaction (on
    SQLite that transaction would lock out every resident while it counts), then stores
    its rollups in a short transaction only if the epoch is still the one it read before
    reading: an invalidation that ran meanwhile (``services.rollups_invalidate``, which
    raises it in the transaction of the change) means the figures may be stale, and
    they are not stored (rollups/store.py).
    """

    office = models.OneToOneField(
        Office, on_delete=models.CASCADE, primary_key=True, related_name="+"
    )
    number = models.BigIntegerField(default=0)

    def __str__(self):
        return f"{self.office_id} epoch {self.number}"


class ArchivedReportChangeRefused(Exception):
    """An archived report is a record: it is written once and never changed."""


class ArchivedReportQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise ArchivedReportChangeRefused("archived reports cannot be changed")


class ArchivedReport(models.Model):
    """A generated report kept unchanged: parameters, figures, the PDF, the comments
    annex (CSV and XLSX) and the SHA-256 of each file.

    Created only by ``reports.archive.archived_report_create``; never updated. The same
    parameters with the same figures are archived once (``content_key``).
    """

    class Reason(models.TextChoices):
        ON_REQUEST = "on_request", _("na żądanie")
        BEFORE_SURVEY_CHANGE = "before_survey_change", _("przed zmianą ankiety")
        BEFORE_OFFICE_CHANGE = "before_office_change", _("przed zmianą danych urzędu")
        SCHEDULED = "scheduled", _("planowy")

    office = models.ForeignKey(
        "offices.Office", on_delete=models.CASCADE, related_name="archived_reports"
    )
    created_at = models.DateTimeField(_("wygenerowano"), default=timezone.now)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("wygenerował(a)"),
    )
    # The name as it was, kept when the account is later removed.
    created_by_name = models.CharField(_("wygenerował(a)"), max_length=300, blank=True)
    reason = models.CharField(_("powód archiwizacji"), max_length=32, choices=Reason.choices)
    params = models.JSONField(_("parametry"))
    period_start = models.DateField(_("od dnia"))
    period_end = models.DateField(_("do dnia"))
    figures = models.JSONField(_("wyniki"))
    pdf = models.FileField(_("raport PDF"), upload_to=_archived_report_path, max_length=300)
    sha256 = models.CharField(_("suma kontrolna SHA-256"), max_length=64)
    note = models.TextField(_("notatka"), blank=True)
    # What the person archiving it typed as the reason (``reason`` says how it was made).
    purpose = models.CharField(_("powód"), max_length=300, blank=True)
    # SHA-256 of the parameters and figures (not of the time or author): one entry each.
    content_key = models.CharField(_("klucz treści"), max_length=64, blank=True)
    comments_csv = models.FileField(
        _("odpowiedzi otwarte (CSV)"), upload_to=_archived_report_path, max_length=300, blank=True
    )
    comments_csv_sha256 = models.CharField(_("suma SHA-256 pliku CSV"), max_length=64, blank=True)
    comments_xlsx = models.FileField(
        _("odpowiedzi otwarte (XLSX)"), upload_to=_archived_report_path, max_length=300, blank=True
    )
    comments_xlsx_sha256 = models.CharField(_("suma SHA-256 pliku XLSX"), max_length=64, blank=True)

    objects = ArchivedReportQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["office", "-created_at"], name="archived_report_latest")]
        constraints = [
            models.UniqueConstraint(
                fields=["office", "content_key"],
                condition=~models.Q(content_key=""),
                name="archived_report_once",
            )
        ]
        verbose_name = _("raport w archiwum")
        verbose_name_plural = _("archiwum raportów")

    def __str__(self):
        return f"{self.office.slug} {self.period_start}–{self.period_end} nr {self.pk}"

    def save(self, *args, **kwargs):
        # Integrity, not business logic: a record handed out as evidence must stay as it
        # was generated, whatever code path tries to save it again.
        if not self._state.adding:
            raise ArchivedReportChangeRefused("archived reports cannot be changed")
        super().save(*args, **kwargs)
