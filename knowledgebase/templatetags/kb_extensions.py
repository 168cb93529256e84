from django import template

from knowledgebase.extensions import article_facts

register = template.Library()


@register.simple_tag(takes_context=True)
def kb_article_facts(context, article):
    """The (label, value) pairs other apps add to the article's staff section."""
    return article_facts(article, context["request"].user)
