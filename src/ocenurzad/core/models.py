from django.db import models


class ThrottleCounter(models.Model):
    """A fixed-window counter of one client (or account) for one purpose.

    Kept in the database, not the cache: a cache evicts entries when it fills up, and an
    attacker who can fill it (junk logins from many addresses) could evict a lock. The key
    is a hash (core/clients.py); rows of windows that are over are purged nightly.
    """

    counter_key = models.CharField(max_length=64, primary_key=True)
    # The window this count belongs to ends at this Unix time (seconds).
    window_end = models.BigIntegerField(db_index=True)
    hits = models.PositiveIntegerField(default=0)

    def __str__(self):
        return f"{self.counter_key[:8]}… {self.hits}"
