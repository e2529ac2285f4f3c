"""``{{ office.name|pl_name }}``: an office-entered proper name (name, address, controller,
contacts) shown on a page in another language keeps Polish, so it carries ``lang="pl"``
(WCAG 3.1.2) and screen readers pronounce it as Polish."""

from django import template
from django.utils.html import format_html
from django.utils.translation import get_language

register = template.Library()


@register.filter
def pl_name(value):
    if value in (None, ""):
        return ""
    if (get_language() or "pl") == "pl":
        return value
    return format_html('<span lang="pl">{}</span>', value)
