"""The knowledge base's pages: the same pages for everyone, showing what the reader may read.

Anonymous visitors read public articles; volunteers and staff also internal ones (and staff
drafts), with each article's translation status and review date.
"""

from django.conf import settings
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.html import escape
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from knowledgebase.models import Article, Category, TranslationState
from knowledgebase.rendering import render_markdown, safe_snippet
from knowledgebase.selectors.access import article_for, can_read_internal
from knowledgebase.selectors.articles import (
    article_page,
    article_page_queryset,
    categories_for,
    category_articles,
)
from knowledgebase.selectors.search import MAX_QUERY, kb_search
from knowledgebase.services.search import opened_token, search_mark_opened, search_record
from knowledgebase.sharing import qr_svg, short_url

from .common import kb_context, language_info, reader_language, url_in

SEARCH_PAGE_SIZE = 20


@require_GET
def home(request):
    return render(
        request,
        "knowledgebase/home.html",
        kb_context(request, categories=list(categories_for(request.user))),
    )


@require_GET
def category(request, slug):
    category = get_object_or_404(Category, slug=slug)
    items = category_articles(request.user, category, reader_language())
    if not items:
        raise Http404  # an empty category (or one with internal articles only) is not shown
    return render(
        request,
        "knowledgebase/category.html",
        kb_context(request, category=category, items=items),
    )


@require_GET
def search(request):
    language = reader_language()
    query = " ".join(request.GET.get("q", "").split())[:MAX_QUERY]
    categories = list(categories_for(request.user))
    chosen = request.GET.get("category") or ""
    if chosen not in {c.slug for c in categories}:
        chosen = ""
    scope = "internal" if can_read_internal(request.user) else "public"
    hits, results, token = [], None, ""
    if query:
        results = kb_search(
            user=request.user,
            query=query,
            language=language,
            scope=scope,
            category=chosen or None,
            limit=SEARCH_PAGE_SIZE,
        )
        log = search_record(
            query=query, language=language, scope=scope, source="page", results=results
        )
        token = opened_token(log)
        for hit in results.hits:
            hits.append(
                {
                    "hit": hit,
                    "url": url_in(language, "knowledgebase:article", slug=hit.slug),
                    "snippet": safe_snippet(hit.snippet),
                    "title": safe_snippet(getattr(hit, "title_html", "") or escape(hit.title)),
                    "language": language_info(hit.language),
                    "fallback": hit.language != language,
                }
            )
    return render(
        request,
        "knowledgebase/search.html",
        kb_context(
            request,
            query=query,
            results=results,
            hits=hits,
            token=token,
            categories=categories,
            chosen=chosen,
        ),
    )


@require_GET
def article(request, slug):
    user = request.user
    language = reader_language()
    article = article_for(user, slug, article_page_queryset(user))
    if token := request.GET.get("from"):
        search_mark_opened(token=token, article=article)
    page = article_page(user, article, language)
    shown = page.shown
    short = short_url(article.code, shown.language)
    internal = can_read_internal(user)
    languages = [
        {
            **language_info(code),
            "url": url_in(code, "knowledgebase:article", slug=article.slug),
            "state": page.states[code],
            "current": code == language,
        }
        for code, _name in settings.LANGUAGES
        if internal or page.states[code] != TranslationState.MISSING or code == language
    ]
    today = timezone.localdate()
    context = kb_context(
        request,
        article=article,
        page=page,
        shown=shown,
        body=render_markdown(shown.body),
        text_language=language_info(shown.language),
        wanted_language=language_info(language),
        source_language=language_info(article.source_language),
        source_url=url_in(article.source_language, "knowledgebase:article", slug=article.slug),
        outdated=shown.state == TranslationState.OUTDATED,
        languages=languages,
        short_url=short,
        qr=qr_svg(short, title=_("QR code of the link to this article")),
        review_overdue=bool(article.review_by and article.review_by <= today),
        today=today,
    )
    return render(request, "knowledgebase/article.html", context)


@require_GET
def short_link(request, code, language=None):
    """/k/<code>/ opens the article in the reader's language; /k/<code>/<language>/ in that one."""
    article = get_object_or_404(Article.objects.only("slug", "visibility"), code=code.lower())
    if article.visibility != "public" and not can_read_internal(request.user):
        raise Http404
    if language is None or language not in dict(settings.LANGUAGES):
        language = reader_language()
    return redirect(url_in(language, "knowledgebase:article", slug=article.slug))
