"""Arbitrary input never gives a server error: every form of the staff pages, the login and
password pages and the privacy pages, fed random Unicode of any size, lists, files and bytes.

Each example goes through the whole stack (middleware, form, service, database), and the test
client re-raises any exception a view lets through, so a crash fails here with the input that
caused it. HYPOTHESIS_PROFILE=thorough runs many more examples.
"""

import os

import pytest
from django.core.exceptions import SuspiciousFileOperation
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django_otp.plugins.otp_totp.models import TOTPDevice
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from helpdesk.models import Channel
from helpdesk.services.tickets import ticket_create

settings.register_profile(
    "quick",
    max_examples=20,
    deadline=None,
    suppress_health_check=[
        HealthCheck.function_scoped_fixture,
        HealthCheck.too_slow,
        HealthCheck.data_too_large,
    ],
)
settings.register_profile("thorough", parent=settings.get_profile("quick"), max_examples=300)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "quick"))

pytestmark = pytest.mark.django_db

# Any Unicode a browser can send (surrogates cannot be encoded at all), NUL and controls included,
# short or very long, as a single value or several.
CHARACTERS = st.characters(exclude_categories=("Cs",))
SHORT = st.text(CHARACTERS, max_size=40)
LONG = st.builds(
    lambda piece, n: piece * n,
    st.text(CHARACTERS, min_size=1, max_size=8),
    st.integers(100, 20_000),
)
NUMBERS = st.integers(-(2**63), 2**63).map(str)
VALUE = st.one_of(SHORT, SHORT, LONG, NUMBERS, st.sampled_from(["", "on", "1", "0", "-1", "\x00"]))
VALUES = st.one_of(VALUE, st.lists(VALUE, max_size=4))


def fields(*names):
    return st.dictionaries(st.sampled_from([*names, "unexpected"]), VALUES, max_size=len(names) + 1)


def ok(response):
    assert response.status_code < 500, response.status_code


@pytest.fixture
def as_ines(client, ines):
    client.force_login(ines)
    return client


@pytest.fixture
def as_adam(client, adam):
    client.force_login(adam)
    return client


@given(data=fields("username", "password", "next"))
def test_login(client, db, data):
    ok(client.post(reverse("login"), data))


@given(data=fields("email"))
def test_password_reset(client, db, data):
    ok(client.post(reverse("password_reset"), data))


@given(body=st.binary(max_size=2000))
def test_raw_bytes_instead_of_a_form(client, ines, body):
    ok(client.generic("POST", reverse("login"), body, "application/x-www-form-urlencoded"))
    client.force_login(ines)
    ok(
        client.generic(
            "POST", reverse("helpdesk:call_new"), body, "application/x-www-form-urlencoded"
        )
    )
    ok(
        client.generic(
            "POST", reverse("helpdesk:call_new"), body, "multipart/form-data; boundary=x"
        )
    )


CALL_FIELDS = (
    "channel",
    "queue",
    "requester_type",
    "language",
    "topics",
    "question",
    "answer",
    "outcome",
    "referral",
    "policy_signal",
    "name",
    "phone",
)


@given(data=fields(*CALL_FIELDS))
def test_call_log(as_ines, data):
    ok(as_ines.post(reverse("helpdesk:call_new"), data))


@given(
    data=fields(
        "q",
        "queue",
        "status",
        "assignee",
        "channel",
        "language",
        "topic",
        "requester_type",
        "sort",
        "page",
    )
)
def test_inbox_filters(as_ines, data):
    ok(as_ines.get(reverse("helpdesk:inbox"), data))


@pytest.fixture
def open_ticket(infolijn):
    return ticket_create(queue=infolijn, channel=Channel.EMAIL, body="A question")


def upload(name, content, kind):
    try:
        return SimpleUploadedFile(name, content, kind)
    except SuspiciousFileOperation:  # "." or "..": the test client itself refuses to send it
        return SimpleUploadedFile("x" + name, content, kind)


FILES = st.lists(
    st.builds(
        upload,
        st.text(CHARACTERS.filter(lambda c: c not in '\x00/\\"\r\n'), max_size=80),
        st.binary(max_size=3000),
        st.sampled_from(["", "application/pdf", "text/html", "image/png", "x/\u00e9"]),
    ),
    max_size=3,
)


@given(data=fields("body", "send_by", "status"), files=FILES)
def test_reply(as_ines, open_ticket, data, files):
    ok(
        as_ines.post(
            reverse("helpdesk:ticket_reply", args=[open_ticket.reference]),
            {**data, "attachments": files},
        )
    )


@pytest.mark.parametrize(
    ("action", "names"),
    [
        ("ticket_note", ("body",)),
        ("ticket_status", ("status", "outcome")),
        ("ticket_assign", ("assignee",)),
        (
            "ticket_classify",
            (
                "queue",
                "topics",
                "requester_type",
                "language",
                "outcome",
                "referral",
                "priority",
                "policy_signal",
            ),
        ),
        ("ticket_merge", ("reference",)),
    ],
)
def test_ticket_page_forms(as_ines, open_ticket, action, names):
    @given(data=fields(*names))
    def post(data):
        ok(as_ines.post(reverse(f"helpdesk:{action}", args=[open_ticket.reference]), data))
        ok(as_ines.get(reverse("helpdesk:ticket", args=[open_ticket.reference])))

    post()


@pytest.mark.parametrize(
    ("name", "names"),
    [
        ("contact_rectify", ("name", "email", "phone", "organisation", "reason")),
        ("contact_export", ("language", "include_notes", "reason")),
        ("contact_erase", ("reason", "confirm")),
    ],
)
def test_rights_forms(as_adam, amina, name, names):
    @given(data=fields(*names))
    def post(data):
        response = as_adam.post(reverse(f"privacy:{name}", args=[amina.pk]), data)
        ok(response)
        if response.streaming:
            b"".join(response.streaming_content)

    post()


@given(q=fields("q"), audit=fields("actor", "action", "target", "ip", "since", "until", "page"))
def test_privacy_searches(as_adam, q, audit):
    ok(as_adam.get(reverse("privacy:contacts"), q))
    ok(as_adam.get(reverse("privacy:audit"), audit))


@given(data=fields("queue", "channel", "pseudonymise_after_days", "recordings_after_days", "note"))
def test_retention_rule_admin(as_adam, data):
    ok(as_adam.post(reverse("admin:privacy_retentionrule_add"), data))


@given(data=fields("code", "next"))
def test_second_factor_codes(client, adam, data):
    TOTPDevice.objects.get_or_create(user=adam, name="phone", defaults={"confirmed": True})
    client.force_login(adam, second_factor=False)
    ok(client.post(reverse("privacy:otp_verify"), data))
    ok(client.post(reverse("privacy:otp_setup"), data))


@pytest.mark.parametrize("field", ["queue", "language", "topic", "requester_type", "assignee"])
@pytest.mark.parametrize("value", ["9" * 30, str(-(2**63) - 1)])
def test_it_refuses_an_id_too_large_for_any_column_instead_of_failing(as_ines, field, value):
    # SQLite raised OverflowError on these (hypothesis found "?queue=<30 nines>").
    ok(as_ines.get(reverse("helpdesk:inbox"), {field: value}))


@pytest.mark.parametrize("page", ["9" * 30, "-5", "0", "abc", "99999"])
def test_a_search_page_number_out_of_any_range_shows_a_page(as_ines, page):
    ok(as_ines.get(reverse("helpdesk:inbox"), {"q": "dublin", "page": page}))
