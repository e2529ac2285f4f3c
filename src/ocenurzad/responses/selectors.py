from datetime import datetime, time

from django.db.models import Count, Q
from django.utils import timezone

from ocenurzad.offices.models import Office

from .models import Channel, Response


def response_counts(*, office: Office, now: datetime | None = None) -> dict:
    """Responses today / this month / this year (local time), by channel and department.

    One query for the totals and one for the departments, whatever the volume.
    """
    now = timezone.localtime(now or timezone.now())
    tz = timezone.get_current_timezone()
    day_start = datetime.combine(now.date(), time.min, tzinfo=tz)
    month_start = day_start.replace(day=1)
    year_start = day_start.replace(month=1, day=1)
    periods = {"today": day_start, "month": month_start, "year": year_start}
    base = Response.objects.filter(office=office, submitted_at__gte=year_start)
    aggregates = {}
    for name, start in periods.items():
        aggregates[f"{name}_total"] = Count("pk", filter=Q(submitted_at__gte=start))
        for channel in Channel.values:
            aggregates[f"{name}_{channel}"] = Count(
                "pk", filter=Q(submitted_at__gte=start, channel=channel)
            )
    totals = base.aggregate(**aggregates)
    by_department = (
        base.values("department__name")
        .annotate(
            today=Count("pk", filter=Q(submitted_at__gte=day_start)),
            month=Count("pk", filter=Q(submitted_at__gte=month_start)),
            year=Count("pk"),
        )
        .order_by("-year", "department__name")
    )
    return {
        "periods": [
            {
                "key": name,
                "total": totals[f"{name}_total"],
                "channels": {c: totals[f"{name}_{c}"] for c in Channel.values},
            }
            for name in periods
        ],
        "departments": list(by_department),
        # No kiosk mode exists yet: its column is shown only where kiosk answers do.
        "kiosk_used": bool(totals["year_kiosk"]),
    }
