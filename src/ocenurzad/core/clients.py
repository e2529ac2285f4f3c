"""Knowing a client again for a short while without storing its address.

Every per-client limit (survey submissions, the login client lock, password-reset mail)
keys on ``client_hash``: an HMAC of the client's *network* — the IPv4 address, or the /64
of an IPv6 address (one household or phone gets a whole /64 and can pick any address in
it, so counting single IPv6 addresses would let one client through 2^64 times) — with a
salt derived from SECRET_KEY, the purpose and the date.

What this protects, precisely:
- The address itself is never written anywhere (database, cache, log).
- Someone who gets a counter key *without* SECRET_KEY (a stolen backup that leaves the
  key out, a log reader) cannot map it back to an address.
- Someone *with* SECRET_KEY can: there are only 2^32 IPv4 addresses, so hashing each one
  with the day's salt and comparing takes minutes. The daily change of the salt does not
  stop this (the salt is recomputable from SECRET_KEY and the date); it only means that
  keys of different days cannot be linked without the key. What limits the harm then is
  what the counters hold: a count per office and time window, no time of day finer than
  the window, no link to any response (answers carry no client key), and rows of windows
  that are over are deleted (nightly, ``manage.py nightly``). Backups leave the counter
  tables out (``manage.py backup``), so an old backup holds no key at all.
"""

import hashlib
import hmac
import ipaddress

from django.conf import settings
from django.utils import timezone

IPV6_PREFIX = 64


def client_address(request) -> str:
    if settings.NUM_PROXIES:
        hops = [h.strip() for h in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
        hops = [h for h in hops if h]
        if len(hops) >= settings.NUM_PROXIES:
            return hops[-settings.NUM_PROXIES]
    return request.META.get("REMOTE_ADDR", "")


def parse_address(address: str) -> ipaddress.IPv4Address | ipaddress.IPv6Address | None:
    """The address as an ip_address (IPv4-mapped IPv6 as IPv4), or None if it is none."""
    text = address.strip().strip("[]")
    if "%" in text:  # a link-local zone id (fe80::1%eth0)
        text = text.split("%", 1)[0]
    try:
        parsed = ipaddress.ip_address(text)
    except ValueError:
        return None
    if isinstance(parsed, ipaddress.IPv6Address) and parsed.ipv4_mapped is not None:
        return parsed.ipv4_mapped
    return parsed


def client_network(address: str) -> str:
    """What one client is counted as: an IPv4 address, or the /64 of an IPv6 address."""
    parsed = parse_address(address)
    if parsed is None:
        return address
    if isinstance(parsed, ipaddress.IPv6Address):
        return str(ipaddress.IPv6Network(f"{parsed}/{IPV6_PREFIX}", strict=False))
    return str(parsed)


def client_hash(request, *, purpose: str) -> str:
    day = timezone.now().date().isoformat()
    salt = hmac.new(
        settings.SECRET_KEY.encode(), f"{purpose}:{day}".encode(), hashlib.sha256
    ).digest()
    network = client_network(client_address(request))
    return hmac.new(salt, network.encode(), hashlib.sha256).hexdigest()
