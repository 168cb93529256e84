"""Twilio without a network: signed webhooks as Twilio sends them, and a recording HTTP client
at the library's HTTP boundary that captures every REST call and download and answers it."""

import json
import logging
import secrets
import xml.etree.ElementTree as ET
from dataclasses import dataclass, field
from datetime import datetime
from urllib.parse import parse_qs, urlencode, urlparse
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse
from django.utils import translation
from twilio.http import HttpClient
from twilio.request_validator import RequestValidator

from helpdesk.channels.twilio import client as twilio_client
from helpdesk.channels.twilio import speech
from helpdesk.channels.twilio.client import Response, silent_wav
from helpdesk.channels.twilio.models import MenuOption, PhoneNumber, StaffPhone
from helpdesk.models import Language
from helpdesk.services import clock

TOKEN = "test-auth-token-0123456789abcdef"
ACCOUNT = "AC" + "0" * 32
PUBLIC = "https://infolijn.example.org"
BRUSSELS = ZoneInfo("Europe/Brussels")
OUR_NUMBER = "+3225550100"
CALLER = "+32470123456"


def at(*args) -> datetime:
    return datetime(*args, tzinfo=BRUSSELS)


MONDAY_MORNING = at(2026, 3, 9, 10, 0)  # open: Monday 9:30-12:30


def sid(prefix: str) -> str:
    return prefix + secrets.token_hex(16)


@dataclass
class Captured:
    method: str
    url: str
    params: dict | None
    data: dict | None
    auth: tuple | None

    @property
    def path(self) -> str:
        return urlparse(self.url).path


@dataclass
class RecordingHttpClient(HttpClient):
    """Records every request and answers it: from `script` (first match by method and a piece
    of the URL) or with what Twilio would answer a success."""

    requests: list[Captured] = field(default_factory=list)
    script: list[tuple[str, str, Response]] = field(default_factory=list)

    def __post_init__(self):
        super().__init__(logger=logging.getLogger("tests.twilio"), is_async=False)

    def answer(
        self, method: str, url_part: str, status: int, payload=None, *, body=b"", headers=None
    ):
        text = json.dumps(payload) if payload is not None else ""
        self.script.append(
            (
                method,
                url_part,
                Response(status, text, headers or {"Content-Type": "application/json"}, body),
            )
        )

    def fail(self, method: str, url_part: str, status: int, code: int, message: str = "error"):
        self.answer(method, url_part, status, {"code": code, "message": message, "status": status})

    def request(self, method, uri, params=None, data=None, headers=None, auth=None, timeout=None, allow_redirects=False):  # fmt: skip
        self.requests.append(Captured(method, uri, params, data, auth))
        for index, (m, part, response) in enumerate(self.script):
            if m == method and part in uri:
                del self.script[index]
                return response
        path = urlparse(uri).path
        data = data or {}
        if method == "DELETE":
            return Response(204, "")
        if method == "GET" and "/Recordings/" in path:
            return Response(200, "", {"Content-Type": "audio/mpeg"}, silent_wav(0.5))
        if method == "GET" and "/Media/" in path:
            return Response(200, "", {"Content-Type": "image/jpeg"}, b"\xff\xd8\xff\xe0 a photo")
        if path.endswith("/Messages.json"):
            return _json(201, {"sid": sid("SM"), "status": "queued"})
        if path.endswith("/Participants.json"):
            return _json(201, {"call_sid": sid("CA"), "status": "queued"})
        if path.endswith("/Calls.json"):
            return _json(201, {"sid": sid("CA"), "status": "queued", "to": data.get("To")})
        return _json(
            200, {"sid": path.rsplit("/", 1)[-1].removesuffix(".json"), "status": "in-progress"}
        )

    def made(self, method: str, path_end: str) -> list[Captured]:
        return [r for r in self.requests if r.method == method and r.path.endswith(path_end)]


def _json(status, payload):
    return Response(status, json.dumps(payload), {"Content-Type": "application/json"})


