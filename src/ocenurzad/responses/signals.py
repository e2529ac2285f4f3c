"""What the responses app tells the apps above it, without importing them.

``responses_days_changed`` is sent inside the transaction of a change to stored responses
of past days — a paper sheet typed in back-dated, corrected (its old day and its new
one) or deleted — with ``office`` and ``days`` (a set of local dates). Receivers run in
that transaction, so what they do is committed with the change or not at all; reports
forgets its stored counters of those days (ReportsConfig.ready wires it).
"""

from django.dispatch import Signal

responses_days_changed = Signal()
