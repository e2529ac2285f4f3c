from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class VisibleChange(models.Model):
    """A change residents or the printed form can see, stored with the report of the
    results so far that § 5 of the ordinances wants archived before it.

    Written only by ``workflows.visible_changes``, in the same short transaction as the
    change itself and the report's archive entry: a row here always names the change's
    report, and a change that failed left no row (and no archived report).
    """

    class Kind(models.TextChoices):
        SURVEY_PUBLISH = "survey_publish", _("publikacja nowej wersji ankiety")
        OFFICE_DATA = "office_data", _("zmiana danych urzędu")
        DEPARTMENTS = "departments", _("zmiana listy wydziałów")

    office = models.ForeignKey("offices.Office", on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(_("zmiana"), max_length=20, choices=Kind.choices)
    # What changed, in words for the panel: a list of short Polish phrases.
    summary = models.JSONField(_("co zmieniono"), default=list)
    created_at = models.DateTimeField(_("kiedy"), default=timezone.now)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    actor_name = models.CharField(max_length=150, blank=True)
    report = models.ForeignKey(
        "reports.ArchivedReport",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("raport z dotychczasowych wyników"),
    )
    # The report's cut-off: it counts the responses submitted before this moment.
    report_as_of = models.DateTimeField(_("stan na"))
    # True: no response arrived since the previous § 5 report, so this change refers to it.
    report_reused = models.BooleanField(default=False)
    # The background job that made the change, when it ran as one (idempotent re-runs).
    job = models.ForeignKey(
        "jobs.Job", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["office", "-created_at"], name="visible_change_latest")]
        verbose_name = _("zmiana widoczna dla mieszkańców")
        verbose_name_plural = _("zmiany widoczne dla mieszkańców")

    def __str__(self):
        return f"{self.office_id} {self.kind} {self.created_at:%Y-%m-%d %H:%M}"
