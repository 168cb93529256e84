import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from django.utils import translation

from helpdesk import signals
from helpdesk.models import Attachment, Channel, Language, Queue, Ticket, Topic
from helpdesk.privacy.models import RetentionRule
from helpdesk.selectors.links import private_link

from .conftest import confirmed_ticket_id

pytestmark = pytest.mark.django_db

ASK = "/en/ask/"
ASK_IN_DUTCH = "/nl/ask/"  # for the tests that read the Dutch page


@pytest.fixture(autouse=True)
def _in_english():
    # The form's texts below are the English ones: ask for /en/ pages (the site's default, Dutch,
    # is translated completely) and let reverse() name the English addresses too.
    translation.activate("en")


def test_the_form_offers_the_active_lists_in_the_page_language(client):
    Topic.objects.get(code="dublin").retire()
    body = client.get("/fr/ask/").content.decode()
    assert 'lang="fr"' in body
    assert "Accueil (Fedasil)" in body  # topic names in French (modeltranslation)
    assert "Travailleur social" in body
    assert "Dublin" not in body  # retired: no longer offered
    assert "Mauvais numéro" not in body  # describes calls, not questions
    assert "دری (Dari)" not in body
    assert "دری (dari)" in body


def test_the_answer_language_starts_as_the_page_language(client):
    arabic = Language.objects.get(code="ar")
    body = client.get("/ar/ask/").content.decode()
    assert re.search(rf'<option value="{arabic.pk}" selected>', body)
    assert 'dir="rtl"' in body


def test_the_url_pre_selects_queue_topic_and_requester_type(client):
    legal = Queue.objects.get(slug="legal-helpdesk")
    dublin = Topic.objects.get(code="dublin")
    body = client.get(
        ASK_IN_DUTCH, {"queue": "legal-helpdesk", "topic": "dublin", "requester_type": "lawyer"}
    )
    body = body.content.decode()
    assert re.search(rf'<option value="{legal.pk}" selected>', body)
    assert re.search(rf'<option value="{dublin.pk}" selected>', body)
    assert re.search(r'<option value="\d+" selected>Advocaat</option>', body)


def test_unknown_pre_selections_are_ignored(client):
    infolijn = Queue.objects.get(slug="infolijn")
    response = client.get(ASK, {"queue": "no-such-queue", "topic": "<script>"})
    assert response.status_code == 200
    assert re.search(rf'<option value="{infolijn.pk}" selected>', response.content.decode())


def test_a_single_public_queue_is_not_offered_as_a_choice(client, settings, answers):
    settings.WEBFORM_QUEUES = ["education"]
    education = Queue.objects.get(slug="education")
    body = client.get(ASK).content.decode()
    assert f'<input type="hidden" name="queue" value="{education.pk}"' in body
    client.post(ASK, answers(queue=education.pk))
    assert Ticket.objects.get().queue == education
    # A queue the form does not offer cannot be chosen by editing the page.
    response = client.post(ASK, answers(queue=Queue.objects.get(slug="infolijn").pk))
    assert response.status_code == 400
    assert Ticket.objects.count() == 1


def test_a_question_becomes_a_webform_ticket_with_what_the_answer_needs(client, answers):
    arabic = Language.objects.get(code="ar")
    response = client.post(ASK, answers(language=arabic.pk, email="  Sofie@CAW.example.org "))
    assert response.status_code == 302
    ticket = Ticket.objects.get()
    assert ticket.channel == Channel.WEBFORM
    assert ticket.queue.slug == "infolijn"
    # The acknowledgement (email channel) mails the contact in the ticket's language.
    assert ticket.language == arabic
    assert ticket.contact.email == "sofie@caw.example.org"
    assert ticket.contact.preferred_language == arabic
    assert ticket.contact.organisation == "CAW Brussel"
    assert ticket.contact.requester_type.code == "social-worker"
    assert ticket.requester_type.code == "social-worker"
    assert [t.code for t in ticket.topics.all()] == ["reception"]
    message = ticket.messages.get()
    assert message.channel == Channel.WEBFORM
    assert message.body.startswith("A family of five arrived yesterday")
    assert ticket.subject.startswith("A family of five")
    assert response["Location"].startswith(reverse("webform:thanks") + "?t=")


def test_the_ticket_created_signal_fires_once_after_commit(
    client, answers, django_capture_on_commit_callbacks
):
    received = []

    def receiver(sender, ticket_id, **kwargs):
        received.append(ticket_id)

    signals.ticket_created.connect(receiver)
    try:
        with django_capture_on_commit_callbacks(execute=True):
            client.post(ASK, answers())
    finally:
        signals.ticket_created.disconnect(receiver)
    assert received == [Ticket.objects.get().pk]


def test_a_phone_number_alone_is_enough_and_is_stored_in_international_form(client, answers):
    client.post(ASK, answers(email="", phone="0470 12 34 56"))
    assert Ticket.objects.get().contact.phone == "+32470123456"


