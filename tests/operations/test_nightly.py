"""`manage.py nightly`: what is kept only for a while is gone the next morning, what is
still in use stays, and the report counters are warmed in the same run."""

import time
from datetime import timedelta
from io import StringIO

import pytest
from axes.models import AccessAttempt
from django.contrib.sessions.backends.db import SessionStore
from django.contrib.sessions.models import Session
from django.core.management import call_command
from django.utils import timezone

from ocenurzad.core.models import ThrottleCounter
from ocenurzad.responses.models import SubmitCounter, UsedFormToken
from ocenurzad.responses.ratelimit import submit_rate

pytestmark = pytest.mark.django_db


def _session(expires_in: timedelta) -> str:
    store = SessionStore()
    store["x"] = 1
    store.create()
    Session.objects.filter(pk=store.session_key).update(expire_date=timezone.now() + expires_in)
    return store.session_key


def test_nightly_purges_what_is_over_and_keeps_what_is_in_use(office, settings):
    now = timezone.now()
    old_session, live_session = _session(timedelta(seconds=-1)), _session(timedelta(hours=1))
    UsedFormToken.objects.create(nonce="stary", used_at=now - timedelta(days=2))
    UsedFormToken.objects.create(nonce="swiezy", used_at=now)
    _limit, window = submit_rate()
    period = int(time.time()) // window
    SubmitCounter.objects.create(counter_key="a" * 64, period_no=period - 1, hits=3)
    SubmitCounter.objects.create(counter_key="b" * 64, period_no=period, hits=3)
    ThrottleCounter.objects.create(counter_key="c" * 64, window_end=int(time.time()) - 1, hits=9)
    ThrottleCounter.objects.create(counter_key="d" * 64, window_end=int(time.time()) + 900, hits=9)
    for username, age in (("stara-proba", 2), ("nowa-proba", 0)):
        attempt = AccessAttempt.objects.create(username=username, failures_since_start=5)
        AccessAttempt.objects.filter(pk=attempt.pk).update(
            attempt_time=now - timedelta(hours=settings.AXES_COOLOFF_TIME * age)
        )

    out = StringIO()
    call_command("nightly", stdout=out)

    assert list(Session.objects.values_list("pk", flat=True)) == [live_session]
    assert old_session != live_session
    assert list(UsedFormToken.objects.values_list("pk", flat=True)) == ["swiezy"]
    assert list(SubmitCounter.objects.values_list("pk", flat=True)) == ["b" * 64]
    assert list(ThrottleCounter.objects.values_list("pk", flat=True)) == ["d" * 64]
    assert list(AccessAttempt.objects.values_list("username", flat=True)) == ["nowa-proba"]
    text = out.getvalue()
    assert "wygasłe sesje panelu: 1" in text
    assert f"{office.slug}:" in text  # reports_warm ran in the same command
