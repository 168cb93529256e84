"""Staff pages of the knowledge base: translation status, reviews due, side-by-side translating."""

from django import forms
from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET

from config.languages import language_name
from knowledgebase.models import TranslationState
from knowledgebase.selectors.access import article_for
from knowledgebase.selectors.articles import (
    LANGUAGE_CODES,
    reviews_due,
    shown,
    translation_counts,
    translation_gaps,
    translation_states,
)
from knowledgebase.services.articles import translation_save

from .common import kb_context, language_info, reader_language, url_in
from .decorators import editor_required, internal_reader_required


@require_GET
@internal_reader_required
def translations(request):
    language = request.GET.get("language") or ""
    if language not in LANGUAGE_CODES:
        language = ""
    state = request.GET.get("state") or ""
    if state not in (TranslationState.OUTDATED, TranslationState.MISSING):
        state = ""
    counts = translation_counts(request.user)
    gaps = translation_gaps(request.user, language=language or None, state=state or None)
    reader = reader_language()
    rows = [
        {
            "gap": gap,
            "title": shown(gap.article, reader, with_body=False).title,
            "language": language_info(gap.language),
            "url": url_in(gap.language, "knowledgebase:article", slug=gap.article.slug),
        }
        for gap in gaps
    ]
    return render(
        request,
        "knowledgebase/staff/translations.html",
        kb_context(
            request,
            rows=rows,
            counts=[{**language_info(code), **counts[code]} for code in LANGUAGE_CODES],
            language=language,
            state=state,
            states=[TranslationState.OUTDATED, TranslationState.MISSING],
        ),
    )


@require_GET
@internal_reader_required
def reviews(request):
    today = timezone.localdate()
    reader = reader_language()
    rows = [
        {"article": article, "title": shown(article, reader, with_body=False).title}
        for article in reviews_due(request.user, today=today)
    ]
    return render(
        request, "knowledgebase/staff/reviews.html", kb_context(request, rows=rows, today=today)
    )


class TranslationForm(forms.Form):
    title = forms.CharField(label=gettext_lazy("Title"), max_length=200)
    summary = forms.CharField(label=gettext_lazy("Summary"), widget=forms.Textarea, required=False)
    body = forms.CharField(
        label=gettext_lazy("Text (Markdown)"),
        widget=forms.Textarea(attrs={"rows": 18}),
        required=False,
    )
    minor = forms.BooleanField(
        label=gettext_lazy("Small correction: the translations stay current"), required=False
    )


@editor_required
def translate(request, slug, language):
    """Edit one language's text next to the source text it translates."""
    if language not in LANGUAGE_CODES:
        raise Http404
    article = article_for(request.user, slug)
    is_source = language == article.source_language
    if request.method == "POST":
        form = TranslationForm(request.POST)
        if form.is_valid():
            data = form.cleaned_data
            try:
                translation_save(
                    article=article,
                    language=language,
                    title=data["title"],
                    summary=data["summary"],
                    body=data["body"],
                    minor=is_source and data["minor"],
                )
            except ValidationError as error:
                form.add_error(None, error)
            else:
                messages.success(
                    request,
                    _("The %(language)s text is saved.") % {"language": language_name(language)},
                )
                return redirect(url_in(reader_language(), "knowledgebase:article", slug=slug))
    else:
        form = TranslationForm(initial=article.text(language))
    states = translation_states(article)
    return render(
        request,
        "knowledgebase/staff/translate.html",
        kb_context(
            request,
            article=article,
            form=form,
            is_source=is_source,
            source=article.text(article.source_language),
            source_language=language_info(article.source_language),
            target_language=language_info(language),
            state=states[language],
            other_languages=[
                {**language_info(code), "state": states[code]} for code, _name in settings.LANGUAGES
            ],
        ),
    )
