"""The one way our code talks to Twilio's REST API and downloads from it.

Everything goes through a `twilio.http.HttpClient`: in production ours (the library's, keeping the
bytes of downloads); in tests a recording client that answers without network; in demos, with
TWILIO_FAKE_API, a stand-in that logs and answers like Twilio would.
"""

import json
import logging
import secrets
import struct
from urllib.parse import urlencode, urlparse

from django.conf import settings
from django.urls import reverse
from requests import Request, Session
from twilio.http import HttpClient as BaseHttpClient
from twilio.http.http_client import TwilioHttpClient
from twilio.http.response import Response as TwilioResponse
from twilio.rest import Client

log = logging.getLogger(__name__)

# Where recordings and media may be downloaded from (a webhook names the URL; even signed, we
# never let it point our server elsewhere).
TWILIO_MEDIA_HOSTS = ("api.twilio.com",)


class Response(TwilioResponse):
    """Twilio's response keeps only text; downloads need the bytes."""

    def __init__(self, status_code: int, text: str, headers=None, body: bytes = b""):
        super().__init__(status_code, text, headers)
        self.body = body


class HttpClient(TwilioHttpClient):
    """The library's client, returning the bytes of the body as well."""

    def request(
        self,
        method,
        url,
        params=None,
        data=None,
        headers=None,
        auth=None,
        timeout=None,
        allow_redirects=False,
    ):
        timeout = self.timeout if timeout is None else timeout
        kwargs = {
            "method": method.upper(),
            "url": url,
            "params": params,
            "headers": headers,
            "auth": auth,
            "hooks": self.request_hooks,
        }
        if headers and headers.get("Content-Type") in ("application/json", "application/scim+json"):
            kwargs["json"] = data
        else:
            kwargs["data"] = data
        self.log_request(kwargs)
        session = self.session or Session()
        prepared = session.prepare_request(Request(**kwargs))
        env = session.merge_environment_settings(prepared.url, self.proxy, None, None, None)
        response = session.send(prepared, allow_redirects=allow_redirects, timeout=timeout, **env)
        self.log_response(response.status_code, response)
        return Response(
            response.status_code,
            response.text if not _is_binary(response.headers) else "",
            response.headers,
            response.content,
        )


def _is_binary(headers) -> bool:
    content_type = (headers or {}).get("Content-Type", "")
    return not (content_type.startswith("text/") or "json" in content_type or "xml" in content_type)


def new_sid(prefix: str) -> str:
    return prefix + secrets.token_hex(16)


def silent_wav(seconds: float = 1.0) -> bytes:
    """A valid WAV file of silence (8 kHz, 8 bit), for the demo stand-in and tests."""
    frames = int(8000 * seconds)
    header = b"RIFF" + struct.pack("<I", 36 + frames) + b"WAVEfmt "
    header += struct.pack("<IHHIIHH", 16, 1, 1, 8000, 8000, 1, 8)
    return header + b"data" + struct.pack("<I", frames) + b"\x80" * frames


class FakeHttpClient(BaseHttpClient):
    """Answers REST calls the way Twilio would, without sending anything (TWILIO_FAKE_API).

    For development and demos with `simulate_twilio`: a staff member's phone "rings" (a leg is
    created), a reply "is sent" (it gets a SID and stays queued), a download returns silence.
    """

    def __init__(self):
        super().__init__(logger=log, is_async=False)

    def request(self, method, url, params=None, data=None, headers=None, auth=None, timeout=None, allow_redirects=False):  # fmt: skip
        path = urlparse(url).path
        log.info("Twilio stand-in: %s %s %s", method, path, sorted((data or {}).keys()))
        if method == "DELETE":
            return Response(204, "")
        if method == "GET" and "/Recordings/" in path:
            return Response(200, "", {"Content-Type": "audio/mpeg"}, silent_wav())
        if method == "GET" and "/Media/" in path:
            return Response(200, "", {"Content-Type": "image/png"}, _PNG)
        if method == "GET":
            return Response(200, json.dumps({"messages": [], "next_page_uri": None}))
        data = data or {}
        if path.endswith("/Messages.json"):
            return _json(201, {"sid": new_sid("SM"), "status": "queued", "to": data.get("To")})
        if path.endswith("/Participants.json"):
            return _json(
                201, {"call_sid": new_sid("CA"), "label": data.get("Label"), "status": "queued"}
            )
        if path.endswith("/Calls.json"):
            return _json(201, {"sid": new_sid("CA"), "status": "queued", "to": data.get("To")})
        return _json(
            200, {"sid": path.rsplit("/", 1)[-1].removesuffix(".json"), "status": "in-progress"}
        )


def _json(status, payload):
    return Response(status, json.dumps(payload), {"Content-Type": "application/json"})


# The smallest PNG: one transparent pixel.
_PNG = bytes.fromhex(
    "89504e470d0a1a0a0000000d4948445200000001000000010806000000"
    "1f15c4890000000d4944415478da63f8ffff3f0005fe02fea7d6a4c50000000049454e44ae426082"
)

# Tests replace the HTTP client here (tests/channels/twilio/conftest.py).
_http_client_override: BaseHttpClient | None = None


def http_client() -> BaseHttpClient:
    if _http_client_override is not None:
        return _http_client_override
    if settings.TWILIO_FAKE_API:
        return FakeHttpClient()
    return HttpClient(timeout=settings.TWILIO_HTTP_TIMEOUT)


def is_configured() -> bool:
    return bool(settings.TWILIO_ACCOUNT_SID and settings.TWILIO_AUTH_TOKEN)


def rest_client() -> Client:
    return Client(
        settings.TWILIO_ACCOUNT_SID, settings.TWILIO_AUTH_TOKEN, http_client=http_client()
    )


class DownloadError(Exception):
    """A recording or media file could not be fetched (retry later)."""


def download(url: str, *, suffix: str = "") -> tuple[bytes, str]:
    """Fetch a recording or media file from Twilio; return (bytes, content type).

    Only Twilio's API host is allowed (with HTTP basic auth); its media URLs redirect to a
    storage host, which `requests` follows without our credentials.
    """
    parsed = urlparse(url)
    if parsed.scheme != "https" or parsed.hostname not in TWILIO_MEDIA_HOSTS:
        raise DownloadError(f"not a Twilio address: {parsed.scheme}://{parsed.hostname}")
    client = http_client()
    try:
        response = client.request(
            "GET",
            url + suffix,
            auth=(settings.TWILIO_ACCOUNT_SID, settings.TWILIO_AUTH_TOKEN),
            allow_redirects=True,
        )
    except Exception as error:  # network errors of any HTTP library
        raise DownloadError(f"{type(error).__name__}: {error}") from error
    if response.status_code != 200:
        raise DownloadError(f"HTTP {response.status_code}")
    body = getattr(response, "body", b"") or response.text.encode()
    headers = response.headers or {}
    return body, (headers.get("Content-Type") or "").split(";")[0].strip()


def public_url(name: str, *args, query: dict | None = None) -> str:
    """An absolute URL of one of our webhooks, as Twilio must call it."""
    url = settings.TWILIO_PUBLIC_BASE_URL + reverse(f"twilio_channel:{name}", args=args)
    return f"{url}?{urlencode(query)}" if query else url
