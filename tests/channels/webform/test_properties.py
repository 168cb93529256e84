"""Whatever arrives (any Unicode, any size, any shape), the form and the private page answer
without a server error, and what they accept is stored exactly as it was written."""

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from helpdesk.models import Language, Queue, RequesterType, Ticket, Topic

from .conftest import served_token

pytestmark = pytest.mark.django_db

PROPERTY_SETTINGS = settings(
    max_examples=60,
    deadline=None,
    derandomize=True,  # the same examples on every run: a gate, not a lottery
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


def sized_text(max_repeat=3000):
    """Short text of any kind, or a piece of it repeated to sizes around every limit."""
    return st.one_of(
        st.text(max_size=40),
        st.builds(
            lambda piece, times: piece * times,
            st.text(min_size=1, max_size=6),
            st.integers(0, max_repeat),
        ),
    )


BOUNDARY = "----infolijn-property-boundary-7f3a9c"


def multipart(fields: dict, files: list) -> bytes:
    """A multipart body as any client could send it: file names are not cleaned up first (the
    test client's own encoder refuses some of them, an attacker's does not)."""
    parts = []
    for name, value in fields.items():
        parts.append(
            f'--{BOUNDARY}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n'.encode()
            + str(value).encode("utf-8", "surrogatepass")
            + b"\r\n"
        )
    for filename, content, kind in files:
        parts.append(
            f'--{BOUNDARY}\r\nContent-Disposition: form-data; name="attachments"; '
            f'filename="{filename}"\r\nContent-Type: {kind or "application/octet-stream"}\r\n\r\n'.encode(
                "utf-8", "surrogatepass"
            )
            + content
            + b"\r\n"
        )
    return b"".join(parts) + f"--{BOUNDARY}--\r\n".encode()


def post(client, path, fields, files):
    return client.generic(
        "POST",
        path,
        multipart(fields, files),
        content_type=f"multipart/form-data; boundary={BOUNDARY}",
    )


def choice_of(pks):
    """Mostly a real entry (so that questions get through), sometimes anything at all."""
    junk = st.one_of(st.text(max_size=12), st.integers(-5, 10**12).map(str))
    return st.one_of(st.sampled_from(pks), st.sampled_from(pks), st.sampled_from(pks), junk)


uploads = st.lists(
    st.tuples(
        st.one_of(
            st.text(max_size=60),
            st.builds(
                str.__add__, st.text(max_size=40), st.sampled_from([".pdf", ".JPG", ".docx"])
            ),
        ),
        st.binary(max_size=1500),
        st.sampled_from(["application/pdf", "text/html", "", "image/png"]),
    ),
    max_size=3,
)


@pytest.fixture
def lists(db, settings):
    settings.WEBFORM_SUBMISSIONS_PER_ADDRESS_PER_HOUR = 0  # no limits: every example gets through
    settings.WEBFORM_SUBMISSIONS_PER_CONTACT_PER_HOUR = 0
    settings.ATTACHMENT_MAX_BYTES = 1000
    return {
        "requester_type": list(RequesterType.objects.values_list("pk", flat=True)),
        "language": list(Language.objects.values_list("pk", flat=True)),
        "queue": list(Queue.objects.values_list("pk", flat=True)),
        "topic": list(Topic.objects.values_list("pk", flat=True)),
    }


@st.composite
def submissions(draw, lists):
    """A plausible submission with free text of any kind and size, and now and then some fields
    replaced by anything at all (so that both sides, accepted and refused, are tried)."""
    data = {
        "requester_type": draw(st.sampled_from(lists["requester_type"])),
        "organisation": draw(sized_text(60)),
        "name": draw(sized_text(60)),
        "email": draw(st.emails()),
        "phone": draw(st.sampled_from(["", "0470 12 34 56", "+33 6 12 34 56 78"])),
        "language": draw(st.sampled_from(lists["language"])),
        "queue": draw(st.sampled_from(lists["queue"])),
        "topic": draw(st.one_of(st.just(""), st.sampled_from(lists["topic"]))),
        "question": draw(sized_text(3000)),
        "consent": "on",
        "files": draw(st.one_of(st.just([]), uploads)),
    }
    anything = st.one_of(sized_text(300), st.integers(-5, 10**12).map(str))
    for field in draw(st.sets(st.sampled_from(sorted(set(data) - {"files"})), max_size=3)):
        data[field] = draw(anything)
    return data


def test_the_form_never_fails_whatever_it_is_sent(client, lists):
    outcomes = []

    @PROPERTY_SETTINGS
    @given(data=submissions(lists))
    def run(data):
        files = data.pop("files")
        before = Ticket.objects.count()
        response = post(client, "/ar/ask/", {**data, "form_token": served_token().encode()}, files)
        assert response.status_code < 500, response.status_code
        outcomes.append(response.status_code)
        if response.status_code == 302:
            ticket = Ticket.objects.order_by("-pk").first()
            assert Ticket.objects.count() == before + 1
            assert ticket.messages.get().body == data["question"].strip()
        else:
            assert Ticket.objects.count() == before

    run()
    # The examples really tried both sides: questions that went through and ones refused.
    assert outcomes.count(302) >= 5, outcomes
    assert outcomes.count(400) >= 5, outcomes


def test_the_private_page_never_fails_whatever_a_reply_holds(client, ticket, lists):
    outcomes = []

    @PROPERTY_SETTINGS
    @given(body=sized_text(4000), files=uploads)
    def run(body, files):
        before = ticket.messages.count()
        response = post(client, f"/t/{ticket.access_token}/reply/", {"body": body}, files)
        assert response.status_code < 500, response.status_code
        outcomes.append(response.status_code)
        if response.status_code == 302:
            assert ticket.messages.count() == before + 1
            assert ticket.messages.order_by("-pk").first().body == body.strip()
        else:
            assert ticket.messages.count() == before

    run()
    assert outcomes.count(302) >= 5, outcomes
    assert outcomes.count(400) >= 5, outcomes


@PROPERTY_SETTINGS
@given(token=st.text(max_size=80))
def test_any_token_in_the_private_link_is_answered_calmly(token):
    from django.test import Client

    from helpdesk.channels.webform.selectors import ticket_for_token

    assert ticket_for_token(token) is None  # no ticket has a token a stranger guessed
    response = Client().get("/t/" + "".join(c for c in token if c not in "/?#") + "/")
    assert response.status_code in (404, 429)
