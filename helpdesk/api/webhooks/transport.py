"""POST a delivery to a registered URL, refusing addresses inside our network (SSRF).

The host name is resolved once, every address it resolves to must be public (no loopback,
private, link-local, multicast or reserved range: the database, the cloud metadata service, the
router), and the connection goes to the address that was checked, so DNS cannot answer one thing
to the check and another to the connection. Redirects are not followed.
"""

import http.client
import ipaddress
import socket
import ssl
import time
from dataclasses import dataclass
from urllib.parse import urlsplit

from django.conf import settings

EXCERPT = 500


class RefusedAddress(Exception):
    pass


@dataclass
class Outcome:
    status_code: int | None
    ok: bool
    excerpt: str = ""
    error: str = ""
    duration_ms: int = 0


def _is_public(address: str) -> bool:
    ip = ipaddress.ip_address(address)
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped:
        ip = ip.ipv4_mapped
    return ip.is_global and not ip.is_multicast


def resolve_allowed(host: str, port: int) -> str:
    """An address of `host` we may connect to; RefusedAddress when any of them is internal."""
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except socket.gaierror as error:
        raise RefusedAddress(f"cannot resolve {host}: {error.strerror}") from None
    addresses = [info[4][0] for info in infos]
    if not addresses:
        raise RefusedAddress(f"{host} has no address")
    if not settings.WEBHOOK_ALLOW_PRIVATE_ADDRESSES:
        internal = [a for a in addresses if not _is_public(a)]
        if internal:
            raise RefusedAddress(f"{host} resolves to a non-public address ({internal[0]})")
    return addresses[0]


def check_url(url: str) -> None:
    """Raise RefusedAddress (or ValueError) if `url` may not be called."""
    parts = urlsplit(url)
    if parts.scheme not in {"http", "https"} or not parts.hostname:
        raise ValueError("only http and https URLs")
    resolve_allowed(parts.hostname, parts.port or (443 if parts.scheme == "https" else 80))


def _connection(parts, address: str, timeout: int):
    port = parts.port or (443 if parts.scheme == "https" else 80)
    if parts.scheme == "https":
        connection = http.client.HTTPSConnection(
            parts.hostname, port, timeout=timeout, context=ssl.create_default_context()
        )
    else:
        connection = http.client.HTTPConnection(parts.hostname, port, timeout=timeout)

    def pinned(_address, *args, **kwargs):
        return socket.create_connection((address, port), *args, **kwargs)

    connection._create_connection = pinned  # TLS still checks the certificate of the host name
    return connection


def post(url: str, body: bytes, headers: dict[str, str]) -> Outcome:
    started = time.monotonic()

    def took() -> int:
        return int((time.monotonic() - started) * 1000)

    parts = urlsplit(url)
    if parts.scheme not in {"http", "https"} or not parts.hostname:
        return Outcome(None, False, error="only http and https URLs are called")
    try:
        address = resolve_allowed(
            parts.hostname, parts.port or (443 if parts.scheme == "https" else 80)
        )
    except RefusedAddress as error:
        return Outcome(None, False, error=f"refused: {error}"[:255], duration_ms=took())
    path = parts.path or "/"
    if parts.query:
        path += "?" + parts.query
    connection = _connection(parts, address, settings.WEBHOOK_TIMEOUT_SECONDS)
    try:
        connection.request("POST", path, body=body, headers=headers)
        response = connection.getresponse()
        excerpt = response.read(EXCERPT * 4).decode("utf-8", "replace")[:EXCERPT]
        return Outcome(
            response.status, 200 <= response.status < 300, excerpt=excerpt, duration_ms=took()
        )
    except (OSError, http.client.HTTPException, ssl.SSLError) as error:
        return Outcome(
            None, False, error=f"{type(error).__name__}: {error}"[:255], duration_ms=took()
        )
    finally:
        connection.close()
