"""Scanned paper forms read back: one upload (ScanImport) of files, their pages, the sheets
the pages make, and the two queues a person works through (ScanQuestion: a doubtful mark
or an unreadable code; ScanComment: handwriting to type in).

Images (the files, the straightened pages, the crops) are personal data: they live under
``SCANS_ROOT`` (outside the media files and the backups) and are deleted
``SCANS_KEEP_HOURS`` after their sheet is stored or refused (``scans_purge``). The rows
keep only what is needed for the import protocol and for recognising a stack scanned
again (hashes, sheet numbers).
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from ocenurzad.offices.models import Office
from ocenurzad.responses.models import Response
from ocenurzad.surveys.models import SurveyVersion


class ScanImport(models.Model):
    class State(models.TextChoices):
        QUEUED = "queued", _("czeka na odczytanie")
        RUNNING = "running", _("w trakcie odczytywania")
        DONE = "done", _("odczytane")
        FAILED = "failed", _("przerwane przez błąd")

    office = models.ForeignKey(Office, on_delete=models.CASCADE, related_name="scan_imports")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    filled_on = models.DateField(_("data wypełnienia ankiet"))
    period_start = models.DateField(_("początek okresu zbierania"), null=True, blank=True)
    confirm_unnumbered = models.BooleanField(_("arkusze bez numeru potwierdzone"), default=False)
    state = models.CharField(max_length=10, choices=State.choices, default=State.QUEUED)
    pages_total = models.PositiveIntegerField(default=0)
    pages_done = models.PositiveIntegerField(default=0)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    message = models.TextField(blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("wczytanie skanów")
        verbose_name_plural = _("wczytania skanów")

    def __str__(self):
        return f"{self.office.slug} skany #{self.pk}"


class ScanFile(models.Model):
    class State(models.TextChoices):
        WAITING = "waiting", _("czeka")
        READ = "read", _("odczytany")
        DUPLICATE = "duplicate", _("już wczytany")
        REFUSED = "refused", _("odrzucony")

    office = models.ForeignKey(Office, on_delete=models.CASCADE, related_name="+")
    scan_import = models.ForeignKey(ScanImport, on_delete=models.CASCADE, related_name="files")
    position = models.PositiveIntegerField(default=0)
    name = models.CharField(max_length=255)
    size = models.BigIntegerField(default=0)
    sha256 = models.CharField(max_length=64, db_index=True)
    path = models.CharField(max_length=500, blank=True)  # under SCANS_ROOT; "" once deleted
    state = models.CharField(max_length=10, choices=State.choices, default=State.WAITING)
    pages = models.PositiveIntegerField(default=0)
    message = models.TextField(blank=True)

    class Meta:
        ordering = ["scan_import", "position", "pk"]
        verbose_name = _("plik skanów")
        verbose_name_plural = _("pliki skanów")

    def __str__(self):
        return self.name


class ScanSheet(models.Model):
    class State(models.TextChoices):
        WAITING = "waiting", _("czeka na sprawdzenie")
        CONFIRM = "confirm", _("czeka na potwierdzenie stosu")
        STORED = "stored", _("zapisany")
        BLANK = "blank", _("pusty — pominięty")
        REFUSED = "refused", _("odrzucony")

    office = models.ForeignKey(Office, on_delete=models.CASCADE, related_name="+")
    scan_import = models.ForeignKey(ScanImport, on_delete=models.CASCADE, related_name="sheets")
    version = models.ForeignKey(SurveyVersion, on_delete=models.PROTECT, related_name="+")
    language = models.CharField(max_length=10)
    fingerprint = models.CharField(max_length=16)
    sheet_number = models.PositiveIntegerField(null=True, blank=True)
    position = models.PositiveIntegerField(default=0)  # order in the stack
    state = models.CharField(max_length=10, choices=State.choices, default=State.WAITING)
    answers = models.JSONField(default=dict)  # key -> [values] as read (and confirmed)
    message = models.TextField(blank=True)
    response = models.ForeignKey(
        Response, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    done_at = models.DateTimeField(null=True, blank=True)  # stored, skipped or refused

    class Meta:
        ordering = ["scan_import", "position", "pk"]
        verbose_name = _("arkusz ze skanu")
        verbose_name_plural = _("arkusze ze skanów")

    def __str__(self):
        number = f"nr {self.sheet_number}" if self.sheet_number else f"poz. {self.position}"
        return f"arkusz {number}"


class ScanPage(models.Model):
    class State(models.TextChoices):
        READ = "read", _("odczytana")
        BLANK = "blank", _("pusta — pominięta")
        DUPLICATE = "duplicate", _("już wczytana")
        UNREADABLE = "unreadable", _("kod nieczytelny — do przypisania")
        REFUSED = "refused", _("odrzucona")

    office = models.ForeignKey(Office, on_delete=models.CASCADE, related_name="+")
    scan_file = models.ForeignKey(ScanFile, on_delete=models.CASCADE, related_name="page_set")
    index = models.PositiveIntegerField()  # from 0 in its file
    image_sha256 = models.CharField(max_length=64, db_index=True)
    state = models.CharField(max_length=12, choices=State.choices)
    message = models.TextField(blank=True)
    code_text = models.CharField(max_length=120, blank=True)
    sheet = models.ForeignKey(
        ScanSheet, on_delete=models.SET_NULL, null=True, blank=True, related_name="pages"
    )
    page_no = models.PositiveIntegerField(null=True, blank=True)  # from 0 within the sheet
    measured = models.JSONField(default=dict)  # box scores and text ink (no image)
    image = models.CharField(max_length=500, blank=True)  # under SCANS_ROOT; "" once deleted

    class Meta:
        ordering = ["scan_file", "index"]
        verbose_name = _("strona skanu")
        verbose_name_plural = _("strony skanów")

    def __str__(self):
        return f"{self.scan_file.name} s. {self.index + 1}"


class ScanQuestion(models.Model):
    """Do sprawdzenia: a doubtful mark (``key`` set) or a page whose code cannot be read
    (``key`` empty, ``page`` set)."""

    office = models.ForeignKey(Office, on_delete=models.CASCADE, related_name="+")
    sheet = models.ForeignKey(
        ScanSheet, on_delete=models.CASCADE, null=True, blank=True, related_name="questions"
    )
    page = models.ForeignKey(ScanPage, on_delete=models.CASCADE, related_name="questions")
    key = models.CharField(max_length=100, blank=True)
    reason = models.CharField(max_length=200, blank=True)
    options = models.JSONField(default=list)  # [{"code", "value", "label"}]
    multiple = models.BooleanField(default=False)
    read_values = models.JSONField(default=list)  # what the reader thought
    crop = models.CharField(max_length=500, blank=True)
    answer = models.JSONField(null=True, blank=True)  # [values]; [] = no answer
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    answered_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["pk"]
        verbose_name = _("pytanie do sprawdzenia")
        verbose_name_plural = _("pytania do sprawdzenia")

    def __str__(self):
        return f"{self.sheet} · {self.key or 'kod'}"


class ScanComment(models.Model):
    """Do przepisania: handwriting in a free-text area, shown as an image to type in."""

    class State(models.TextChoices):
        WAITING = "waiting", _("do przepisania")
        TYPED = "typed", _("przepisany")
        SKIPPED = "skipped", _("pominięty")

    office = models.ForeignKey(Office, on_delete=models.CASCADE, related_name="+")
    sheet = models.ForeignKey(ScanSheet, on_delete=models.CASCADE, related_name="comments")
    key = models.CharField(max_length=100)
    crop = models.CharField(max_length=500, blank=True)
    state = models.CharField(max_length=10, choices=State.choices, default=State.WAITING)
    done_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    done_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["pk"]
        verbose_name = _("uwaga do przepisania")
        verbose_name_plural = _("uwagi do przepisania")

    def __str__(self):
        return f"{self.sheet} · {self.key}"
