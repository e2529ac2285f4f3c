"""The dashboard's parts that come from several apps, assembled here — above reports and
actions (neither imports the other): the yearly duty and the actions due."""

from django.utils import timezone

from ocenurzad.accounts.permissions import Perm, can
from ocenurzad.actions.reminders import nobody_reminded, yearly_report_archived
from ocenurzad.actions.selectors import actions_due


def dashboard_duties(*, office, user, today=None) -> dict:
    """What the manager must not miss: the previous year's report (archived or not),
    whether anyone would be reminded of it, and actions overdue or due within 14 days
    (for those who may see the register)."""
    today = today or timezone.localdate()
    year = today.year - 1
    duties = {
        "yearly": {
            "year": year,
            "archived": yearly_report_archived(office=office, year=year),
            "nobody_reminded": nobody_reminded(office=office),
        },
        "actions_due": None,
    }
    if can(user, office, Perm.ACTIONS):
        duties["actions_due"] = actions_due(office=office, today=today)
    return duties
