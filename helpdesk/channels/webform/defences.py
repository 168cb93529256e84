"""Spam defences without surveillance: no third-party CAPTCHA, no stored addresses.

- A honeypot field that people never see and bots fill in.
- A minimum fill time, measured with the signed form token (tokens.py).
- Rate limits per client address and per email address or phone number, counted in Django's cache
  under a keyed hash (HMAC with SECRET_KEY) that expires with its window: the address itself is
  never written anywhere.
- What is blocked is counted per day and reason (services.count_blocked), with no personal data.
"""

import ipaddress
import math
import time
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import cache
from django.utils.crypto import salted_hmac

HONEYPOT_FIELD = "website_address"


def _now() -> float:
    # Wall-clock seconds for the rate-limit windows (tests fix it, so a window never ends mid-test).
    return time.time()


def client_address(request) -> str:
    """The client's IP address: REMOTE_ADDR, or the entry our own proxies added to
    X-Forwarded-For (settings.TRUSTED_PROXY_COUNT); anything further left is the client's claim."""
    address = request.META.get("REMOTE_ADDR", "")
    proxies = settings.TRUSTED_PROXY_COUNT
    if proxies > 0:
        forwarded = [
            a.strip() for a in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if a.strip()
        ]
        if len(forwarded) >= proxies:
            address = forwarded[-proxies]
    return address


def address_fingerprint(address: str) -> str:
    """A keyed hash of the address, for cache keys only.

    IPv6 counts per /64 network: one household or phone gets a whole /64 and can change the rest
    at will, so counting single IPv6 addresses would count nothing.
    """
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        ip = None
    if ip is not None and ip.version == 6 and ip.ipv4_mapped is None:
        address = str(ipaddress.ip_network(f"{ip}/64", strict=False))
    elif ip is not None and ip.version == 6:
        address = str(ip.ipv4_mapped)
    return salted_hmac("webform.address", address, algorithm="sha256").hexdigest()[:32]


def contact_fingerprint(kind: str, value: str) -> str:
    return salted_hmac(f"webform.{kind}", value, algorithm="sha256").hexdigest()[:32]


@dataclass(frozen=True)
class RateLimit:
    """At most `limit` hits per fixed window of `window` seconds; a limit of 0 is no limit."""

    name: str
    limit: int
    window: int

    def _key(self, fingerprint: str) -> tuple[str, int]:
        window_index = int(_now()) // self.window
        return f"webform:rl:{self.name}:{fingerprint}:{window_index}", window_index

    def exceeded(self, fingerprint: str) -> bool:
        if self.limit <= 0:
            return False
        key, _index = self._key(fingerprint)
        return (cache.get(key) or 0) >= self.limit

    def hit(self, fingerprint: str) -> bool:
        """Count one hit; True while the count stays within the limit."""
        if self.limit <= 0:
            return True
        key, _index = self._key(fingerprint)
        cache.add(key, 0, timeout=self.window + 60)
        try:
            count = cache.incr(key)
        except ValueError:  # evicted between add and incr: start again
            cache.set(key, 1, timeout=self.window + 60)
            count = 1
        return count <= self.limit

    def retry_after(self) -> int:
        """Seconds until the current window ends."""
        return self.window - int(_now()) % self.window

    def retry_after_minutes(self) -> int:
        return max(1, math.ceil(self.retry_after() / 60))


def submissions_per_address() -> RateLimit:
    return RateLimit("submit-address", settings.WEBFORM_SUBMISSIONS_PER_ADDRESS_PER_HOUR, 3600)


def submissions_per_contact() -> RateLimit:
    return RateLimit("submit-contact", settings.WEBFORM_SUBMISSIONS_PER_CONTACT_PER_HOUR, 3600)


def suggestion_events_per_address() -> RateLimit:
    # Opening articles is cheap to record but should not fill the table: generous, still bounded.
    return RateLimit("kb-opened", 120, 3600)


def private_requests_per_address() -> RateLimit:
    return RateLimit(
        "private-address", settings.WEBFORM_PRIVATE_REQUESTS_PER_ADDRESS_PER_10_MINUTES, 600
    )


def private_failures_per_address() -> RateLimit:
    return RateLimit(
        "private-failures", settings.WEBFORM_PRIVATE_FAILURES_PER_ADDRESS_PER_HOUR, 3600
    )
