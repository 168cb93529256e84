"""Mails rendered from template files in the recipient's language.

A mail is a folder under templates/emails/<name>/ with subject.txt, body.txt and (optional)
body.html, whose strings are marked with {% translate %}. They are rendered under the
recipient's language; a string without a translation falls back to English (gettext does that).
A missing subject or text template is an error (`MailTemplateMissing`): callers record it where
a person sees it, never skip the mail in silence.

Every part of Infolijn that mails people (acknowledgements, answers, the web form's link) uses
`render_mail`; `build_mail` turns the result into a Django mail with both parts.
"""

from dataclasses import dataclass

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template import Context, TemplateDoesNotExist
from django.template.loader import get_template
from django.utils import translation


class MailTemplateMissing(TemplateDoesNotExist):
    pass


@dataclass(frozen=True)
class RenderedMail:
    subject: str
    text: str
    html: str | None
    language: str


def mail_language(code: str | None) -> str:
    """The site language to write in for `code` (a site language, or LANGUAGE_CODE)."""
    site = {c for c, _name in settings.LANGUAGES}
    return code if code in site else settings.LANGUAGE_CODE


def _template(name: str, part: str, *, required: bool):
    path = f"emails/{name}/{part}"
    try:
        return get_template(path)
    except TemplateDoesNotExist as error:
        if not required:
            return None
        raise MailTemplateMissing(f"The mail template {path} is missing.") from error


def render_mail(name: str, context: dict, language: str) -> RenderedMail:
    """Render the mail `name` for a reader of `language`.

    Text parts are rendered without HTML escaping (they are not HTML); the HTML part escapes as
    usual. The context gets `language`, `direction` (rtl or ltr) and `site_name`.
    """
    language = mail_language(language)
    context = {
        **context,
        "language": language,
        "direction": "rtl" if language in settings.RTL_LANGUAGES else "ltr",
        "site_name": settings.SITE_NAME,
    }
    subject_template = _template(name, "subject.txt", required=True)
    text_template = _template(name, "body.txt", required=True)
    html_template = _template(name, "body.html", required=False)
    with translation.override(language):
        subject = subject_template.template.render(Context(context, autoescape=False))
        text = text_template.template.render(Context(context, autoescape=False))
        html = html_template.render(context) if html_template else None
    return RenderedMail(
        subject=" ".join(subject.split()),
        text=text.strip() + "\n",
        html=html,
        language=language,
    )


def build_mail(
    rendered: RenderedMail,
    *,
    to: list[str],
    from_email: str | None = None,
    reply_to: list[str] | None = None,
    headers: dict | None = None,
) -> EmailMultiAlternatives:
    mail = EmailMultiAlternatives(
        subject=rendered.subject,
        body=rendered.text,
        from_email=from_email or settings.DEFAULT_FROM_EMAIL,
        to=to,
        reply_to=reply_to or None,
        headers={"Content-Language": rendered.language, **(headers or {})},
    )
    if rendered.html:
        mail.attach_alternative(rendered.html, "text/html")
    return mail