def test_without_email_or_phone_the_error_is_tied_to_the_email_field(client, answers):
    response = client.post(ASK, answers(email="", phone=""))
    assert response.status_code == 400
    body = response.content.decode()
    assert 'id="id_email_error"' in body
    field = re.search(r"<input[^>]*name=\"email\"[^>]*>", body).group(0)
    assert 'aria-invalid="true"' in field
    assert "id_email_error" in field  # aria-describedby names the error
    assert 'href="#id_email"' in body  # the summary links to the field
    assert Ticket.objects.count() == 0


def test_a_malformed_phone_number_is_an_error_on_the_phone_field(client, answers):
    response = client.post(ASK, answers(email="", phone="12"))
    assert response.status_code == 400
    assert 'id="id_phone_error"' in response.content.decode()


def test_no_question_without_consent(client, answers):
    response = client.post(ASK, answers(consent=None))
    assert response.status_code == 400
    assert "We can only answer if you agree to the privacy notice." in response.content.decode()
    assert Ticket.objects.count() == 0


def test_the_privacy_notice_says_what_how_long_who_and_how_to_remove(client, settings, legal_queue):
    # What the notice promises is what retention does: the longest rule for the web form.
    settings.PRIVACY_TICKET_RETENTION_DAYS = 365
    RetentionRule.objects.create(
        queue=legal_queue, channel=Channel.WEBFORM, pseudonymise_after_days=540
    )
    settings.WEBFORM_PRIVACY_CONTACT_EMAIL = "privacy@infolijn.example.org"
    body = client.get(ASK).content.decode()
    assert "What we store" in body
    assert "Who sees it" in body
    assert "For how long" in body
    assert "18 months after your question is closed" in body
    RetentionRule.objects.all().delete()
    assert "12 months after your question is closed" in client.get(ASK).content.decode()
    assert 'href="mailto:privacy@infolijn.example.org"' in body
    assert 'name="consent"' in body
    assert "required" in re.search(r"<input[^>]*consent[^>]*>", body).group(0)


def test_markup_and_scripts_are_stored_as_text_and_shown_escaped(client, answers, ines):
    attack = '<script>alert("x")</script><img src=x onerror=alert(1)> <b>bold</b>'
    client.post(ASK, answers(question=attack, name="<i>Sofie</i>"))
    ticket = Ticket.objects.get()
    assert ticket.messages.get().body == attack  # kept exactly as written
    assert ticket.contact.name == "<i>Sofie</i>"
    pages = [client.get(reverse("webform_private:ticket", args=[ticket.access_token]))]
    client.force_login(ines)
    pages.append(client.get(reverse("helpdesk:ticket", args=[ticket.reference])))
    for page in pages:
        body = page.content.decode()
        assert "<script>alert" not in body
        assert "<img src=x" not in body
        assert "<b>bold" not in body
        assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;" in body
    assert "&lt;i&gt;Sofie&lt;/i&gt;" in pages[1].content.decode()


def test_the_attachment_limits_are_shown_before_upload(client, settings):
    settings.ATTACHMENT_MAX_BYTES = 2 * 1024 * 1024
    settings.ATTACHMENT_ALLOWED_EXTENSIONS = ["pdf", "jpg"]
    body = client.get(ASK_IN_DUTCH).content.decode()
    assert "Maximaal 2,0\xa0MB per bestand. Toegelaten: pdf, jpg." in body  # the Dutch page
    field = re.search(r'<input type="file"[^>]*>', body).group(0)
    assert f'data-max-bytes="{2 * 1024 * 1024}"' in field
    assert "id_attachments_helptext" in field


def test_an_accepted_document_comes_with_the_question(client, answers):
    letter = SimpleUploadedFile("besluit.pdf", b"%PDF-1.4 decision", content_type="application/pdf")
    assert client.post(ASK, answers(attachments=[letter])).status_code == 302
    attachment = Attachment.objects.get()
    assert attachment.filename == "besluit.pdf"
    assert attachment.message.ticket == Ticket.objects.get()


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("page.html", b"<script>alert(1)</script>", "files of this type are not accepted"),
        ("drawing.svg", b"<svg onload=alert(1)>", "files of this type are not accepted"),
        ("scan.pdf", b"%PDF" + b"x" * 2000, "is larger than 1.0\xa0KB"),
    ],
)
def test_a_refused_document_stops_the_question_with_a_reason_and_stores_nothing(
    client, answers, settings, name, content, message
):
    settings.ATTACHMENT_MAX_BYTES = 1024
    upload = SimpleUploadedFile(name, content, content_type="application/pdf")
    response = client.post(ASK, answers(attachments=[upload]))
    assert response.status_code == 400
    body = response.content.decode()
    assert message in body
    assert 'id="id_attachments_error"' in body
    assert "Please choose your documents again" in body
    assert Ticket.objects.count() == 0
    assert Attachment.objects.count() == 0


def test_too_many_documents_are_refused(client, answers, settings):
    settings.WEBFORM_MAX_FILES = 2
    files = [SimpleUploadedFile(f"{n}.pdf", b"%PDF", "application/pdf") for n in range(3)]
    response = client.post(ASK, answers(attachments=files))
    assert response.status_code == 400
    assert "Send at most 2 files with one message." in response.content.decode()


