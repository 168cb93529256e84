"""Articles past their review date are flagged to their owners, in the owner's language."""

from datetime import date

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation

from knowledgebase import fallback
from knowledgebase.models import Article
from knowledgebase.selectors.articles import overdue_by_owner


def owner_language(owner) -> str:
    """The first staff language the owner speaks (users record the languages they speak)."""
    spoken = getattr(owner, "spoken_languages", None)
    codes = [lang.code for lang in spoken.all()] if spoken is not None else []
    for code in codes:
        if code in settings.STAFF_LANGUAGES:
            return code
    return settings.LANGUAGE_CODE


def review_reminders_send(*, today: date) -> int:
    """One mail per owner listing their overdue articles; return how many mails went out.

    Idempotent: an article is marked as reminded when its owner's mail is sent, and is not
    mentioned again for a week (or until its review date changes).
    """
    sent = 0
    for owner, articles in overdue_by_owner(today=today).items():
        language = owner_language(owner)
        with translation.override(language):
            items = []
            for article in articles:
                code = fallback.pick(article.languages(), language) or article.source_language
                path = reverse("knowledgebase:article", kwargs={"slug": article.slug})
                items.append(
                    {
                        "title": article.text(code)["title"],
                        "review_by": article.review_by,
                        "url": f"{settings.SITE_URL}{path}",
                    }
                )
            context = {"owner": owner, "items": items, "site_name": settings.SITE_NAME}
            subject = render_to_string("knowledgebase/emails/review_due/subject.txt", context)
            body = render_to_string("knowledgebase/emails/review_due/body.txt", context)
        with transaction.atomic():
            Article.objects.filter(pk__in=[a.pk for a in articles]).update(review_reminded_on=today)
            send_mail(" ".join(subject.split()), body, None, [owner.email])
        sent += 1
    return sent
