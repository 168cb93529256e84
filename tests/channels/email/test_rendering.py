"""Mails are template files rendered in the reader's language, with English where a
translation is missing, and an error (never silence) where a template is missing."""

import pytest
from django.conf import settings
from django.utils import translation

from helpdesk.channels.email.rendering import MailTemplateMissing, build_mail, render_mail

CONTEXT = {
    "reference": "IL-2026-000123",
    "queue_name": "Infolijn",
    "subject": "Opvang",
    "link": "http://127.0.0.1:8000/t/abc/",
    "body": "Ga naar <het> Klein Kasteeltje & vraag naar Sara.",
}


def test_the_acknowledgement_says_the_reference_and_the_private_link():
    mail = render_mail("acknowledgement", CONTEXT, "en")
    assert mail.subject == "We received your question [IL-2026-000123]"
    assert "IL-2026-000123" in mail.text
    assert "http://127.0.0.1:8000/t/abc/" in mail.text
    assert 'href="http://127.0.0.1:8000/t/abc/"' in mail.html


@pytest.mark.parametrize("language", [code for code, _name in settings.LANGUAGES])
def test_every_site_language_renders_an_acknowledgement(language):
    mail = render_mail("acknowledgement", CONTEXT, language)
    assert mail.language == language
    assert "IL-2026-000123" in mail.subject
    assert mail.text.strip()
    direction = "rtl" if language in settings.RTL_LANGUAGES else "ltr"
    assert f'dir="{direction}"' in mail.html
    assert f'lang="{language}"' in mail.html


def test_a_missing_translation_falls_back_to_english():
    # Tigrinya has no catalogue entries for these strings yet: the English text, not nothing.
    mail = render_mail("acknowledgement", CONTEXT, "ti")
    assert "Thank you for writing to Infolijn" in mail.text
    assert mail.subject == "We received your question [IL-2026-000123]"


def test_an_unknown_language_is_written_in_the_default_one():
    assert render_mail("acknowledgement", CONTEXT, "xx").language == settings.LANGUAGE_CODE


def test_text_is_not_html_escaped_but_html_is():
    mail = render_mail("reply", CONTEXT, "nl")
    assert "Ga naar <het> Klein Kasteeltje & vraag naar Sara." in mail.text
    assert "&lt;het&gt;" in mail.html
    assert mail.subject == "Re: Opvang [IL-2026-000123]"


def test_rendering_does_not_change_the_active_language():
    translation.activate("fr")
    render_mail("acknowledgement", CONTEXT, "ar")
    assert translation.get_language() == "fr"


def test_a_missing_template_is_an_error():
    with pytest.raises(MailTemplateMissing, match=r"emails/nothing/subject\.txt"):
        render_mail("nothing", CONTEXT, "en")


def test_build_mail_carries_both_parts_and_the_language():
    mail = build_mail(render_mail("acknowledgement", CONTEXT, "fr"), to=["a@example.org"])
    message = mail.message()
    assert message["Content-Language"] == "fr"
    assert [part.get_content_type() for part in message.walk()][1:] == ["text/plain", "text/html"]
