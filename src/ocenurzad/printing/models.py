from django.conf import settings
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


class PrintBatch(models.Model):
    """A printed batch of numbered sheets: which numbers were printed as which version,
    in which language and layout, by whom and when.

    Paper entry reads it so that a sheet number selects the form of its version, or is
    refused with a message naming that version (a sheet printed as version 1 never goes
    silently into the version 2 form). Written by ``print_batch_record``, never changed.
    """

    office = models.ForeignKey(Office, on_delete=models.CASCADE, related_name="+")
    version = models.ForeignKey(SurveyVersion, on_delete=models.PROTECT, related_name="+")
    language = models.CharField(_("język"), max_length=10)
    fingerprint = models.CharField(_("odcisk układu"), max_length=16, blank=True)
    first_number = models.PositiveIntegerField(_("pierwszy numer"))
    last_number = models.PositiveIntegerField(_("ostatni numer"))
    printed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    printed_at = models.DateTimeField(_("wydrukowano"))

    class Meta:
        indexes = [
            models.Index(fields=["office", "first_number"], name="print_batch_office_first"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(first_number__lte=models.F("last_number")),
                name="print_batch_range_ordered",
            ),
        ]
        verbose_name = _("partia ponumerowanych arkuszy")
        verbose_name_plural = _("partie ponumerowanych arkuszy")

    def __str__(self):
        return f"{self.first_number}–{self.last_number} ({self.language})"
