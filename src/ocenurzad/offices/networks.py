"""An office's own networks (the hall's guest Wi-Fi): parsing what an administrator types,
and telling whether a client address is in them."""

import ipaddress
from functools import lru_cache

from django.utils.translation import gettext as _

from ocenurzad.core.clients import parse_address

MAX_NETWORKS = 20
# Wider than this is not one office's network (a /16 is 65,536 addresses).
MIN_PREFIX = {4: 16, 6: 32}

Network = ipaddress.IPv4Network | ipaddress.IPv6Network


def office_networks_parse(text: str) -> list[str]:
    """Networks typed one per line (or separated by commas) as normalised CIDR strings.

    Raises ValueError with a Polish message naming the entry that is wrong."""
    entries = [e.strip() for line in text.splitlines() for e in line.split(",") if e.strip()]
    networks: list[str] = []
    for entry in entries:
        try:
            network = ipaddress.ip_network(entry, strict=False)
        except ValueError:
            raise ValueError(
                _(
                    "„%(entry)s” nie jest adresem sieci. Wpisz adres z długością prefiksu, "
                    "np. 203.0.113.0/28 albo 2001:db8:12::/48, każdy w osobnym wierszu."
                )
                % {"entry": entry}
            ) from None
        if network.prefixlen < MIN_PREFIX[network.version]:
            raise ValueError(
                _(
                    "Sieć %(network)s jest za duża, by była siecią jednego urzędu (najwyżej "
                    "/%(ipv4)s dla IPv4 i /%(ipv6)s dla IPv6)."
                )
                % {"network": entry, "ipv4": MIN_PREFIX[4], "ipv6": MIN_PREFIX[6]}
            )
        if str(network) not in networks:
            networks.append(str(network))
    if len(networks) > MAX_NETWORKS:
        raise ValueError(
            _("Można podać najwyżej %(count)s sieci urzędu.") % {"count": MAX_NETWORKS}
        )
    return networks


@lru_cache(maxsize=256)
def _parsed(networks: tuple[str, ...]) -> tuple[Network, ...]:
    return tuple(ipaddress.ip_network(n, strict=False) for n in networks)


def address_in_networks(address: str, networks) -> bool:
    """Is ``address`` (a client address as the request gives it) in one of ``networks``?"""
    if not networks:
        return False
    parsed = parse_address(address)
    if parsed is None:
        return False
    return any(parsed in network for network in _parsed(tuple(networks)))
