from django.core.validators import RegexValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

RESERVED_SLUGS = frozenset(
    {"admin", "static", "media", "www", "api", "baner", "pomoc", "operator", "platforma", "zdrowie"}
)

slug_validator = RegexValidator(
    r"^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$",
    _("Adres może zawierać tylko małe litery bez polskich znaków, cyfry i łączniki."),
)


class OfficeType(models.TextChoices):
    GMINA = "gmina", _("Urząd Gminy")
    MIASTO_GMINA = "miasto_gmina", _("Urząd Miasta i Gminy")
    MIASTO = "miasto", _("Urząd Miasta")
    STAROSTWO = "starostwo", _("Starostwo Powiatowe")
    MARSZALKOWSKI = "marszalkowski", _("Urząd Marszałkowski")
    INNY = "inny", _("Inny urząd")


class Office(models.Model):
    """An office (urząd): the tenant. Everything residents and staff see belongs to one."""

    slug = models.SlugField(
        _("adres (identyfikator)"), max_length=63, unique=True, validators=[slug_validator]
    )
    name = models.CharField(_("nazwa"), max_length=200)
    office_type = models.CharField(
        _("rodzaj"), max_length=20, choices=OfficeType.choices, default=OfficeType.GMINA
    )
    street_address = models.CharField(_("ulica i numer"), max_length=200, blank=True)
    postal_code = models.CharField(_("kod pocztowy"), max_length=6, blank=True)
    city = models.CharField(_("miejscowość"), max_length=100, blank=True)
    phone = models.CharField(_("telefon"), max_length=50, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    website = models.URLField(_("strona internetowa"), blank=True)
    bip_url = models.URLField(_("adres BIP"), blank=True)
    logo = models.FileField(_("logo"), upload_to="logos/", blank=True)
    languages = models.JSONField(_("języki ankiety"), default=list, blank=True)
    controller = models.CharField(
        _("administrator danych"),
        max_length=300,
        blank=True,
        help_text=_("Np. Burmistrz Miasta …, z siedzibą …"),
    )
    dpo_contact = models.CharField(
        _("kontakt do inspektora ochrony danych"), max_length=300, blank=True
    )
    accessibility_contact = models.CharField(
        _("kontakt w sprawie dostępności"), max_length=300, blank=True
    )
    opening_hours = models.TextField(_("godziny otwarcia"), blank=True)
    require_2fa = models.BooleanField(
        _("wymagaj logowania dwuetapowego"),
        default=False,
        help_text=_("Każde konto urzędu musi potwierdzać logowanie kodem z aplikacji."),
    )
    # The office's own networks (CIDR), e.g. the hall's guest Wi-Fi: residents there share
    # one public address, so they are counted together against a higher limit.
    networks = models.JSONField(_("sieci urzędu"), default=list, blank=True)
    is_active = models.BooleanField(_("aktywny"), default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("urząd")
        verbose_name_plural = _("urzędy")

    def __str__(self):
        return self.name

    @property
    def enabled_languages(self) -> list[str]:
        """Polish always, then the office's other languages in a stable order."""
        others = [code for code in ("en", "uk", "de") if code in (self.languages or [])]
        return ["pl", *others]

    @property
    def address_line(self) -> str:
        place = " ".join(p for p in (self.postal_code, self.city) if p)
        return ", ".join(p for p in (self.street_address, place) if p)


class OfficeDomain(models.Model):
    """A custom host name under which an office is also reached (e.g. ankieta.gmina.pl)."""

    office = models.ForeignKey(Office, on_delete=models.CASCADE, related_name="domains")
    domain = models.CharField(_("domena"), max_length=253, unique=True)

    class Meta:
        verbose_name = _("domena urzędu")
        verbose_name_plural = _("domeny urzędu")

    def __str__(self):
        return self.domain


class Department(models.Model):
    """A unit of the office (wydział, referat, biuro) that residents can name as visited."""

    office = models.ForeignKey(Office, on_delete=models.CASCADE, related_name="departments")
    name = models.CharField(_("nazwa"), max_length=200)
    # {"en": "…", "uk": "…", "de": "…"}: the name residents read in other languages; a
    # language without it is not offered to residents (surveys/languages.py).
    name_translations = models.JSONField(_("tłumaczenia nazwy"), default=dict, blank=True)
    position = models.PositiveIntegerField(_("kolejność"), default=0)
    is_active = models.BooleanField(_("aktywny"), default=True)
    # When residents could name it (local days, both included). Empty "from": since before
    # the system knew (departments set up with the office); empty "to": still open, or —
    # when switched off — not known when. Reports list a department without responses
    # only for periods it overlaps (departments_valid_in).
    valid_from = models.DateField(_("w ankiecie od"), null=True, blank=True)
    valid_to = models.DateField(_("w ankiecie do"), null=True, blank=True)

    class Meta:
        ordering = ["position", "name"]
        verbose_name = _("wydział")
        verbose_name_plural = _("wydziały")

    def __str__(self):
        return self.name

    def existed_during(self, start, end) -> bool:
        """Could residents name it on some day of ``start``..``end``? A department switched
        off at an unknown date is taken as not (its old responses still show it)."""
        if self.valid_from is not None and self.valid_from > end:
            return False
        if self.valid_to is not None:
            return self.valid_to >= start
        return self.is_active
