"""Who may read which articles: the one place that rule lives.

- everyone (anonymous too) reads public articles;
- people holding knowledgebase.view_internal_article (volunteers, info-line staff, legal
  specialists, coordinators) also read internal articles;
- people who may change articles (staff) also see drafts.
The knowledge base is not split by team: staff of every queue see the same articles.
"""

from django.http import Http404

from knowledgebase.models import Article, Visibility


def _active(user) -> bool:
    return bool(user and user.is_authenticated and user.is_active)


def can_read_internal(user) -> bool:
    return _active(user) and user.has_perm("knowledgebase.view_internal_article")


def can_edit(user) -> bool:
    return _active(user) and user.has_perm("knowledgebase.change_article")


def can_add(user) -> bool:
    return _active(user) and user.has_perm("knowledgebase.add_article")


def can_delete(user) -> bool:
    return _active(user) and user.has_perm("knowledgebase.delete_article")


def visibilities_for(user, *, scope: str = "internal") -> frozenset[str]:
    """The visibilities `user` may read; scope="public" narrows to what anyone may read."""
    allowed = {Visibility.PUBLIC.value}
    if scope != "public" and can_read_internal(user):
        allowed.add(Visibility.INTERNAL.value)
        if can_edit(user):
            allowed.add(Visibility.DRAFT.value)
    return frozenset(allowed)


def articles_visible_to(user, *, scope: str = "internal"):
    return Article.objects.filter(visibility__in=visibilities_for(user, scope=scope))


def article_for(user, slug: str, queryset=None) -> Article:
    """The article, if `user` may read it; 404 otherwise (never reveal that it exists)."""
    queryset = queryset if queryset is not None else Article.objects.all()
    try:
        return queryset.filter(visibility__in=visibilities_for(user)).get(slug=slug)
    except Article.DoesNotExist:
        raise Http404 from None
