from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from ocenurzad.offices.models import Office


class Survey(models.Model):
    """The office's questionnaire. Its content lives in versions; one is current."""

    office = models.OneToOneField(Office, on_delete=models.CASCADE, related_name="survey")
    current_version = models.ForeignKey(
        "SurveyVersion", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("ankieta")
        verbose_name_plural = _("ankiety")

    def __str__(self):
        return f"{self.office}"


class SurveyVersion(models.Model):
    """One version of the questionnaire. Once published its definition never changes.

    Written only by ``surveys.services`` (drafts are edited there with optimistic locking
    on ``revision``). The database itself refuses to change the definition, status, number,
    survey or office of a published row (a trigger, migration 0002), and allows one draft
    per survey (constraint ``survey_one_draft``).
    """

    class Status(models.TextChoices):
        DRAFT = "draft", _("szkic")
        PUBLISHED = "published", _("opublikowana")

    office = models.ForeignKey(Office, on_delete=models.CASCADE, related_name="survey_versions")
    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField(_("numer"))
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.DRAFT)
    definition = models.JSONField(_("definicja"))
    created_at = models.DateTimeField(auto_now_add=True)
    published_at = models.DateTimeField(null=True, blank=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    # Optimistic locking of a draft: every saved change adds one; a save that names an
    # older revision is refused (two administrators editing the same draft).
    revision = models.PositiveIntegerField(_("rewizja"), default=1)
    based_on = models.ForeignKey(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("na podstawie wersji"),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        ordering = ["survey", "number"]
        constraints = [
            models.UniqueConstraint(fields=["survey", "number"], name="survey_version_number"),
            models.UniqueConstraint(
                fields=["survey"], condition=models.Q(status="draft"), name="survey_one_draft"
            ),
        ]
        verbose_name = _("wersja ankiety")
        verbose_name_plural = _("wersje ankiety")

    def __str__(self):
        # Stored as the audit log's "Czego dotyczy" (audit_record keeps str(target)): words
        # an administrator reads, not "ksiazki v2" (the office is the log's own).
        if self.status == self.Status.DRAFT:
            return f"szkic wersji {self.number}"
        return f"wersja {self.number}"

    @property
    def code(self) -> str:
        """Printed on paper forms so a sheet can be matched to its version."""
        return f"{self.office.slug.upper()}-V{self.number}"

    @property
    def is_published(self) -> bool:
        return self.status == self.Status.PUBLISHED
