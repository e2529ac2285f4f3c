from django.db import models
from django.utils.translation import gettext_lazy as _

from ocenurzad.offices.models import Office
from ocenurzad.surveys.models import SurveyVersion


class PrintLayout(models.Model):
    """Where each answer box of a printed version lies on paper, in one language, as
    printed with one set of the office's details (``fingerprint``).

    The fingerprint covers every input besides the version that can move a box: the
    office's active departments, its header (name, address, logo), the language and the
    WeasyPrint version (``pdf.layout_fingerprint``). It is printed in each sheet's QR
    code, so a scanned sheet finds the layout it was printed with. Written on the first
    render with that fingerprint and never changed afterwards (``print_layout_store``).
    """

    office = models.ForeignKey(Office, on_delete=models.CASCADE, related_name="+")
    version = models.ForeignKey(
        SurveyVersion, on_delete=models.CASCADE, related_name="print_layouts"
    )
    language = models.CharField(_("język"), max_length=10)
    fingerprint = models.CharField(_("odcisk układu"), max_length=16)
    layout = models.JSONField(_("układ arkusza"))
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["version", "language", "fingerprint"],
                name="print_layout_version_language_fingerprint",
            ),
        ]
        verbose_name = _("układ arkusza do druku")
        verbose_name_plural = _("układy arkuszy do druku")

    def __str__(self):
        return f"{self.version} ({self.language}, {self.fingerprint})"
