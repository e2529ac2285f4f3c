from django.db import models
from django.utils.translation import gettext_lazy as _

from ocenurzad.offices.models import Office
from ocenurzad.surveys.models import SurveyVersion


class PrintLayout(models.Model):
    """Where each answer box of a printed version lies on paper, in one language.

    Written on the first render of a published version and never changed afterwards:
    sheets printed at any time must match it (see ``print_layout_store``).
    """

    office = models.ForeignKey(Office, on_delete=models.CASCADE, related_name="+")
    version = models.ForeignKey(
        SurveyVersion, on_delete=models.CASCADE, related_name="print_layouts"
    )
    language = models.CharField(_("język"), max_length=10)
    layout = models.JSONField(_("układ arkusza"))
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["version", "language"], name="print_layout_version_language"
            ),
        ]
        verbose_name = _("układ arkusza do druku")
        verbose_name_plural = _("układy arkuszy do druku")

    def __str__(self):
        return f"{self.version} ({self.language})"
