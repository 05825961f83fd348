"""Rate limits for public intake, counted in Django's cache (locmem in tests, Redis in production).

A sliding window approximated by two fixed windows: the count of the current window plus the
previous window's count weighted by how much of it still lies within the last `period` seconds.
Counting uses `cache.incr`, which is atomic on Redis and on the local-memory cache.
"""

from __future__ import annotations

import hashlib
import time

from django.conf import settings
from django.core.cache import cache

# name → (limit, period in seconds); override with settings.CASEWORK_RATE_LIMITS.
DEFAULT_LIMITS: dict[str, tuple[int, int]] = {
    "address": (10, 60),  # submissions from one client address per minute
    "phone": (5, 3600),  # submissions giving one mobile number per hour
    "open311": (60, 60),  # Open311 POSTs per API key per minute
    "rating": (20, 60),  # rating and reopening clicks from one address per minute
}


def limit_of(name: str) -> tuple[int, int]:
    limits = {**DEFAULT_LIMITS, **getattr(settings, "CASEWORK_RATE_LIMITS", {})}
    return limits[name]


def _key(name: str, value: str, window: int) -> str:
    digest = hashlib.sha256(value.encode()).hexdigest()[:32]
    return f"casework:rl:{name}:{digest}:{window}"


def hit(name: str, value: str) -> bool:
    """Count one attempt of `value` (an address, a number) under limit `name`; False when it
    goes over the limit (the attempt is counted all the same)."""
    if not value:
        return True
    limit, period = limit_of(name)
    now = time.time()
    window = int(now // period)
    key = _key(name, value, window)
    try:
        current = cache.incr(key)
    except ValueError:  # the first attempt of this window (or another process beat us to add)
        current = 1 if cache.add(key, 1, timeout=period * 2) else cache.incr(key)
    previous = cache.get(_key(name, value, window - 1), 0)
    elapsed = (now % period) / period
    return previous * (1 - elapsed) + current <= limit
