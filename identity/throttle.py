"""Sign-in throttling: failed sign-ins counted per identifier (INSZ, gsm-nummer, gebruikersnaam) and per
client address, in Django's cache (Redis, or the folder under var/ every process of the embedded
default shares).

A limit is so many failures within a window (settings.SIGNIN_THROTTLE_*). The window is counted in
ten slots of a tenth of it, each a cache counter that only grows (``incr`` is atomic in Redis), so
two failures at the same moment count twice and no process overwrites another's count. Only failures
count: a refused attempt while throttled does not, so the wait it names does not grow.

Written here rather than taken from django-axes: axes counts what goes through ``authenticate()`` and
answers with its own lockout response, while most of these keys (eID, itsme, token) never call
``authenticate()`` and must answer in the form, in Dutch, with the time to wait.
"""

import hashlib
import ipaddress
import math
from dataclasses import dataclass
from datetime import datetime

from django.conf import settings
from django.core.cache import cache

from accessportal import clock

SLOTS = 10
PREFIX = "signin-throttle"


@dataclass(frozen=True)
class Limit:
    scope: str
    failures: int
    window_seconds: int

    @property
    def slot_seconds(self) -> int:
        return max(1, math.ceil(self.window_seconds / SLOTS))


def identifier_limit(scope: str) -> Limit:
    return Limit(scope, settings.SIGNIN_THROTTLE_PER_IDENTIFIER, settings.SIGNIN_THROTTLE_WINDOW_SECONDS)


def address_limit() -> Limit:
    return Limit("address", settings.SIGNIN_THROTTLE_PER_ADDRESS, settings.SIGNIN_THROTTLE_WINDOW_SECONDS)


def _now() -> datetime:
    """The clock, but never ahead of real time: a training sandbox's clock runs ahead and only
    forward, and moving it must not let anyone skip the wait. Tests move a simulated clock set in the
    past."""
    return min(clock.now(), clock.real_now())


def _digest(value: str) -> str:
    # Identifiers and addresses are personal data: the cache holds only their hash.
    return hashlib.sha256(f"{settings.SECRET_KEY}:{value}".encode()).hexdigest()[:40]


def _slots(limit: Limit, value: str, now: float) -> list[tuple[str, int]]:
    """The cache keys of the window's slots, oldest first, each with the moment it leaves the window."""
    current = int(now // limit.slot_seconds)
    base = f"{PREFIX}:{limit.scope}:{limit.window_seconds}:{_digest(value)}"
    return [
        (f"{base}:{index}", (index + SLOTS) * limit.slot_seconds)
        for index in range(current - SLOTS + 1, current + 1)
    ]


def wait_seconds(limit: Limit, value: str) -> int:
    """0 when another attempt may go ahead, else the seconds until the failures in the window drop
    below the limit."""
    if not value or limit.failures <= 0:
        return 0
    now = _now().timestamp()
    slots = _slots(limit, value, now)
    counts = cache.get_many([key for key, _ in slots])
    total = sum(counts.values())
    if total < limit.failures:
        return 0
    for key, leaves_at in slots:
        total -= counts.get(key, 0)
        if total < limit.failures:
            return max(1, math.ceil(leaves_at - now))
    return limit.window_seconds  # not reached: the current slot leaves last


def failure(limit: Limit, value: str) -> None:
    if not value:
        return
    key, _ = _slots(limit, value, _now().timestamp())[-1]
    timeout = limit.window_seconds + limit.slot_seconds
    cache.add(key, 0, timeout=timeout)
    try:
        cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, timeout=timeout)


def reset(limit: Limit, value: str) -> None:
    if value:
        cache.delete_many([key for key, _ in _slots(limit, value, _now().timestamp())])


# How long an unknown INSZ or gsm-nummer remembers its wrong attempts (see unknown_failure).
UNKNOWN_MEMORY_SECONDS = 7 * 24 * 3600


def unknown_failure(kind: str, value: str) -> int:
    """Count a wrong attempt on an identifier nobody has (an unknown INSZ at the eID, an unknown
    gsm-nummer at itsme) and return how many it had: it answers "nog 2 pogingen", then "geblokkeerd",
    as a real card would, so that the answer does not tell an unknown identifier from a known one."""
    key = f"signin-unknown:{kind}:{_digest(value)}"
    cache.add(key, 0, timeout=UNKNOWN_MEMORY_SECONDS)
    try:
        return cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, timeout=UNKNOWN_MEMORY_SECONDS)
        return 1


def client_address(request) -> str:
    """The client's address: REMOTE_ADDR, or behind the reverse proxy (DJANGO_BEHIND_PROXY=1, which
    sets SECURE_PROXY_SSL_HEADER) the address that proxy appended to X-Forwarded-For. Without the
    proxy, X-Forwarded-For is the client's own word and ignored. An IPv6 address counts by its /64,
    which one machine can fill with addresses."""
    address = request.META.get("REMOTE_ADDR", "") if request is not None else ""
    if request is not None and getattr(settings, "SECURE_PROXY_SSL_HEADER", None):
        forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")[-1].strip()
        address = forwarded or address
    try:
        parsed = ipaddress.ip_address(address)
    except ValueError:
        return address
    if parsed.version == 6:
        if parsed.ipv4_mapped:
            return str(parsed.ipv4_mapped)
        return str(ipaddress.ip_network(f"{parsed}/64", strict=False))
    return str(parsed)
