"""Facts other apps add to an article's staff section, without the knowledge base knowing them.

The knowledge base never imports the helpdesk; the helpdesk registers a provider here from its
AppConfig.ready() (how often and how recently the article was used in answers), and the article
page shows what providers return to readers of internal articles:

    from knowledgebase import extensions

    extensions.register_article_facts(lambda article, user: [(_("Used in answers"), "12")])

A provider takes the article and the user and returns (label, value) pairs, plain text (the
template escapes it); it must run a fixed number of queries.
"""

from collections.abc import Callable

ArticleFacts = Callable[[object, object], list[tuple[str, str]]]

_PROVIDERS: list[ArticleFacts] = []


def register_article_facts(provider: ArticleFacts) -> None:
    if provider not in _PROVIDERS:
        _PROVIDERS.append(provider)


def article_facts(article, user) -> list[tuple[str, str]]:
    facts = []
    for provider in _PROVIDERS:
        facts.extend(provider(article, user))
    return facts
