"""``{{ office.name|pl_name }}``: an office-entered text (name, address, controller,
contacts) shown on a page in another language keeps Polish, so it carries ``lang="pl"``
(WCAG 3.1.2) and screen readers pronounce it as Polish."""

from django import template
from django.utils.html import conditional_escape, format_html
from django.utils.safestring import mark_safe
from django.utils.translation import get_language

register = template.Library()


@register.filter
def pl_name(value):
    if value in (None, ""):
        return ""
    if (get_language() or "pl") == "pl":
        return value
    return format_html('<span lang="pl">{}</span>', value)


@register.simple_tag
def lang_pl():
    """`` lang="pl"`` on an element whose whole text the office entered in Polish (an
    ``<option>``, a heading), on a page in another language; nothing on a Polish page."""
    if (get_language() or "pl") == "pl":
        return ""
    return mark_safe(' lang="pl"')


def pl_format(message, *args, **names):
    """``message % names`` (or ``% args``) as HTML, each value an office-entered Polish
    text marked as ``pl_name`` marks it; the message itself escaped."""
    if args:
        values = tuple(conditional_escape(pl_name(value)) for value in args)
    else:
        values = {key: conditional_escape(pl_name(value)) for key, value in names.items()}
    return mark_safe(conditional_escape(message) % values)  # noqa: S308 - all escaped