def test_sending_the_same_page_twice_makes_one_ticket(client, answers):
    data = answers()
    first = client.post(ASK, data)
    second = client.post(ASK, data)
    assert Ticket.objects.count() == 1
    assert second.status_code == 302
    assert (
        confirmed_ticket_id(second) == confirmed_ticket_id(first) == Ticket.objects.get().pk
    )  # the same confirmation


def test_the_confirmation_shows_the_reference_and_the_private_link_and_is_kept_private(
    client, answers
):
    location = client.post(ASK, answers())["Location"]
    response = client.get(location)
    ticket = Ticket.objects.get()
    body = response.content.decode()
    assert ticket.reference in body
    assert private_link(ticket) in body
    assert "We also sent your reference and this link to your email address." in body
    assert response["Referrer-Policy"] == "no-referrer"
    assert "noindex" in response["X-Robots-Tag"]
    assert "no-store" in response["Cache-Control"]
    assert '<meta name="referrer" content="no-referrer">' in body


def test_the_confirmation_tells_people_without_email_to_save_the_link(client, answers):
    location = client.post(ASK, answers(email="", phone="+32470123456"))["Location"]
    assert "you gave no email address" in client.get(location).content.decode()


def test_a_forged_or_old_confirmation_link_shows_no_ticket(client, answers):
    client.post(ASK, answers())
    ticket = Ticket.objects.get()
    for value in ("forged", f"{ticket.pk}"):
        body = client.get(reverse("webform:thanks"), {"t": value}).content.decode()
        assert ticket.reference not in body
        assert ticket.access_token not in body


def test_private_link_is_built_from_the_url_pattern(ticket, settings):
    settings.SITE_URL = "https://infolijn.example.org"
    assert private_link(ticket) == f"https://infolijn.example.org/t/{ticket.access_token}/"
    ticket.access_token = None
    assert private_link(ticket) is None


def test_the_regular_form_needs_its_csrf_token(answers):
    strict = Client(enforce_csrf_checks=True)
    assert strict.post(ASK, answers()).status_code == 403
    assert Ticket.objects.count() == 0


def test_the_embedded_form_may_be_framed_only_by_the_partners_in_the_settings(client, settings):
    settings.WEBFORM_FRAME_ANCESTORS = ["https://partner.example.org"]
    embedded = client.get("/nl/ask/embed/", {"queue": "legal-helpdesk", "topic": "dublin"})
    assert (
        "frame-ancestors 'self' https://partner.example.org" in embedded["Content-Security-Policy"]
    )
    assert "X-Frame-Options" not in embedded
    body = embedded.content.decode()
    assert 'class="public-bar"' not in body  # the partner's page is around it
    assert 'hreflang="ar" href' not in body
    assert 'href="/ar/ask/embed/?queue=legal-helpdesk&amp;topic=dublin"' in body
    regular = client.get(ASK)
    assert "frame-ancestors 'none'" in regular["Content-Security-Policy"]
    assert regular["X-Frame-Options"] == "DENY"


def test_the_embedded_form_works_without_cookies_and_confirms_inside_the_frame(answers, settings):
    # A browser sends no cookies to a cross-site iframe, so there is no CSRF cookie to check.
    settings.WEBFORM_FRAME_ANCESTORS = ["https://partner.example.org"]
    strict = Client(enforce_csrf_checks=True)
    dublin = Topic.objects.get(code="dublin")
    response = strict.post("/nl/ask/embed/?queue=legal-helpdesk", answers(topic=dublin.pk))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("webform:embed_thanks"))
    thanks = strict.get(response["Location"])
    assert "https://partner.example.org" in thanks["Content-Security-Policy"]
    assert Ticket.objects.get().reference in thanks.content.decode()
    # The private page itself is never framed.
    private = strict.get(
        reverse("webform_private:ticket", args=[Ticket.objects.get().access_token])
    )
    assert "frame-ancestors 'none'" in private["Content-Security-Policy"]


def test_questions_in_any_script_arrive_whole(client, answers):
    question = "لا يوجد مكان لي في مركز الاستقبال. أين أنام الليلة؟ 🙏 ZWNJ:\u200cمی‌خواهم"
    client.post("/ar/ask/", answers(question=question, name="أمينة"))
    ticket = Ticket.objects.get()
    assert ticket.messages.get().body == question
    with translation.override("ar"):
        assert ticket.contact.name == "أمينة"


def test_the_form_page_is_never_cached_and_takes_a_fixed_number_of_queries(
    client, django_assert_max_num_queries
):
    # The lists, the pre-selections, and the retention rules and queues behind the privacy
    # notice's "kept for N months"; a fixed count, no N+1.
    with django_assert_max_num_queries(13):
        response = client.get(ASK, {"queue": "legal-helpdesk", "topic": "dublin"})
    assert "no-store" in response["Cache-Control"]
    first = response.context["form_token"]
    assert client.get(ASK).context["form_token"] != first  # a new visit id for every page