@pytest.fixture(autouse=True)
def twilio_settings(settings):
    settings.TWILIO_ACCOUNT_SID = ACCOUNT
    settings.TWILIO_AUTH_TOKEN = TOKEN
    settings.TWILIO_PUBLIC_BASE_URL = PUBLIC
    settings.TWILIO_FAKE_API = False
    settings.TWILIO_RECORD_CALLS = False


@pytest.fixture(autouse=True)
def prompt_catalogue(monkeypatch):
    """The translations of our prompt texts, as a test wants them: none unless it adds some.
    (The real catalogues grow with the translators' work; these tests must not change with them.)
    Add with `prompt_catalogue[("ar", msgid)] = "..."`."""
    catalogue: dict[tuple[str, str], str] = {}

    def gettext(msgid):
        return catalogue.get((translation.get_language(), msgid), msgid)

    monkeypatch.setattr(speech, "gettext", gettext)
    return catalogue


@pytest.fixture(autouse=True)
def twilio_http(monkeypatch):
    """Every Twilio request of the test, captured (nothing reaches the network)."""
    recorder = RecordingHttpClient()
    monkeypatch.setattr(twilio_client, "_http_client_override", recorder)
    return recorder


def signed_post(client, path: str, data: dict, *, token: str = TOKEN, signature: str | None = None):
    url = PUBLIC + path
    if signature is None:
        signature = RequestValidator(token).compute_signature(url, data)
    headers = {"HTTP_X_TWILIO_SIGNATURE": signature} if signature else {}
    return client.post(
        path,
        urlencode(data, doseq=True),
        content_type="application/x-www-form-urlencoded",
        **headers,
    )


@pytest.fixture
def twilio_post(client, django_capture_on_commit_callbacks):
    """POST to one of our webhooks as Twilio does (signed), running what is enqueued on commit."""

    def post(name, data, *args, query=None, **kwargs):
        path = reverse(f"twilio_channel:{name}", args=args)
        if query:
            path += "?" + urlencode(query)
        with django_capture_on_commit_callbacks(execute=True):
            return signed_post(client, path, data, **kwargs)

    return post


def twiml(response) -> ET.Element:
    assert response.status_code == 200, response.content
    assert response["Content-Type"].startswith("text/xml")
    root = ET.fromstring(response.content)  # noqa: S314 - our own response, not untrusted
    assert root.tag == "Response"
    return root


def query_of(url: str) -> dict:
    return {k: v[0] for k, v in parse_qs(urlparse(url).query).items()}


@pytest.fixture
def languages(db):
    return Language.objects.in_bulk(["nl", "fr", "en", "ar", "ps", "prs"])


@pytest.fixture
def number(infolijn, languages):
    """The info line's number: 1 Dutch, 2 French, 3 English, 4 Arabic, 5 Pashto."""
    number = PhoneNumber.objects.create(
        number=OUR_NUMBER,
        label="Infolijn",
        queue=infolijn,
        default_language=languages["nl"],
        handles_whatsapp=True,
    )
    for digit, code in enumerate(["nl", "fr", "en", "ar", "ps"], start=1):
        MenuOption.objects.create(number=number, digit=digit, language=languages[code])
    return number


@pytest.fixture
def ines_on_duty(ines, languages):
    """Ines takes calls today on her mobile; she speaks Dutch and Arabic."""
    ines.spoken_languages.add(languages["nl"], languages["ar"])
    return StaffPhone.objects.create(
        user=ines, phone="+32470000001", available_on=MONDAY_MORNING.date()
    )


@pytest.fixture
def monday_morning():
    with clock.travel_to(MONDAY_MORNING):
        yield MONDAY_MORNING


def call_params(call_sid, *, from_=CALLER, to=OUR_NUMBER, **extra):
    return {
        "CallSid": call_sid,
        "AccountSid": ACCOUNT,
        "From": from_,
        "To": to,
        "CallStatus": "in-progress",
        "Direction": "inbound",
        **extra,
    }
