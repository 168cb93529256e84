"""Whatever arrives in the mailbox, the parser reads it or says why, and nothing is lost.

Random bytes and real mails with damaged headers, truncated bodies, wrong charsets and broken
MIME go through the whole path: stored, then processed into a ticket, a reply or a recorded
rejection. A message left FAILED means an exception escaped the parser: a bug this test names.
"""

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from helpdesk.channels.email.inbound import inbound_process, inbound_store
from helpdesk.channels.email.models import InboundEmail, InboundStatus, Origin
from helpdesk.channels.email.parsing import parse_email

from .conftest import make_mail

pytestmark = pytest.mark.django_db
FUZZ = settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)

SAMPLE = make_mail(
    subject="Vraag over =?utf-8?q?gezinshereniging?=",
    body="Goedendag,\n\nMijn vrouw is nog in Kabul. Kan zij naar België komen?\n\nAmina",
    html="<p>Goedendag,</p><p>Mijn vrouw is nog in <b>Kabul</b>.</p>",
    attachments=[("brief.pdf", b"%PDF-1.4 fake", "application/pdf")],
)
DAMAGE = st.sampled_from(
    [
        b"\r\n\r\n",
        b"Content-Type: multipart/mixed; boundary=\r\n",
        b"Content-Transfer-Encoding: base64\r\n",
        b"=?utf-8?b?!!!?=",
        b"charset=x-unknown-charset",
        b"\x00\xff\xfe",
        b"--",
        b"Date: Mon, 99 Foo 2026 25:61:00\r\n",
        b"From: <<@>>\r\n",
        "Subject: جوازي ضاع\r\n".encode("cp1256"),
    ]
)


@st.composite
def damaged_mails(draw):
    raw = bytearray(SAMPLE)
    for _ in range(draw(st.integers(1, 4))):
        at = draw(st.integers(0, len(raw)))
        if draw(st.booleans()):
            raw[at:at] = draw(DAMAGE)
        else:
            del raw[at : at + draw(st.integers(1, 200))]
    return bytes(raw[: draw(st.integers(0, len(raw)))] if draw(st.booleans()) else raw)


@FUZZ
@given(raw=st.binary(max_size=3000))
def test_the_parser_reads_any_bytes_without_an_exception(raw):
    parsed = parse_email(raw)
    assert isinstance(parsed.text, str)


@FUZZ
@given(raw=damaged_mails())
def test_a_damaged_mail_becomes_a_ticket_or_a_recorded_rejection(infolijn, raw):
    inbound, new = inbound_store(raw, origin=Origin.IMPORT, queue=infolijn, enqueue=False)
    inbound_process(inbound.pk)

    inbound.refresh_from_db()
    assert inbound.status in {InboundStatus.PROCESSED, InboundStatus.REJECTED}, inbound.reason
    if inbound.status == InboundStatus.REJECTED:
        assert inbound.reason  # a person can read why
    else:
        assert inbound.ticket_id is not None
    assert bytes(inbound.raw) == raw or not new  # kept exactly as it arrived
    again, new_again = inbound_store(raw, origin=Origin.IMPORT, queue=infolijn, enqueue=False)
    assert (again.pk, new_again) == (inbound.pk, False)
    assert InboundEmail.objects.filter(dedupe_key=inbound.dedupe_key).count() == 1
